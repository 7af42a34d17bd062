import assert from "node:assert/strict";
import { test } from "node:test";

import { EventSpec, SubjectError, ValidationError, validateToken } from "@specgen/runtime";

import { ORDER, ORDER_INIT, type Order, SITE, TIME } from "./sample.js";

test("subjects and sources are filled from the parameters", () => {
  assert.deepEqual(ORDER.parameters, ["site_id"]);
  assert.equal(ORDER.subjectFor(SITE), "ex.site-1.orders.order_created.v1");
  assert.equal(ORDER.sourceFor(SITE), "/sites/site-1");
  assert.equal(ORDER.filterSubject({}), "ex.*.orders.order_created.v1");
  assert.equal(ORDER.deadLetterSubjectFor(SITE), "ex.site-1.deadletter.orders");
  assert.deepEqual(ORDER.parametersFromSubject("ex.s9.orders.order_created.v1"), {
    site_id: "s9",
  });
});

test("a parameter must be one subject token", () => {
  for (const bad of ["", "a.b", "*", ">", "a b", "tab\there"]) {
    assert.throws(() => ORDER.subjectFor({ site_id: bad }), SubjectError, JSON.stringify(bad));
  }
  assert.throws(() => ORDER.subjectFor({}), /missing parameters \["site_id"\]/);
  assert.throws(() => ORDER.subjectFor({ ...SITE, other: "x" }), /unknown parameters/);
  assert.throws(() => validateToken("n", 5), /must be a string/);
  assert.throws(() => ORDER.parametersFromSubject("ex.s9.orders"), /does not match template/);
});

test("create validates the data and builds a frozen event", () => {
  const event = ORDER.create({ order_id: "ord-1", amount: 12.5 }, SITE, { id: "e1", time: TIME });
  assert.equal(event.type, "com.example.orders.order_created.v1");
  assert.equal(event.source, "/sites/site-1");
  assert.equal(event.time, TIME);
  assert.ok(Object.isFrozen(event));
  assert.throws(
    () => ORDER.create({ order_id: "nope", amount: 1 }, SITE),
    (error: unknown) => error instanceof ValidationError && /pattern/.test(error.message),
  );
  assert.throws(() => ORDER.create({ order_id: "ord-1", amount: 0.001 }, SITE), ValidationError);
});

test("time: Dates keep milliseconds, strings keep microseconds, offsets become UTC", () => {
  const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  const fromDate = ORDER.create({ order_id: "ord-1", amount: 1 }, SITE, { time: at });
  assert.equal(fromDate.time, "2026-01-02T03:04:05.678000Z");
  const offset = ORDER.create({ order_id: "ord-1", amount: 1 }, SITE, {
    time: "2026-01-02T05:04:05.1234567+02:00",
  });
  assert.equal(offset.time, "2026-01-02T03:04:05.123456Z");
  assert.throws(
    () => ORDER.create({ order_id: "ord-1", amount: 1 }, SITE, { time: "2026-01-02" }),
    ValidationError,
  );
});

test("attributes: no empty id, no control characters, extension names checked", () => {
  const data = { order_id: "ord-1", amount: 1 };
  assert.throws(() => ORDER.create(data, SITE, { id: "" }), /id: must not be empty/);
  assert.throws(() => ORDER.create(data, SITE, { subject: "a\u0007" }), /control characters/);
  assert.throws(() => ORDER.create(data, SITE, { extensions: { Bad: "x" } }), /must match/);
  assert.throws(() => ORDER.create(data, SITE, { extensions: { time: "x" } }), /shadows/);
  const ok = ORDER.create(data, SITE, { extensions: { traceparent: "00-ab" } });
  assert.deepEqual(ok.extensions, { traceparent: "00-ab" });
});

test("a parameter must match the pattern the spec gives it", () => {
  const spec = new EventSpec<Order>({
    name: "OrderCreatedV1",
    type: "com.example.orders.order_created.v1",
    sourceTemplate: "/sites/{site_id}",
    subjectTemplate: "ex.{site_id}.orders.order_created.v1",
    dataschema: null,
    delivery: "jetstream",
    stream: "ORDERS",
    deadLetterTemplate: "ex.{site_id}.deadletter.orders",
    schema: {},
    parameterPatterns: { site_id: "^[a-z][a-z0-9-]{1,31}$" },
  });
  assert.equal(spec.subjectFor({ site_id: "site-0001" }), "ex.site-0001.orders.order_created.v1");
  for (const bad of ["Berlin_1", "SITE-1", "s", "1site"]) {
    assert.throws(
      () => spec.subjectFor({ site_id: bad }),
      (error: unknown) =>
        error instanceof SubjectError &&
        error.message.startsWith(
          `site_id=${JSON.stringify(bad)} is not a valid site id: it must match`,
        ),
    );
    assert.throws(() => spec.filterSubject({ site_id: bad }), SubjectError);
  }
  assert.equal(spec.filterSubject({}), "ex.*.orders.order_created.v1");
  assert.throws(
    () => new EventSpec<Order>({ ...ORDER_INIT, parameterPatterns: { other: "x" } }),
    /not a subject parameter/,
  );
});
