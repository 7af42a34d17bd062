import assert from "node:assert/strict";
import { test } from "node:test";

import { canonicalTime, dataJson, EventSpec, formatNumber } from "@specgen/runtime";

import { ORDER_INIT, SITE, TIME } from "./sample.js";

const SHAPES = new EventSpec<unknown>({
  ...ORDER_INIT,
  name: "ShapeV1",
  type: "com.example.shapes.shape.v1",
  schema: {
    type: "object",
    properties: {
      b: { type: "integer" },
      a: { type: "number" },
      shape: { $ref: "#/definitions/shape" },
      pair: { type: "array", items: [{ type: "string" }, { $ref: "#/definitions/point" }] },
      points: { type: "array", items: { $ref: "#/definitions/point" } },
    },
    definitions: {
      point: { type: "object", properties: { y: { type: "number" }, x: { type: "number" } } },
      shape: {
        oneOf: [
          {
            type: "object",
            required: ["r"],
            additionalProperties: false,
            properties: { kind: { const: "circle" }, r: { type: "number" } },
          },
          {
            type: "object",
            required: ["w"],
            additionalProperties: false,
            properties: { w: { type: "number" }, kind: { const: "box" }, h: { type: "number" } },
          },
        ],
      },
    },
  },
});

const written = (data: unknown): string =>
  dataJson(SHAPES.create(data, SITE, { id: "e-1", time: TIME }), false);

test("properties in schema order at every depth, others after them in their own order", () => {
  const data = {
    extra: [1, { z: 1, a: 2 }],
    points: [{ x: 1, y: 2, w: true }],
    a: 0.5,
    b: 3,
  };
  assert.equal(
    written(data),
    '{"b":3,"a":0.5,"points":[{"y":2,"x":1,"w":true}],"extra":[1,{"z":1,"a":2}]}',
  );
});

test("a union is written with the properties of the variant that accepts the value", () => {
  assert.equal(written({ shape: { r: 2, kind: "circle" } }), '{"shape":{"kind":"circle","r":2}}');
  assert.equal(
    written({ shape: { h: 1, kind: "box", w: 2 } }),
    '{"shape":{"w":2,"kind":"box","h":1}}',
  );
});

test("tuple items each follow their own schema; absent values are left out", () => {
  assert.equal(
    written({ pair: ["p", { x: 1, y: 2 }], a: undefined }),
    '{"pair":["p",{"y":2,"x":1}]}',
  );
});

test("numbers at the edges of Python's notations", () => {
  const cases: Array<[number, string]> = [
    [-0, "0"],
    [2 ** 53 + 2, "9007199254740994"],
    [1e21, "1000000000000000000000"],
    [1e-4, "0.0001"],
    [9.9e-5, "9.9e-05"],
    [1234.5678, "1234.5678"],
    [9999999999999998.5, "9999999999999998"],
    [-2.5e-7, "-2.5e-07"],
  ];
  for (const [value, text] of cases) assert.equal(formatNumber(value), text, String(value));
});

test("canonical times are kept; other spellings become canonical", () => {
  assert.equal(canonicalTime(TIME), TIME);
  assert.equal(canonicalTime("2026-03-01T12:30:15Z"), "2026-03-01T12:30:15Z");
  assert.equal(canonicalTime("2026-03-01t12:30:15z"), "2026-03-01T12:30:15Z");
  assert.equal(canonicalTime("2026-03-01T12:30:15.000000Z"), "2026-03-01T12:30:15Z");
  assert.equal(canonicalTime("2026-03-01T12:30:15.25Z"), "2026-03-01T12:30:15.250000Z");
  assert.equal(canonicalTime("2026-03-01T12:30:15.1234567Z"), "2026-03-01T12:30:15.123456Z");
  assert.equal(canonicalTime("2026-03-01T13:30:15.250000+01:00"), TIME);
  assert.throws(() => canonicalTime("2026-02-30T12:30:15.250000Z"), /not a valid time/);
  assert.throws(() => canonicalTime("2026-03-01T24:00:00Z"), /not a valid time/);
});
