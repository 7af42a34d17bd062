// Validate JSON Schema suite instances with generated TypeScript packages.
// argv: <the runtime's dist/index.js> (the packages' @specgen/runtime: one module instance).
// stdin: JSON [{module, cases: [{index, type, tests: [{description, text, valid}]}]}]
// stdout: JSON [{module, index, problems: [{test, detail}]}] (one entry per case).
import { pathToFileURL } from "node:url";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const jobs = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const runtime = await import(pathToFileURL(process.argv[2]).href);
const results = [];
for (const job of jobs) {
  const events = await import(pathToFileURL(job.module).href);
  for (const c of job.cases) {
    const problems = [];
    const spec = events.EVENT_TYPES[c.type];
    for (const t of c.tests) {
      let accepted;
      try {
        accepted = spec.validator.problem(runtime.parseJson(t.text)) === undefined;
      } catch (error) {
        accepted = error instanceof runtime.DecodeError ? false : `raised ${error.name}: ${error.message}`;
      }
      if (accepted !== t.valid) problems.push({ test: t.description, detail: `${t.text.slice(0, 80)} valid=${t.valid} ts=${accepted}` });
    }
    results.push({ module: job.module, index: c.index, problems });
  }
}
console.log(JSON.stringify(results));
