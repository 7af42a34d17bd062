import assert from "node:assert/strict";
import { test } from "node:test";

import { DataValidator, isMultipleOf } from "@specgen/runtime";

test("multipleOf is exact for decimals", () => {
  assert.ok(isMultipleOf(0.0075, 0.0001));
  assert.ok(isMultipleOf(0.3, 0.1));
  assert.ok(isMultipleOf(19.99, 0.01));
  assert.ok(!isMultipleOf(0.0075, 0.001));
  assert.ok(!isMultipleOf(Number.POSITIVE_INFINITY, 1));
});

test("formats follow the Python runtime's rules", () => {
  const v = new DataValidator<unknown>("t", {
    type: "object",
    properties: {
      at: { type: "string", format: "date-time" },
      day: { type: "string", format: "date" },
      id: { type: "string", format: "uuid" },
      ip: { type: "string", format: "ipv4" },
    },
  });
  assert.equal(v.problem({ at: "2016-12-31T23:59:60Z", day: "2024-02-29" }), undefined);
  assert.match(v.problem({ day: "2023-02-29" }) ?? "", /day/);
  assert.match(v.problem({ at: "2016-12-31 23:59:59" }) ?? "", /at/);
  assert.match(v.problem({ id: "not-a-uuid" }) ?? "", /id/);
  assert.match(v.problem({ ip: "256.1.1.1" }) ?? "", /ip/);
});

test("integers beyond 2^53 - 1 are rejected by an integer schema", () => {
  const v = new DataValidator<unknown>("t", { type: "integer" });
  assert.equal(v.problem(9007199254740991), undefined);
  assert.notEqual(v.problem(9007199254740992), undefined);
  assert.notEqual(v.problem(1.5), undefined);
});

test("patterns run on re2js with the embedded translation, in linear time", () => {
  const v = new DataValidator<unknown>("t", {
    type: "string",
    pattern: "^(a+)+$",
    "x-specgen-re2": { "^(a+)+$": "^(?:a+)+$" },
  });
  assert.equal(v.problem("aaaa"), undefined);
  // a backtracking engine needs 2^10000 steps here; RE2 is linear in the input
  assert.notEqual(v.problem("a".repeat(10_000) + "!"), undefined);
});

test("a pattern without a translation runs as RE2, and lookaround is refused", () => {
  const v = new DataValidator<unknown>("t", { type: "string", pattern: "^x[0-9]+$" });
  assert.equal(v.problem("x12"), undefined);
  assert.notEqual(v.problem("x12\n"), undefined);
  assert.throws(() => new DataValidator<unknown>("u", { type: "string", pattern: "^(?=x)" }));
});

test("a pattern searches, and a remembered answer is the answer", () => {
  const v = new DataValidator<unknown>("t", { type: "string", pattern: "[0-9]{2}" });
  // more distinct texts than one pattern remembers, each asked twice, and long texts too
  for (let n = 0; n < 600; n++) {
    const text = n % 3 === 0 ? `x${n}y` : `x${"-".repeat(n % 70)}${n % 10}y`;
    const expected = /[0-9]{2}/.test(text);
    for (const round of [1, 2]) {
      assert.equal(v.problem(text) === undefined, expected, `${text} (round ${round})`);
    }
  }
});

test("formats take the whole string: a trailing newline is no email", () => {
  const v = new DataValidator<unknown>("t", { type: "string", format: "email" });
  assert.equal(v.problem("a@b.c"), undefined);
  assert.notEqual(v.problem("a@b.c\n"), undefined);
});
