import assert from "node:assert/strict";
import { test } from "node:test";

import { TRACEPARENT, TRACESTATE, decode, encode } from "@specgen/runtime";

import { ORDER, SITE, TIME } from "./sample.js";

const ORIGIN = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function order(extensions: Record<string, string> = {}) {
  return ORDER.create({ amount: 1, order_id: "ord-1" }, SITE, {
    id: "e-1",
    time: TIME,
    extensions,
  });
}

test("trace context is written as CloudEvents attributes in name order (structured)", () => {
  const { payload } = encode(order({ zeta: "z" }), "structured", true, {
    [TRACEPARENT]: ORIGIN,
    [TRACESTATE]: "a=1",
  });
  assert.match(text(payload), /"traceparent":"00-0af7.*","tracestate":"a=1","zeta":"z","data"/);
  assert.deepEqual(
    decode(ORDER, { "Content-Type": "application/cloudevents+json" }, payload).extensions,
    {
      traceparent: ORIGIN,
      tracestate: "a=1",
      zeta: "z",
    },
  );
});

test("trace context is written as ce- headers (binary)", () => {
  const { headers, payload } = encode(order(), "binary", true, { [TRACEPARENT]: ORIGIN });
  assert.equal(headers["ce-traceparent"], ORIGIN);
  assert.equal(decode(ORDER, headers, payload).extensions[TRACEPARENT], ORIGIN);
});

test("an event's own creation context is never replaced", () => {
  const own = "00-11111111111111111111111111111111-2222222222222222-01";
  const { payload } = encode(order({ traceparent: own }), "structured", true, {
    [TRACEPARENT]: ORIGIN,
  });
  assert.ok(text(payload).includes(`"traceparent":"${own}"`));
  assert.ok(!text(payload).includes(ORIGIN));
});
