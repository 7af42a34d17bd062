// Run patterns on JavaScript's own engine (the ECMA-262 reference, flag u) and on re2js.
// argv[2]: the path of re2js's ESM entry point (tools/node).
// stdin: JSON {cases: [{ecma, re2, lenient, inputs: [string]}]} (lenient: JavaScript reads the
// pattern without the u flag, see tests/conformance/regex_corpus.py)
// stdout: JSON [{native: [bool|string], re2: [bool|string]}] (a string: why it failed).
import { pathToFileURL } from "node:url";

const { RE2JS } = await import(pathToFileURL(process.argv[2]).href);

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { cases } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const run = (make, inputs) => {
  let test;
  try {
    test = make();
  } catch (error) {
    return inputs.map(() => `compile: ${error.message}`);
  }
  return inputs.map((s) => test(s));
};
const out = cases.map((c) => ({
  native: run(() => { const re = new RegExp(c.ecma, c.lenient ? "" : "u"); return (s) => re.test(s); }, c.inputs),
  re2: run(() => { const re = RE2JS.compile(c.re2); return (s) => re.matcher(s).find(); }, c.inputs),
}));
console.log(JSON.stringify(out));
