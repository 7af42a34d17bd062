import assert from "node:assert/strict";
import { test } from "node:test";

import { EventSpec, QOS_HEADER, SubjectError, encode, topicOf } from "@specgen/runtime";

import { ORDER, ORDER_INIT, type Order, SITE, TIME } from "./sample.js";

const SERVED = new EventSpec<Order>({
  ...ORDER_INIT,
  mqtt: { topic: "ex/{site_id}/orders/order_created/v1", qos: 1, devicePublish: false },
});
const DATA = { order_id: "ord-1", amount: 1 };

test("subjects map to topics by the server's rules", () => {
  assert.equal(topicOf("ex.site-1.orders.order_created.v1"), "ex/site-1/orders/order_created/v1");
  assert.equal(topicOf("ex.*.orders.>"), "ex/+/orders/#");
  for (const bad of ["ex.a/b.x", "ex.a+b.x", "ex.#.x"]) {
    assert.throws(() => topicOf(bad), SubjectError, bad);
  }
});

test("an event served over MQTT fills its topic and filter", () => {
  assert.equal(SERVED.topicFor(SITE), "ex/site-1/orders/order_created/v1");
  assert.equal(SERVED.topicFilter({}), "ex/+/orders/order_created/v1");
  assert.throws(() => ORDER.topicFor(SITE), /not served over MQTT/);
  assert.throws(() => SERVED.topicFor({ site_id: "a/b" }), SubjectError);
});

test("the MQTT spec must agree with the subject and the delivery", () => {
  const topic = "ex/{site_id}/orders/order_created/v1";
  assert.throws(
    () => new EventSpec({ ...ORDER_INIT, mqtt: { topic: "x", qos: 0, devicePublish: false } }),
    /is not the subject template mapped/,
  );
  assert.throws(
    () =>
      new EventSpec({
        ...ORDER_INIT,
        delivery: "core",
        stream: null,
        mqtt: { topic, qos: 1, devicePublish: false },
      }),
    /QoS 1 needs jetstream delivery/,
  );
});

test("QoS 1 events carry Nmqtt-Pub: 1 in both modes, others do not", () => {
  const served = SERVED.create(DATA, SITE, { id: "e1", time: TIME });
  for (const mode of ["structured", "binary"] as const) {
    assert.equal(encode(served, mode).headers[QOS_HEADER], "1", mode);
    const plain = ORDER.create(DATA, SITE, { id: "e1", time: TIME });
    assert.equal(encode(plain, mode).headers[QOS_HEADER], undefined, mode);
  }
});
