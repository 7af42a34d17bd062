import assert from "node:assert/strict";
import { test } from "node:test";

import {
  DeadLetterError,
  DecodeError,
  EncodeError,
  NotAcknowledgedError,
  PublishError,
  SpecgenError,
  SubjectError,
  SubscribeError,
  ValidationError,
} from "@specgen/runtime";

test("every error is a SpecgenError and carries its own name", () => {
  const errors = [
    new SubjectError("s"),
    new ValidationError("v"),
    new EncodeError("e"),
    new DecodeError("d"),
    new PublishError("subj", "id-1", "detail"),
    new NotAcknowledgedError("subj", "id-1", "detail", true),
    new SubscribeError("x"),
    new DeadLetterError("subj", "why", "detail"),
  ];
  for (const error of errors) {
    assert.ok(error instanceof SpecgenError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, error.constructor.name);
  }
});

test("NotAcknowledgedError is a PublishError with the outcome spelled out", () => {
  const cause = new Error("timeout");
  const error = new NotAcknowledgedError("pf.s.orders", "id-7", "no ack", true, { cause });
  assert.ok(error instanceof PublishError);
  assert.equal(error.maybeStored, true);
  assert.equal(error.subject, "pf.s.orders");
  assert.equal(error.eventId, "id-7");
  assert.equal(error.cause, cause);
  assert.equal(error.message, 'publishing event "id-7" to "pf.s.orders" failed: no ack');
});

test("DecodeError keeps the reason apart", () => {
  assert.equal(new DecodeError("payload is not valid JSON").reason, "payload is not valid JSON");
});
