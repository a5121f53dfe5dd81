#!/usr/bin/env node
// A tiny Ollama-compatible HTTP server over one local GGUF model, run on the
// CPU by node-llama-cpp, for EngLog's worker tests. See README.md.
//
//   node server.mjs --model /path/to/model.gguf --name smollm2:135m \
//     [--port 0] [--host 127.0.0.1] [--threads 1] [--exit-with-stdin]
//
// Prints exactly one line to stdout once the model is loaded and the port is
// open: `listening on http://HOST:PORT`. Everything else goes to stderr.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import { getLlama, LlamaChatSession, LlamaLogLevel, resolveChatWrapper } from "node-llama-cpp";

// stdout carries only the "listening on" line: route any library chatter that
// uses console.log/info to stderr.
console.log = (...args) => console.error(...args);
console.info = (...args) => console.error(...args);

const VERSION = "0.0.0-englog-test";
// Ollama's num_predict default is -1 (no limit); a test server must not run
// away on a 1-thread CPU, so an absent or non-positive num_predict means this.
const DEFAULT_NUM_PREDICT = 512;
const DEFAULT_NUM_CTX = 2048; // Ollama's long-standing default
const MIN_NUM_CTX = 64;
const MAX_CACHED_CONTEXTS = 3;
const MAX_BODY_BYTES = 32 * 1024 * 1024;

function log(msg) {
  process.stderr.write(`[model-server ${new Date().toISOString()}] ${msg}\n`);
}

// ------------------------------------------------------------------ args
let args;
try {
  args = parseArgs({
    options: {
      model: { type: "string" },
      name: { type: "string" },
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      threads: { type: "string", default: "1" },
      "exit-with-stdin": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  }).values;
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
const usage =
  "usage: node server.mjs --model FILE.gguf [--name NAME] [--port 0] [--host 127.0.0.1] " +
  "[--threads 1] [--exit-with-stdin]\n";
if (args.help) {
  process.stderr.write(usage);
  process.exit(0);
}
if (!args.model) {
  process.stderr.write(`--model is required\n${usage}`);
  process.exit(2);
}
const MODEL_PATH = path.resolve(args.model);
const MODEL_NAME = args.name || path.basename(MODEL_PATH).replace(/\.gguf$/i, "");
const PORT = Number(args.port);
const THREADS = Number(args.threads);
if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) {
  process.stderr.write(`bad --port ${args.port}\n`);
  process.exit(2);
}
if (!Number.isInteger(THREADS) || THREADS < 1) {
  process.stderr.write(`bad --threads ${args.threads}\n`);
  process.exit(2);
}
if (!fs.existsSync(MODEL_PATH)) {
  process.stderr.write(`model file not found: ${MODEL_PATH}\n`);
  process.exit(2);
}

// Ollama names without a tag mean ":latest".
function canonicalName(name) {
  return /:[^/:]+$/.test(name) ? name : `${name}:latest`;
}
const CANONICAL_MODEL_NAME = canonicalName(MODEL_NAME);

// ------------------------------------------------------------ the model
const loadStart = process.hrtime.bigint();
const llama = await getLlama({
  gpu: false, // CPU only, and never probe CUDA/Vulkan
  build: "never", // use the prebuilt @node-llama-cpp/linux-x64 binary, never compile
  skipDownload: true, // never fetch llama.cpp sources
  usePrebuiltBinaries: true,
  maxThreads: THREADS,
  progressLogs: false,
  logLevel: LlamaLogLevel.warn,
  logger: (level, message) => {
    const text = String(message).trimEnd();
    if (text) log(`llama.cpp ${level}: ${text}`);
  },
});
const model = await llama.loadModel({ modelPath: MODEL_PATH, gpuLayers: 0 });
const TRAIN_CTX = model.trainContextSize;

// The model's own chat template (the Jinja template in the GGUF), resolved
// once: letting each LlamaChatSession resolve "auto" costs ~0.5 s a request.
let chatWrapper = null;
try {
  chatWrapper = resolveChatWrapper(model, { type: "jinjaTemplate", fallbackToOtherWrappersOnJinjaError: true });
} catch (err) {
  log(`the model's Jinja chat template is not usable (${err.message})`);
}
chatWrapper ??= resolveChatWrapper(model);

// One context (with one sequence) per context size, kept for reuse; least
// recently used ones are disposed beyond MAX_CACHED_CONTEXTS.
const contexts = new Map();
async function acquireContext(size) {
  const cached = contexts.get(size);
  if (cached) {
    contexts.delete(size);
    contexts.set(size, cached);
    return cached;
  }
  while (contexts.size >= MAX_CACHED_CONTEXTS) {
    const [oldSize, old] = contexts.entries().next().value;
    contexts.delete(oldSize);
    log(`disposing the num_ctx=${oldSize} context`);
    await old.context.dispose();
  }
  const context = await model.createContext({
    contextSize: size,
    sequences: 1,
    threads: THREADS,
    batchSize: Math.min(size, 512),
  });
  const entry = { context, sequence: context.getSequence() };
  contexts.set(size, entry);
  log(`created a context with num_ctx=${size} (actual ${context.contextSize})`);
  return entry;
}
await acquireContext(Math.min(DEFAULT_NUM_CTX, TRAIN_CTX));
const loadNs = process.hrtime.bigint() - loadStart;
log(
  `loaded ${MODEL_PATH} as ${MODEL_NAME} in ${(Number(loadNs) / 1e6).toFixed(0)} ms ` +
    `(train context ${TRAIN_CTX}, chat template ${chatWrapper.wrapperName}, ` +
    `${THREADS} thread(s), gpu ${llama.gpu})`,
);

// --------------------------------------------------------------- grammars
let jsonGrammar = null;
const schemaGrammars = new Map(); // JSON.stringify(schema) -> grammar
async function grammarFor(format) {
  if (format === "json") {
    jsonGrammar ??= await llama.getGrammarFor("json");
    return jsonGrammar;
  }
  const key = JSON.stringify(format);
  const cached = schemaGrammars.get(key);
  if (cached) return cached;
  const notes = [];
  const relaxed = relaxSchema(format, notes, "#");
  if (notes.length > 0) {
    log(`format schema relaxed for node-llama-cpp's JSON-schema subset:\n  - ${notes.join("\n  - ")}`);
  }
  let grammar;
  try {
    grammar = await llama.createGrammarForJsonSchema(relaxed);
  } catch (err) {
    log(`format schema not usable as a grammar (${err.message}); falling back to plain JSON`);
    grammar = await grammarFor("json");
  }
  if (schemaGrammars.size >= 32) schemaGrammars.delete(schemaGrammars.keys().next().value);
  schemaGrammars.set(key, grammar);
  return grammar;
}

// node-llama-cpp's JSON-schema grammar supports a subset of JSON Schema
// (type, const, enum, oneOf, properties, additionalProperties, min/max
// Properties, items, prefixItems, min/maxItems, min/maxLength, string format
// date/time/date-time, $defs + "#/$defs/..." refs), and it treats every listed
// property as required. This rewrites a schema into that subset, noting each
// change. Constraints that cannot be expressed are dropped (the output is then
// still valid JSON of the right shape, but those constraints are unchecked).
const ANY = Object.freeze({
  oneOf: [
    { type: ["string", "number", "boolean", "null"] },
    { type: "object", additionalProperties: true },
    { type: "array" },
  ],
});
const ANNOTATIONS = new Set([
  "title", "description", "$schema", "$id", "$comment", "$anchor", "default",
  "examples", "example", "deprecated", "readOnly", "writeOnly",
]);
const HANDLED = new Set([
  ...ANNOTATIONS, "$defs", "definitions", "$ref", "const", "enum", "oneOf", "anyOf",
  "allOf", "type", "nullable", "properties", "required", "additionalProperties",
  "minProperties", "maxProperties", "items", "prefixItems", "additionalItems",
  "minItems", "maxItems", "minLength", "maxLength", "format",
]);
const NOT_ENFORCED = new Set([
  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
  "pattern", "uniqueItems", "contains", "minContains", "maxContains",
  "patternProperties", "propertyNames", "dependentRequired", "dependentSchemas",
  "dependencies", "unevaluatedProperties", "unevaluatedItems", "not", "if", "then",
  "else", "contentEncoding", "contentMediaType",
]);
const STRING_FORMATS = new Set(["date-time", "time", "date"]);
const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isPrimitive = (v) => v === null || ["string", "number", "boolean"].includes(typeof v);

function literalSchema(value) {
  if (isPrimitive(value)) return { const: value };
  if (Array.isArray(value)) {
    return {
      type: "array",
      prefixItems: value.map(literalSchema),
      minItems: value.length,
      maxItems: value.length,
    };
  }
  return {
    type: "object",
    properties: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literalSchema(v)])),
  };
}

function mergeAllOf(base, parts, notes, where) {
  notes.push(`${where}: allOf merged into one schema (approximate)`);
  const merged = { ...base };
  delete merged.allOf;
  for (const part of parts) {
    if (!isObj(part)) continue;
    for (const [key, value] of Object.entries(part)) {
      if (key === "properties" && isObj(value)) {
        merged.properties = { ...(merged.properties ?? {}), ...value };
      } else if (key === "required" && Array.isArray(value)) {
        merged.required = [...new Set([...(merged.required ?? []), ...value])];
      } else if (!(key in merged)) {
        merged[key] = value;
      }
    }
  }
  return merged;
}

function relaxSchema(schema, notes, where) {
  if (schema === true) return ANY;
  if (schema === false) {
    notes.push(`${where}: a false schema cannot be generated; using any JSON value`);
    return ANY;
  }
  if (!isObj(schema)) {
    notes.push(`${where}: not a schema object; using any JSON value`);
    return ANY;
  }
  let s = schema;
  if (Array.isArray(s.allOf)) s = mergeAllOf(s, s.allOf, notes, where);

  for (const key of Object.keys(s)) {
    if (NOT_ENFORCED.has(key)) notes.push(`${where}: "${key}" is not enforced (dropped)`);
    else if (!HANDLED.has(key)) notes.push(`${where}: unknown keyword "${key}" ignored`);
  }

  const out = {};
  if (typeof s.description === "string") out.description = s.description;
  const defs = isObj(s.$defs) ? s.$defs : isObj(s.definitions) ? s.definitions : null;
  if (s.definitions !== undefined) notes.push(`${where}: "definitions" renamed to "$defs"`);
  if (defs) {
    out.$defs = Object.fromEntries(
      Object.entries(defs).map(([k, v]) => [k, relaxSchema(v, notes, `${where}/$defs/${k}`)]),
    );
  }

  if (typeof s.$ref === "string") {
    let ref = s.$ref;
    if (ref.startsWith("#/definitions/")) ref = `#/$defs/${ref.slice("#/definitions/".length)}`;
    if (!ref.startsWith("#/$defs/") || ref.slice("#/$defs/".length).includes("/")) {
      notes.push(`${where}: unsupported $ref "${s.$ref}"; using any JSON value`);
      return ANY;
    }
    return { ...out, $ref: ref };
  }

  if ("const" in s) return { ...out, ...literalSchema(s.const) };

  if (Array.isArray(s.enum)) {
    if (s.enum.length === 0) {
      notes.push(`${where}: empty enum; using any JSON value`);
      return ANY;
    }
    if (s.enum.every(isPrimitive)) return { ...out, enum: s.enum };
    return { ...out, oneOf: s.enum.map(literalSchema) };
  }

  const alternatives = [
    ...(Array.isArray(s.oneOf) ? s.oneOf : []),
    ...(Array.isArray(s.anyOf) ? s.anyOf : []),
  ];
  if (alternatives.length > 0) {
    if (Array.isArray(s.anyOf)) notes.push(`${where}: anyOf treated as oneOf`);
    // Keywords beside oneOf/anyOf apply to every alternative.
    const siblings = { ...s };
    for (const k of ["oneOf", "anyOf", "$defs", "definitions", "description"]) delete siblings[k];
    const alts = alternatives.map((alt, i) =>
      relaxSchema(isObj(alt) ? { ...siblings, ...alt } : alt, notes, `${where}/oneOf/${i}`),
    );
    return alts.length === 1 ? { ...out, ...alts[0] } : { ...out, oneOf: alts };
  }

  let types = s.type;
  if (types === undefined) {
    const has = (...keys) => keys.some((k) => k in s);
    if (has("properties", "additionalProperties", "required", "minProperties", "maxProperties")) types = "object";
    else if (has("items", "prefixItems", "minItems", "maxItems")) types = "array";
    else if (has("minLength", "maxLength", "format")) types = "string";
    else return Object.keys(out).length > 0 ? { ...out, ...ANY } : ANY;
  }
  types = [...new Set(Array.isArray(types) ? types : [types])];
  const known = ["string", "number", "integer", "boolean", "null", "object", "array"];
  for (const t of types) if (!known.includes(t)) notes.push(`${where}: unknown type "${t}" ignored`);
  types = types.filter((t) => known.includes(t));
  if (s.nullable === true && !types.includes("null")) {
    notes.push(`${where}: OpenAPI "nullable" turned into a "null" type`);
    types.push("null");
  }
  if (types.includes("number") && types.includes("integer")) types = types.filter((t) => t !== "integer");
  if (types.length === 0) return ANY;

  const variants = [];
  if (types.includes("string")) {
    const str = { type: "string" };
    if (typeof s.format === "string") {
      if (STRING_FORMATS.has(s.format)) str.format = s.format;
      else notes.push(`${where}: string format "${s.format}" is not enforced (dropped)`);
    }
    if (!str.format) {
      if (Number.isInteger(s.minLength)) str.minLength = s.minLength;
      if (Number.isInteger(s.maxLength)) str.maxLength = s.maxLength;
    } else if (s.minLength !== undefined || s.maxLength !== undefined) {
      notes.push(`${where}: minLength/maxLength dropped next to a format`);
    }
    variants.push(str);
  }
  const scalars = types.filter((t) => ["number", "integer", "boolean", "null"].includes(t));
  if (scalars.length > 0) variants.push({ type: scalars.length === 1 ? scalars[0] : scalars });
  if (types.includes("object")) variants.push(relaxObject(s, notes, where));
  if (types.includes("array")) variants.push(relaxArray(s, notes, where));

  return variants.length === 1 ? { ...out, ...variants[0] } : { ...out, oneOf: variants };
}

function relaxObject(s, notes, where) {
  const obj = { type: "object" };
  const props = isObj(s.properties) ? s.properties : {};
  const names = Object.keys(props);
  if (names.length > 0) {
    obj.properties = Object.fromEntries(
      names.map((k) => [k, relaxSchema(props[k], notes, `${where}/properties/${k}`)]),
    );
    const required = new Set(Array.isArray(s.required) ? s.required : []);
    const optional = names.filter((k) => !required.has(k));
    if (optional.length > 0) {
      notes.push(`${where}: optional properties ${optional.join(", ")} will always be generated`);
    }
  }
  if (s.additionalProperties === true || (s.additionalProperties === undefined && names.length === 0)) {
    obj.additionalProperties = true;
  } else if (isObj(s.additionalProperties)) {
    obj.additionalProperties = relaxSchema(s.additionalProperties, notes, `${where}/additionalProperties`);
  }
  if (Array.isArray(s.required)) {
    const missing = s.required.filter((k) => !(k in props));
    if (missing.length > 0) {
      notes.push(`${where}: required ${missing.join(", ")} not in properties (not enforced)`);
    }
  }
  if (Number.isInteger(s.minProperties)) obj.minProperties = s.minProperties;
  if (Number.isInteger(s.maxProperties)) obj.maxProperties = s.maxProperties;
  return obj;
}

function relaxArray(s, notes, where) {
  const arr = { type: "array" };
  let prefix = Array.isArray(s.prefixItems) ? s.prefixItems : null;
  let items = s.items;
  if (Array.isArray(items)) {
    notes.push(`${where}: tuple-form "items" turned into "prefixItems"`);
    prefix = items;
    items = isObj(s.additionalItems) || s.additionalItems === true ? s.additionalItems : undefined;
    if (s.additionalItems === false) arr.maxItems = prefix.length;
  }
  if (prefix) arr.prefixItems = prefix.map((p, i) => relaxSchema(p, notes, `${where}/prefixItems/${i}`));
  if (items === false) {
    arr.maxItems = prefix ? prefix.length : 0;
  } else if (items !== undefined && items !== true) {
    arr.items = relaxSchema(items, notes, `${where}/items`);
  }
  if (Number.isInteger(s.minItems)) arr.minItems = s.minItems;
  if (Number.isInteger(s.maxItems)) arr.maxItems = Math.min(s.maxItems, arr.maxItems ?? Infinity);
  return arr;
}

// ------------------------------------------------------------- model info
let digestPromise = null;
function modelDigest() {
  digestPromise ??= new Promise((resolve, reject) => {
    const hash = crypto.createHash("sha256");
    fs.createReadStream(MODEL_PATH)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
  return digestPromise;
}

async function modelEntry() {
  const stat = fs.statSync(MODEL_PATH);
  const general = model.fileInfo?.metadata?.general ?? {};
  const family = String(general.architecture ?? "unknown");
  const quant = /(I?Q\d+_[A-Z0-9_]+|Q\d+_\d|F16|F32|BF16)/i.exec(path.basename(MODEL_PATH));
  return {
    name: MODEL_NAME,
    model: MODEL_NAME,
    modified_at: stat.mtime.toISOString(),
    size: stat.size,
    digest: await modelDigest(),
    details: {
      parent_model: "",
      format: "gguf",
      family,
      families: [family],
      parameter_size: String(general.size_label ?? ""),
      quantization_level: quant ? quant[1].toUpperCase() : "unknown",
    },
  };
}

// ------------------------------------------------------------------ HTTP
const received = []; // every /api/generate body, as sent

function sendJson(res, status, value) {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(value);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, "request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// Requests are served one at a time: llama.cpp on 1 thread, one sequence.
let queueTail = Promise.resolve();
function enqueue(task) {
  const run = queueTail.then(task, task);
  queueTail = run.catch(() => {});
  return run;
}

const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function generationOptions(options) {
  const o = options ?? {};
  const numPredict = num(o.num_predict);
  const maxTokens = numPredict !== undefined && numPredict > 0 ? Math.floor(numPredict) : DEFAULT_NUM_PREDICT;
  let numCtx = num(o.num_ctx) !== undefined ? Math.floor(o.num_ctx) : DEFAULT_NUM_CTX;
  numCtx = Math.max(MIN_NUM_CTX, Math.min(numCtx, TRAIN_CTX));
  // Ollama's defaults for the sampling options.
  const penalty = num(o.repeat_penalty) ?? 1.1;
  const frequencyPenalty = num(o.frequency_penalty) ?? 0;
  const presencePenalty = num(o.presence_penalty) ?? 0;
  const lastTokens = num(o.repeat_last_n) ?? 64;
  const repeatPenalty =
    (penalty === 1 && frequencyPenalty === 0 && presencePenalty === 0) || lastTokens === 0
      ? false
      : {
          penalty,
          frequencyPenalty: frequencyPenalty || undefined,
          presencePenalty: presencePenalty || undefined,
          lastTokens: lastTokens < 0 ? numCtx : lastTokens,
          penalizeNewLine: o.penalize_newline !== false,
        };
  const stop = Array.isArray(o.stop) ? o.stop.filter((x) => typeof x === "string" && x !== "") : [];
  const seed = num(o.seed);
  return {
    maxTokens,
    numCtx,
    temperature: num(o.temperature) ?? 0.8,
    topK: num(o.top_k) ?? 40,
    topP: num(o.top_p) ?? 0.9,
    minP: num(o.min_p),
    seed: seed !== undefined && seed >= 0 ? Math.floor(seed) : undefined,
    repeatPenalty,
    customStopTriggers: stop.length > 0 ? stop : undefined,
  };
}

async function handleGenerate(req, res, startNs) {
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, `invalid JSON body: ${err.message}`);
  }
  if (!isObj(body)) throw new HttpError(400, "request body must be a JSON object");
  received.push(body);

  if (typeof body.model !== "string" || body.model === "") throw new HttpError(400, "model is required");
  if (canonicalName(body.model) !== CANONICAL_MODEL_NAME) {
    throw new HttpError(404, `model "${body.model}" not found, try pulling it first`);
  }
  if (body.prompt !== undefined && typeof body.prompt !== "string") throw new HttpError(400, "prompt must be a string");
  if (body.system !== undefined && body.system !== null && typeof body.system !== "string") {
    throw new HttpError(400, "system must be a string");
  }
  if (body.options !== undefined && body.options !== null && !isObj(body.options)) {
    throw new HttpError(400, "options must be an object");
  }
  let format = body.format;
  if (format === undefined || format === null || format === "") format = null;
  else if (format !== "json" && !isObj(format)) {
    throw new HttpError(400, `invalid format: ${JSON.stringify(format)} (want "json" or a JSON schema)`);
  }
  for (const ignored of ["raw", "template", "context", "images", "suffix", "think"]) {
    if (body[ignored] !== undefined && body[ignored] !== false) log(`generate: "${ignored}" is ignored`);
  }
  const stream = body.stream !== false;
  const prompt = body.prompt ?? "";
  const system = typeof body.system === "string" && body.system !== "" ? body.system : null;
  const opts = generationOptions(body.options);
  const created = () => new Date().toISOString();

  // Ollama answers an empty prompt by just loading the model.
  if (prompt === "" && system === null) {
    const done = { model: body.model, created_at: created(), response: "", done: true, done_reason: "load" };
    if (stream) {
      res.writeHead(200, { "Content-Type": "application/x-ndjson" });
      res.end(`${JSON.stringify(done)}\n`);
    } else {
      sendJson(res, 200, done);
    }
    return;
  }

  const abort = new AbortController();
  res.on("close", () => {
    if (!res.writableEnded) abort.abort(new Error("client disconnected"));
  });
  const write = (obj) => {
    if (!res.destroyed && !res.writableEnded) res.write(`${JSON.stringify(obj)}\n`);
  };
  if (stream) {
    res.writeHead(200, { "Content-Type": "application/x-ndjson" });
    res.flushHeaders();
  }

  await enqueue(async () => {
    if (abort.signal.aborted) {
      log("generate: client went away while queued; skipped");
      return;
    }
    let session = null;
    try {
      const grammar = format === null ? undefined : await grammarFor(format);
      const loadStartNs = process.hrtime.bigint();
      const { sequence } = await acquireContext(opts.numCtx);
      await sequence.clearHistory();
      const loadEndNs = process.hrtime.bigint();

      session = new LlamaChatSession({
        contextSequence: sequence,
        chatWrapper,
        autoDisposeSequence: false,
        ...(system !== null ? { systemPrompt: system } : {}),
      });
      // No system prompt: let the model's own chat template decide (as Ollama
      // does), rather than node-llama-cpp's generic default system prompt.
      if (system === null) session.setChatHistory([]);

      const meterBefore = sequence.tokenMeter.getState();
      let firstTokenNs = null;
      const chunks = [];
      const result = await session.promptWithMeta(prompt, {
        maxTokens: opts.maxTokens,
        temperature: opts.temperature,
        topK: opts.topK,
        topP: opts.topP,
        minP: opts.minP,
        seed: opts.seed,
        repeatPenalty: opts.repeatPenalty,
        customStopTriggers: opts.customStopTriggers,
        grammar,
        signal: abort.signal,
        stopOnAbortSignal: true,
        onToken: () => {
          firstTokenNs ??= process.hrtime.bigint();
        },
        onTextChunk: (text) => {
          firstTokenNs ??= process.hrtime.bigint();
          if (text === "") return;
          if (stream) write({ model: body.model, created_at: created(), response: text, done: false });
          else chunks.push(text);
        },
      });
      const endNs = process.hrtime.bigint();
      const used = sequence.tokenMeter.diff(meterBefore);
      if (abort.signal.aborted || result.stopReason === "abort") {
        log(`generate: client disconnected; generation aborted after ${used.usedOutputTokens} tokens`);
        return;
      }
      const first = firstTokenNs ?? endNs;
      const evalNs = endNs - first;
      const final = {
        model: body.model,
        created_at: created(),
        response: stream ? "" : chunks.join(""),
        done: true,
        done_reason: result.stopReason === "maxTokens" ? "length" : "stop",
        total_duration: Number(endNs - startNs),
        load_duration: Number(loadEndNs - loadStartNs),
        prompt_eval_count: used.usedInputTokens,
        prompt_eval_duration: Number(first - loadEndNs),
        eval_count: used.usedOutputTokens,
        eval_duration: Number(evalNs),
      };
      if (stream) {
        write(final);
        res.end();
      } else {
        sendJson(res, 200, final);
      }
      const tps = evalNs > 0n ? (used.usedOutputTokens / (Number(evalNs) / 1e9)).toFixed(1) : "-";
      log(
        `generate: ${used.usedInputTokens} prompt + ${used.usedOutputTokens} generated tokens ` +
          `(max ${opts.maxTokens}, num_ctx ${opts.numCtx}${format ? ", format" : ""}), ` +
          `stop=${result.stopReason}, ${(Number(endNs - startNs) / 1e6).toFixed(0)} ms, ${tps} tok/s`,
      );
    } catch (err) {
      if (abort.signal.aborted) {
        log(`generate: client disconnected (${err.message})`);
        return;
      }
      log(`generate failed: ${err.stack || err}`);
      if (stream) {
        write({ error: String(err.message || err) });
        if (!res.destroyed) res.end();
      } else {
        sendJson(res, 500, { error: String(err.message || err) });
      }
    } finally {
      if (session && !session.disposed) session.dispose({ disposeSequence: false });
    }
  });
}

async function route(req, res) {
  const startNs = process.hrtime.bigint();
  const { pathname } = new URL(req.url, "http://localhost");
  const key = `${req.method} ${pathname}`;
  switch (key) {
    case "GET /api/version":
      return sendJson(res, 200, { version: VERSION });
    case "GET /api/tags":
      return sendJson(res, 200, { models: [await modelEntry()] });
    case "POST /api/generate":
      return handleGenerate(req, res, startNs);
    case "GET /_test/requests":
      return sendJson(res, 200, received);
    case "DELETE /_test/requests":
      received.length = 0;
      return sendJson(res, 200, { cleared: true });
    default:
      return sendJson(res, 404, { error: "not found" });
  }
}

const server = http.createServer((req, res) => {
  res.on("finish", () => {
    if (req.url !== "/api/generate") log(`${req.method} ${req.url} -> ${res.statusCode}`);
  });
  route(req, res).catch((err) => {
    const status = err instanceof HttpError ? err.status : 500;
    if (status >= 500) log(`${req.method} ${req.url} failed: ${err.stack || err}`);
    else log(`${req.method} ${req.url} -> ${status}: ${err.message}`);
    if (res.headersSent) {
      if (!res.destroyed && !res.writableEnded) res.end(`${JSON.stringify({ error: err.message })}\n`);
    } else {
      sendJson(res, status, { error: err.message });
    }
  });
});
server.on("error", (err) => {
  log(`server error: ${err.message}`);
  process.exit(1);
});
server.on("clientError", (err, socket) => {
  if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
});

let shuttingDown = false;
async function shutdown(why) {
  if (shuttingDown) return;
  shuttingDown = true;
  log(`shutting down (${why})`);
  server.close();
  server.closeAllConnections?.();
  const timer = setTimeout(() => process.exit(0), 2000);
  timer.unref();
  try {
    await llama.dispose();
  } catch {
    // exiting anyway
  }
  process.exit(0);
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
if (args["exit-with-stdin"]) {
  process.stdin.on("end", () => shutdown("stdin closed"));
  process.stdin.on("error", () => shutdown("stdin error"));
  process.stdin.resume();
}
process.on("uncaughtException", (err) => log(`uncaught exception: ${err.stack || err}`));
process.on("unhandledRejection", (err) => log(`unhandled rejection: ${err?.stack || err}`));

server.listen(PORT, args.host, () => {
  const { address, port } = server.address();
  const host = address.includes(":") ? `[${address}]` : address;
  process.stdout.write(`listening on http://${host}:${port}\n`);
});
