/**
 * The CloudEvents NATS protocol binding, byte for byte as specgen_runtime.codec writes it.
 *
 * Structured mode (default): the payload is the CloudEvents JSON format with attributes in a
 * fixed order (specversion, id, source, type, subject, time, datacontenttype, dataschema,
 * extensions sorted by name, data), header `Content-Type: application/cloudevents+json`.
 * Binary mode: the payload is the data JSON, attributes are percent-encoded `ce-<name>`
 * headers, `Content-Type: application/json`. Both carry `Nats-Msg-Id: <event id>`, and events
 * of a type served over MQTT at QoS 1 `Nmqtt-Pub: 1` (see mqtt.ts).
 * Decoding accepts both modes; header names are matched case-insensitively.
 */

import { DecodeError, EncodeError, ValidationError } from "./errors.js";
import {
  DATACONTENTTYPE,
  DATA_VALIDATED,
  SPECVERSION,
  type Event,
  type EventSpec,
} from "./events.js";
import { parseJson, percentDecode, percentEncode, toBytes, utf8 } from "./json.js";
import { QOS_HEADER } from "./mqtt.js";
import { writeJson } from "./writer.js";

export const CONTENT_TYPE_STRUCTURED = "application/cloudevents+json";
export const CONTENT_TYPE_JSON = DATACONTENTTYPE;
export const MSG_ID_HEADER = "Nats-Msg-Id";
const BINARY_KNOWN = new Set([
  "specversion",
  "id",
  "source",
  "type",
  "subject",
  "time",
  "dataschema",
]);
/** Attributes of the JSON format that are not extensions (`data_base64` is refused as one). */
const STRUCTURED_KNOWN = new Set([...BINARY_KNOWN, "datacontenttype", "data"]);

export type Mode = "structured" | "binary";
/** Header names and values in the order they are written. */
export type Headers = Record<string, string>;

export interface Encoded {
  readonly headers: Headers;
  readonly payload: Uint8Array;
}

function wellFormed(event: Event<unknown>, value: string): string {
  if (!value.isWellFormed())
    throw new EncodeError(`event ${JSON.stringify(event.id)}: attribute is not valid Unicode`);
  return value;
}

/** The data of an event as JSON text (validated again unless `validate` is false). */
export function dataJson(event: Event<unknown>, validate = true): string {
  if (validate) {
    const problem = event.spec.validator.problem(event.data);
    if (problem !== undefined)
      throw new EncodeError(`event ${JSON.stringify(event.id)}: data is invalid: ${problem}`);
  }
  return writeJson(event.spec.validator, event.data);
}

/**
 * Serialise an event to NATS headers and payload. `added`: extension attributes written besides
 * the event's own (the publisher's trace context; names the event has win).
 */
export function encode(
  event: Event<unknown>,
  mode: Mode = "structured",
  validate = true,
  added?: Readonly<Record<string, string>>,
): Encoded {
  const data = dataJson(event, validate);
  const extensions = added === undefined ? event.extensions : { ...added, ...event.extensions };
  if (mode === "binary")
    return { headers: mqttQos(event, binaryHeaders(event, extensions)), payload: toBytes(data) };
  const parts = [
    '{"specversion":"1.0","id":',
    JSON.stringify(wellFormed(event, event.id)),
    ',"source":',
    JSON.stringify(wellFormed(event, event.source)),
    ',"type":',
    JSON.stringify(event.type),
  ];
  if (event.subject !== undefined)
    parts.push(',"subject":', JSON.stringify(wellFormed(event, event.subject)));
  parts.push(',"time":"', event.time, '","datacontenttype":"application/json"');
  if (event.dataschema !== null) parts.push(',"dataschema":', JSON.stringify(event.dataschema));
  for (const name of Object.keys(extensions).sort()) {
    parts.push(',"', name, '":', JSON.stringify(wellFormed(event, extensions[name]!)));
  }
  parts.push(',"data":', data, "}");
  return {
    headers: mqttQos(event, { "Content-Type": CONTENT_TYPE_STRUCTURED, [MSG_ID_HEADER]: event.id }),
    payload: toBytes(parts.join("")),
  };
}

/** `headers`, with `Nmqtt-Pub: 1` for an event type served over MQTT at QoS 1. */
function mqttQos(event: Event<unknown>, headers: Headers): Headers {
  if (event.spec.mqtt?.qos === 1) headers[QOS_HEADER] = "1";
  return headers;
}

function binaryHeaders(
  event: Event<unknown>,
  extensions: Readonly<Record<string, string>>,
): Headers {
  const headers: Headers = {
    "ce-specversion": SPECVERSION,
    "ce-id": percentEncode(event.id),
    "ce-source": percentEncode(event.source),
    "ce-type": percentEncode(event.type),
    "ce-time": event.time,
  };
  if (event.subject !== undefined) headers["ce-subject"] = percentEncode(event.subject);
  if (event.dataschema !== null) headers["ce-dataschema"] = percentEncode(event.dataschema);
  for (const name of Object.keys(extensions).sort())
    headers["ce-" + name] = percentEncode(extensions[name]!);
  headers["Content-Type"] = CONTENT_TYPE_JSON;
  headers[MSG_ID_HEADER] = event.id;
  return headers;
}

/** Parse a NATS message into an event of `spec`, in either content mode. Throws DecodeError. */
export function decode<D>(
  spec: EventSpec<D>,
  headers: Readonly<Record<string, string>> | undefined,
  payload: Uint8Array,
): Event<D> {
  const lower: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (!(key.toLowerCase() in lower)) lower[key.toLowerCase()] = value;
  }
  if ("ce-specversion" in lower) return decodeBinary(spec, lower, payload);
  const contentType = lower["content-type"];
  if (contentType !== undefined && !contentType.startsWith(CONTENT_TYPE_STRUCTURED)) {
    throw new DecodeError(
      `not a CloudEvent: no ce-specversion header (binary mode) and Content-Type ${JSON.stringify(contentType)} is not ${JSON.stringify(CONTENT_TYPE_STRUCTURED)} (structured mode)`,
    );
  }
  return decodeStructured(spec, payload);
}

function checkType(spec: EventSpec<unknown>, specversion: unknown, type: unknown): void {
  if (specversion !== SPECVERSION)
    throw new DecodeError(
      `attribute 'specversion' is ${JSON.stringify(specversion ?? null)}, expected '1.0'`,
    );
  if (type !== spec.type)
    throw new DecodeError(
      `attribute 'type' is ${JSON.stringify(type ?? null)}, expected ${JSON.stringify(spec.type)}`,
    );
}

function build<D>(
  spec: EventSpec<D>,
  attributes: Parameters<EventSpec<D>["event"]>[0],
  dataValidated: boolean,
): Event<D> {
  try {
    return spec.event(attributes, dataValidated ? DATA_VALIDATED : undefined);
  } catch (error) {
    if (error instanceof ValidationError) {
      const prefix = error.message.startsWith("data") ? "invalid data: " : "invalid attribute: ";
      throw new DecodeError(prefix + error.message, { cause: error });
    }
    throw error;
  }
}

function decodeBinary<D>(
  spec: EventSpec<D>,
  headers: Record<string, string>,
  payload: Uint8Array,
): Event<D> {
  const attrs: Record<string, string> = {};
  const extensions: Record<string, string> = {};
  for (const [key, raw] of Object.entries(headers)) {
    if (!key.startsWith("ce-")) continue;
    const name = key.slice(3);
    let value: string;
    try {
      value = percentDecode(raw);
    } catch (error) {
      throw new DecodeError(`header ${JSON.stringify(key)} is not percent-encoded UTF-8`, {
        cause: error,
      });
    }
    (BINARY_KNOWN.has(name) ? attrs : extensions)[name] = value;
  }
  checkType(spec, attrs["specversion"], attrs["type"]);
  const contentType = headers["content-type"] ?? CONTENT_TYPE_JSON;
  if (!contentType.startsWith(CONTENT_TYPE_JSON))
    throw new DecodeError(
      `Content-Type is ${JSON.stringify(contentType)}, expected ${JSON.stringify(CONTENT_TYPE_JSON)}`,
    );
  for (const name of ["id", "source", "time"]) {
    if (attrs[name] === undefined)
      throw new DecodeError(`missing required attribute '${name}' (header 'ce-${name}')`);
  }
  const data = parseJson(utf8(payload));
  return build(
    spec,
    {
      id: attrs["id"]!,
      source: attrs["source"]!,
      time: attrs["time"]!,
      subject: attrs["subject"],
      data,
      extensions,
    },
    false,
  );
}

function extensionText(name: string, value: unknown): string {
  if (name === "data_base64")
    throw new DecodeError("binary data ('data_base64') is not supported: data must be JSON");
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value).toString();
  throw new DecodeError(
    `extension attribute ${JSON.stringify(name)} must be a string, got ${JSON.stringify(value)}`,
  );
}

function decodeStructured<D>(spec: EventSpec<D>, payload: Uint8Array): Event<D> {
  const doc = parseJson(utf8(payload));
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    throw new DecodeError("payload must be a JSON object (the CloudEvents JSON format)");
  const wire = doc as Record<string, unknown>;
  checkType(spec, wire["specversion"], wire["type"]);
  for (const name of ["id", "source", "time"]) {
    if (!(name in wire)) throw new DecodeError(`missing required attribute '${name}'`);
    if (typeof wire[name] !== "string")
      throw new DecodeError(`attribute '${name}': must be a string`);
  }
  for (const name of ["subject", "datacontenttype", "dataschema"]) {
    if (wire[name] !== undefined && wire[name] !== null && typeof wire[name] !== "string")
      throw new DecodeError(`attribute '${name}': must be a string`);
  }
  if (!("data" in wire)) throw new DecodeError("missing required attribute 'data'");
  const contentType = wire["datacontenttype"];
  if (typeof contentType === "string" && !contentType.startsWith(CONTENT_TYPE_JSON)) {
    throw new DecodeError(
      `attribute 'datacontenttype' is ${JSON.stringify(contentType)}, expected ${JSON.stringify(CONTENT_TYPE_JSON)}`,
    );
  }
  const extensions: Record<string, string> = {};
  for (const [name, value] of Object.entries(wire)) {
    if (!STRUCTURED_KNOWN.has(name)) extensions[name] = extensionText(name, value);
  }
  const problem = spec.validator.problem(wire["data"]);
  if (problem !== undefined) throw new DecodeError(`invalid data: ${problem}`);
  const subject = wire["subject"];
  return build(
    spec,
    {
      id: wire["id"] as string,
      source: wire["source"] as string,
      time: wire["time"] as string,
      subject: typeof subject === "string" ? subject : undefined,
      data: wire["data"],
      extensions,
    },
    true, // validated just above, before the attributes (that order decides the error)
  );
}
