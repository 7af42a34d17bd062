/** One event specification the tests share: an order with a site parameter. */

import { EventSpec, type EventSpecInit } from "@specgen/runtime";

export interface Order {
  order_id: string;
  amount: number;
  note?: string;
}

export const ORDER_INIT: EventSpecInit = {
  name: "OrderCreatedV1",
  type: "com.example.orders.order_created.v1",
  sourceTemplate: "/sites/{site_id}",
  subjectTemplate: "ex.{site_id}.orders.order_created.v1",
  dataschema: "https://example.com/schemas/order_created.v1.json",
  delivery: "jetstream",
  stream: "ORDERS",
  deadLetterTemplate: "ex.{site_id}.deadletter.orders",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["order_id", "amount"],
    properties: {
      order_id: { type: "string", pattern: "^ord-[0-9]+$" },
      amount: { type: "number", minimum: 0, multipleOf: 0.01 },
      note: { type: "string", maxLength: 10 },
    },
  },
};

export const ORDER = new EventSpec<Order>(ORDER_INIT);

export const SITE = { site_id: "site-1" };
export const TIME = "2026-03-01T12:30:15.250000Z";
