// The TypeScript side of bench/bench_languages.py: microseconds per event of the compiled
// generated package. argv: <package dir> <event type> <payload.json> <parameter value>.
// Prints one JSON line: {"encode_us": ..., "decode_us": ...}.
//
// validate+encode: spec.create (validates the data with ajv) with a fixed id and time, then
// encode in structured mode without validating again (as a publisher does after create).
// decode+validate: decode of those headers and payload (it validates the data).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pkgDir, eventType, payloadPath, paramValue] = process.argv.slice(2);
const pkg = await import(pathToFileURL(`${pkgDir}/lib/index.js`).href);
const spec = pkg.EVENT_TYPES[eventType];
if (spec === undefined) throw new Error(`unknown event type ${eventType}`);
const payload = JSON.parse(readFileSync(payloadPath, "utf8"));
const params = Object.fromEntries(spec.parameters.map((name) => [name, paramValue]));
const TIME = "2026-01-01T00:00:00Z";

let sink = 0;
const encodeOnce = () =>
  pkg.encode(spec.create(payload, params, { id: "bench-1", time: TIME }), "structured", false);
const { headers, payload: body } = encodeOnce();
const decodeOnce = () => pkg.decode(spec, headers, body);

/** Best (least disturbed) microseconds per call over five runs of about 0.2 s each. */
function bestOf(fn) {
  const run = (n) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink ^= fn() === undefined ? 1 : 0;
    return Number(process.hrtime.bigint() - start) / 1e3; // microseconds
  };
  let number = 1;
  while (run(number) < 50_000) number *= 2;
  number *= 4;
  let best = Infinity;
  for (let r = 0; r < 5; r++) best = Math.min(best, run(number) / number);
  return best;
}

const result = { encode_us: bestOf(encodeOnce), decode_us: bestOf(decodeOnce) };
if (sink < 0) console.error(sink);
console.log(JSON.stringify(result));
