/**
 * @specgen/runtime: what every specgen-generated TypeScript event package stands on.
 *
 * Event specifications and the CloudEvents envelope, the CloudEvents NATS binding (byte for
 * byte the Python runtime's), validation with ajv, JetStream publishers and subscribers with
 * dead letters, and one error tree. Two generated packages in one application share this
 * package, so an error of one is `instanceof` the other's.
 */

export * from "./errors.js";
export {
  CORE_ATTRIBUTES,
  DATACONTENTTYPE,
  SPECVERSION,
  Event,
  EventSpec,
  readBuildInfo,
  validateToken,
} from "./events.js";
export type {
  BuildInfo,
  CreateOptions,
  Delivery,
  EventAttributes,
  EventSpecInit,
  Params,
} from "./events.js";
export {
  CONTENT_TYPE_JSON,
  CONTENT_TYPE_STRUCTURED,
  MSG_ID_HEADER,
  dataJson,
  decode,
  encode,
} from "./codec.js";
export type { Encoded, Headers, Mode } from "./codec.js";
export { QOS_HEADER, topicOf } from "./mqtt.js";
export type { MqttSpec } from "./mqtt.js";
export {
  canonicalTime,
  formatNumber,
  parseJson,
  percentDecode,
  percentEncode,
  timeFromDate,
} from "./json.js";
export type { Json, SchemaNode } from "./json.js";
export { EventPublisher, toNatsHeaders } from "./publisher.js";
export type { PublishResult, PublisherOptions } from "./publisher.js";
export { Received, headerRecord } from "./received.js";
export {
  EVENT_TYPE_HEADER,
  ORIGINAL_SUBJECT_HEADER,
  REASON_HEADER,
  Subscription,
  subscribe,
} from "./subscriber.js";
export type { SubscribeOptions } from "./subscriber.js";
export { TRACEPARENT, TRACESTATE } from "./tracing.js";
export type { TracerProviderLike } from "./tracing.js";
export { DataValidator, isMultipleOf } from "./validation.js";
export { DomainPublisher, DomainSubscriber, publisherClass, subscriberClass } from "./domain.js";
export type { DomainSubscribeOptions, MethodEntry, MethodTable } from "./domain.js";
/** The connection type publishers and subscribers take (from nats.js v3). */
export type { NatsConnection } from "@nats-io/nats-core";
