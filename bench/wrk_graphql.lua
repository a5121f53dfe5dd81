-- wrk script for scripts/bench-api: POSTs one GraphQL request body, read
-- from the file named by BENCH_BODY_FILE, with the bearer token in
-- BENCH_TOKEN. Every response body is checked for a GraphQL "errors" key
-- (GraphQL errors come back with HTTP 200, so wrk's non-2xx count alone
-- would miss them); the totals are printed at the end as
--   graphql_errors=N checked=M
-- for the caller to parse.

local function read_file(path)
  local f = assert(io.open(path, "rb"), "cannot open " .. tostring(path))
  local s = f:read("*a")
  f:close()
  return s
end

local body_file = os.getenv("BENCH_BODY_FILE")
local token = os.getenv("BENCH_TOKEN")
assert(body_file, "BENCH_BODY_FILE is not set")
assert(token, "BENCH_TOKEN is not set")

wrk.method = "POST"
wrk.body = read_file(body_file)
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

-- Per-thread counters, gathered by done() through thread:get().
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  errors = 0
  checked = 0
end

function response(status, headers, body)
  checked = checked + 1
  if status ~= 200 or body == nil or string.find(body, '"errors"', 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local e, c = 0, 0
  for _, t in ipairs(threads) do
    e = e + (t:get("errors") or 0)
    c = c + (t:get("checked") or 0)
  end
  io.write(string.format("graphql_errors=%d checked=%d\n", e, c))
end
