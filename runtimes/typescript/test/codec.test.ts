import assert from "node:assert/strict";
import { test } from "node:test";

import {
  DecodeError,
  decode,
  encode,
  formatNumber,
  parseJson,
  percentDecode,
  percentEncode,
} from "@specgen/runtime";

import { ORDER, SITE, TIME } from "./sample.js";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytes = (value: string): Uint8Array => new TextEncoder().encode(value);

function order() {
  return ORDER.create({ note: "n", amount: 12.5, order_id: "ord-1" }, SITE, {
    id: "e-1",
    time: TIME,
    extensions: { zeta: "z", alpha: "a b" },
  });
}

test("structured mode: fixed attribute order, data in schema order", () => {
  const { headers, payload } = encode(order());
  assert.deepEqual(headers, {
    "Content-Type": "application/cloudevents+json",
    "Nats-Msg-Id": "e-1",
  });
  assert.equal(
    text(payload),
    '{"specversion":"1.0","id":"e-1","source":"/sites/site-1",' +
      '"type":"com.example.orders.order_created.v1","time":"2026-03-01T12:30:15.250000Z",' +
      '"datacontenttype":"application/json",' +
      '"dataschema":"https://example.com/schemas/order_created.v1.json",' +
      '"alpha":"a b","zeta":"z","data":{"order_id":"ord-1","amount":12.5,"note":"n"}}',
  );
});

test("binary mode: percent-encoded ce- headers, data as payload", () => {
  const { headers, payload } = encode(order(), "binary");
  assert.equal(headers["ce-alpha"], "a%20b");
  assert.equal(headers["ce-source"], "/sites/site-1");
  assert.equal(headers["Content-Type"], "application/json");
  assert.equal(headers["Nats-Msg-Id"], "e-1");
  assert.equal(text(payload), '{"order_id":"ord-1","amount":12.5,"note":"n"}');
});

test("both modes decode back to the same event, header names in any case", () => {
  for (const mode of ["structured", "binary"] as const) {
    const { headers, payload } = encode(order(), mode);
    const shouted = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]),
    );
    const event = decode(ORDER, shouted, payload);
    assert.equal(event.id, "e-1");
    assert.equal(event.time, TIME);
    assert.deepEqual(event.extensions, { alpha: "a b", zeta: "z" });
    assert.deepEqual(event.data, { order_id: "ord-1", amount: 12.5, note: "n" });
  }
});

test("what is not an event of the expected type is a DecodeError with the reason", () => {
  const { payload } = encode(order());
  const structured = { "Content-Type": "application/cloudevents+json" };
  const cases: Array<[Record<string, string>, string, RegExp]> = [
    [structured, "{", /not valid JSON/],
    [structured, text(payload).replace("order_created", "order_paid"), /type/],
    [structured, text(payload).replace('"amount":12.5', '"amount":-1'), /amount/],
    [{ "Content-Type": "text/plain" }, text(payload), /not a CloudEvent/],
    [{ "ce-specversion": "1.0", "ce-type": ORDER.type }, "{}", /ce-id|required/],
  ];
  for (const [headers, body, reason] of cases) {
    assert.throws(
      () => decode(ORDER, headers, bytes(body)),
      (error: unknown) => error instanceof DecodeError && reason.test(error.reason),
      body,
    );
  }
});

test("integers a double cannot hold are refused, never rounded", () => {
  assert.equal(parseJson("9007199254740991"), 9007199254740991);
  assert.throws(() => parseJson("9007199254740993"), DecodeError);
  assert.throws(() => parseJson('{"a": 12345678901234567890}'), /beyond 2\^53/);
  assert.deepEqual(parseJson('"9007199254740993"'), "9007199254740993");
});

test("a long integer is found wherever it sits in the text", () => {
  // the search for runs of 16 digits looks at every 16th character: try every alignment
  for (let pad = 0; pad < 40; pad++) {
    const space = " ".repeat(pad);
    assert.throws(() => parseJson(`[${space}9007199254740993]`), /beyond 2\^53/, `pad ${pad}`);
    assert.throws(() => parseJson(`[1,${space}-9007199254740993]`), /beyond 2\^53/);
    assert.deepEqual(parseJson(`[${space}123456789012345]`), [123456789012345]); // 15 digits
    assert.deepEqual(parseJson(`[${space}1234567890123456.5]`), [1234567890123456.5]); // a float
  }
});

test("numbers are written as Python writes them", () => {
  assert.equal(formatNumber(5), "5");
  assert.equal(formatNumber(0.1), "0.1");
  assert.equal(formatNumber(1e-5), "1e-05");
  assert.equal(formatNumber(1.5e16), "15000000000000000");
  assert.equal(formatNumber(1.25e16 + 0.5), "12500000000000000");
  assert.equal(formatNumber(2.5e-7), "2.5e-07");
  assert.throws(() => formatNumber(Number.NaN), /not a JSON number/);
});

test("percent-encoding round-trips every code point class", () => {
  const value = 'a b"c%d\u00e9\u{1f600}~';
  assert.equal(percentEncode(value), "a%20b%22c%25d%C3%A9%F0%9F%98%80~");
  assert.equal(percentDecode(percentEncode(value)), value);
  assert.equal(percentDecode('"quoted\\"value"'), 'quoted"value');
});
