// Whether two SDL documents describe the same schema (graphql-js:
// lexicographically sorted, then printed). Prints "equal" or a diff hint.
//
//   node schema_equal.mjs [--without-specified-by] a.graphql b.graphql
//
// --without-specified-by drops `@specifiedBy(url: …)` from both first: an
// introspection query older than graphql-js 15 (get-graphql-schema's)
// cannot ask for it.
import { readFileSync } from 'node:fs';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';

const args = process.argv.slice(2);
const withoutSpecifiedBy = args[0] === '--without-specified-by';
const paths = withoutSpecifiedBy ? args.slice(1) : args;
const [a, b] = paths.map((path) => {
  let sdl = readFileSync(path, 'utf8');
  if (withoutSpecifiedBy) {
    sdl = sdl.replace(/ @specifiedBy\(url: "[^"]*"\)/g, '');
  }
  return printSchema(lexicographicSortSchema(buildSchema(sdl)));
});
if (a === b) {
  console.log('equal');
} else {
  const left = a.split('\n');
  const right = b.split('\n');
  const line = left.findIndex((text, i) => text !== right[i]);
  console.log(`differ at line ${line + 1}:\n< ${left[line]}\n> ${right[line]}`);
  process.exit(1);
}
