// Patterns on hostile inputs through the runtime's DataValidator (re2js), as generated code
// embeds them. argv[2]: the runtime's dist/index.js. stdin: JSON [[ecma, re2, input], ...].
// stdout: JSON [{valid, micros}] per case.
import { pathToFileURL } from "node:url";

const { DataValidator } = await import(pathToFileURL(process.argv[2]).href);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const out = cases.map(([ecma, re2, input], i) => {
  const validator = new DataValidator(`redos-${i}`, { type: "string", pattern: ecma, "x-specgen-re2": { [ecma]: re2 } });
  validator.problem("warm-up");
  const start = process.hrtime.bigint();
  const valid = validator.problem(input) === undefined;
  return { valid, micros: Number((process.hrtime.bigint() - start) / 1000n) };
});
console.log(JSON.stringify(out));
