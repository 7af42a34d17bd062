// Decode every golden vector with the generated package, compare the values, re-encode and
// compare the bytes and headers. argv: <package dir> <vectors.json>. Prints a JSON report.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";

const [pkgDir, vectorsPath] = process.argv.slice(2);
const pkg = await import(pathToFileURL(`${pkgDir}/lib/index.js`).href);
const vectors = JSON.parse(readFileSync(vectorsPath, "utf8")).vectors;
const failures = [];
const sorted = (h) => Object.fromEntries(Object.entries(h).sort(([a], [b]) => (a < b ? -1 : 1)));
for (const v of vectors) {
  try {
    const spec = pkg.EVENT_TYPES[v.type];
    const event = pkg.decode(spec, v.headers, new TextEncoder().encode(v.payload));
    const e = v.event;
    const got = { id: event.id, source: event.source, type: event.type, time: event.time,
      subject: event.subject ?? null, extensions: event.extensions, data: event.data };
    const want = { ...e, subject: e.subject ?? null };
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(got)), want)) failures.push(`${v.name}: values differ`);
    const { headers, payload } = pkg.encode(event, v.mode);
    if (new TextDecoder().decode(payload) !== v.payload) failures.push(`${v.name}: payload bytes differ`);
    if (!isDeepStrictEqual(sorted(headers), v.headers)) failures.push(`${v.name}: headers differ`);
  } catch (error) {
    failures.push(`${v.name}: ${error.name}: ${error.message}`);
  }
}
console.log(JSON.stringify({ total: vectors.length, failures }));
