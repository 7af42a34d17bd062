/**
 * Event specifications and the typed CloudEvents 1.0 envelope, as in specgen_runtime.events.
 *
 * An `EventSpec` is the static description of one event type (CloudEvents `type`, templates of
 * `source` and of the NATS subject, delivery, stream, dead-letter subject) plus the compiled
 * validator of its data. `spec.create(data, { params })` builds a validated, frozen `Event`.
 * `time` is kept as a canonical RFC 3339 string (UTC, `Z`, microseconds), never as a Date, so
 * no precision is lost between Python and TypeScript.
 */

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

import { SubjectError, ValidationError } from "./errors.js";
import { canonicalTime, timeFromDate, type SchemaNode } from "./json.js";
import { topicOf, type MqttSpec } from "./mqtt.js";
import { DataValidator, linearRegExp, re2Of } from "./validation.js";

export const SPECVERSION = "1.0";
export const DATACONTENTTYPE = "application/json";
/** Attribute names defined by CloudEvents 1.0 (plus `data_base64`); extensions must not shadow them. */
export const CORE_ATTRIBUTES: ReadonlySet<string> = new Set([
  "specversion",
  "id",
  "source",
  "type",
  "subject",
  "time",
  "datacontenttype",
  "dataschema",
  "data",
  "data_base64",
]);
const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const TOKEN_BAD = /[.*>\s]/;
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export type Delivery = "jetstream" | "core";

/**
 * Passed by the runtime's decoder (not exported by the package) when it has just validated the
 * data it builds an event of, so that the data is validated once per message, not twice.
 */
export const DATA_VALIDATED: unique symbol = Symbol("specgen.dataValidated");
export type Params = Readonly<Record<string, string>>;

/** Return `value` if it is a valid single NATS subject token, else throw SubjectError. */
export function validateToken(name: string, value: unknown): string {
  if (typeof value !== "string")
    throw new SubjectError(
      `parameter ${JSON.stringify(name)} must be a string, got ${typeof value}`,
    );
  if (value === "") throw new SubjectError(`parameter ${JSON.stringify(name)} must not be empty`);
  const bad = TOKEN_BAD.exec(value) ?? /[\u0000-\u001f\u007f-\u009f]/.exec(value);
  if (bad !== null) {
    throw new SubjectError(
      `parameter ${JSON.stringify(name)}=${JSON.stringify(value)} is not a single NATS subject token ` +
        `(contains ${JSON.stringify(bad[0])}; '.', '*', '>' and whitespace are not allowed)`,
    );
  }
  return value;
}

function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

export interface EventSpecInit {
  readonly name: string;
  readonly type: string;
  readonly sourceTemplate: string;
  readonly subjectTemplate: string;
  readonly dataschema: string | null;
  readonly delivery: Delivery;
  readonly stream: string | null;
  readonly deadLetterTemplate: string | null;
  readonly schema: SchemaNode;
  /** Values a parameter must match (JSON Schema `pattern`, e.g. the spec's site id pattern). */
  readonly parameterPatterns?: Readonly<Record<string, string>>;
  /** How a site's MQTT listener serves the event (the spec's `x-mqtt`). */
  readonly mqtt?: MqttSpec;
}

export interface CreateOptions {
  /** Event id; defaults to a random UUID. */
  readonly id?: string;
  /** Event time: a Date (milliseconds) or an RFC 3339 string (microseconds kept); defaults to now. */
  readonly time?: Date | string;
  readonly subject?: string;
  readonly extensions?: Readonly<Record<string, string>>;
}

export class EventSpec<D> {
  readonly name: string;
  readonly type: string;
  readonly sourceTemplate: string;
  readonly subjectTemplate: string;
  readonly dataschema: string | null;
  readonly delivery: Delivery;
  readonly stream: string | null;
  readonly deadLetterTemplate: string | null;
  readonly parameters: readonly string[];
  readonly parameterPatterns: Readonly<Record<string, string>>;
  /** How a site's MQTT listener serves the event, or null when it does not. */
  readonly mqtt: MqttSpec | null;
  readonly validator: DataValidator<D>;
  readonly #patterns: ReadonlyMap<string, { test: (text: string) => boolean }>;

  constructor(init: EventSpecInit) {
    this.name = init.name;
    this.type = init.type;
    this.sourceTemplate = init.sourceTemplate;
    this.subjectTemplate = init.subjectTemplate;
    this.dataschema = init.dataschema;
    this.delivery = init.delivery;
    this.stream = init.stream;
    this.deadLetterTemplate = init.deadLetterTemplate;
    this.parameters = placeholders(init.subjectTemplate);
    this.parameterPatterns = Object.freeze({ ...(init.parameterPatterns ?? {}) });
    // the validator first: it registers the RE2 translations the schema embeds
    this.validator = new DataValidator<D>(init.type, init.schema);
    const patterns = new Map<string, { test: (text: string) => boolean }>();
    for (const [name, pattern] of Object.entries(this.parameterPatterns)) {
      if (!this.parameters.includes(name))
        throw new Error(
          `pattern given for ${JSON.stringify(name)}, which is not a subject parameter`,
        );
      patterns.set(name, linearRegExp(re2Of(pattern)));
    }
    this.#patterns = patterns;
    this.mqtt = init.mqtt === undefined ? null : Object.freeze({ ...init.mqtt });
    this.checkMqtt();
    Object.freeze(this);
  }

  private checkMqtt(): void {
    if (this.mqtt === null) return;
    const expected = this.subjectTemplate.replaceAll(".", "/");
    if (this.mqtt.topic !== expected)
      throw new Error(
        `event ${JSON.stringify(this.type)}: MQTT topic ${JSON.stringify(this.mqtt.topic)} is not ` +
          `the subject template mapped by the server's rules (${JSON.stringify(expected)})`,
      );
    if (this.mqtt.qos === 1 && this.delivery !== "jetstream")
      throw new Error(`event ${JSON.stringify(this.type)}: MQTT QoS 1 needs jetstream delivery`);
  }

  /** `value` as a subject token of parameter `name`, checked against its pattern. */
  private check(name: string, value: unknown): string {
    const token = validateToken(name, value);
    const pattern = this.#patterns.get(name);
    if (pattern !== undefined && !pattern.test(token)) {
      const label = name.replace(/[_-]/g, " ");
      throw new SubjectError(
        `${name}=${JSON.stringify(token)} is not a valid ${label}: it must match ` +
          `${JSON.stringify(this.parameterPatterns[name])} (the pattern the spec gives this parameter)`,
      );
    }
    return token;
  }

  private fill(template: string, params: Params, exact: boolean): string {
    const unknown = Object.keys(params).filter((k) => !this.parameters.includes(k));
    if (unknown.length > 0)
      throw new SubjectError(
        `unknown parameters ${JSON.stringify(unknown.sort())} for event ${JSON.stringify(this.type)}`,
      );
    const wanted = placeholders(template);
    const missing = wanted.filter((name) => params[name] === undefined);
    if (missing.length > 0 && exact)
      throw new SubjectError(
        `missing parameters ${JSON.stringify(missing)} for event ${JSON.stringify(this.type)}`,
      );
    return template.replace(PLACEHOLDER, (_m, name: string) =>
      params[name] === undefined ? "*" : this.check(name, params[name]),
    );
  }

  /** The concrete NATS subject to publish to; every parameter is required. */
  subjectFor(params: Params): string {
    return this.fill(this.subjectTemplate, params, true);
  }

  /** The CloudEvents `source` for these parameters. */
  sourceFor(params: Params): string {
    return this.fill(this.sourceTemplate, params, true);
  }

  /** A subscription subject: missing parameters become `*` (for example all sites). */
  filterSubject(params: Params): string {
    return this.fill(this.subjectTemplate, params, false);
  }

  /** The MQTT topic a site serves these events on; every parameter is required. */
  topicFor(params: Params): string {
    this.servedOverMqtt();
    return topicOf(this.subjectFor(params));
  }

  /** An MQTT subscription topic: missing parameters become `+`. */
  topicFilter(params: Params = {}): string {
    this.servedOverMqtt();
    return topicOf(this.filterSubject(params));
  }

  private servedOverMqtt(): void {
    if (this.mqtt === null)
      throw new SubjectError(
        `event ${JSON.stringify(this.type)} is not served over MQTT (no x-mqtt)`,
      );
  }

  /** The subject undecodable messages of this event type are moved to. */
  deadLetterSubjectFor(params: Params): string {
    if (this.deadLetterTemplate === null)
      throw new SubjectError(
        `event ${JSON.stringify(this.type)} has no dead-letter subject template`,
      );
    return this.fill(this.deadLetterTemplate, params, true);
  }

  /** Read the parameter values back out of a concrete subject of this event. */
  parametersFromSubject(subject: string): Record<string, string> {
    const template = this.subjectTemplate.split(".");
    const tokens = subject.split(".");
    if (template.length !== tokens.length) {
      throw new SubjectError(
        `subject ${JSON.stringify(subject)} does not match template ${JSON.stringify(this.subjectTemplate)}`,
      );
    }
    const params: Record<string, string> = {};
    template.forEach((t, i) => {
      if (t.startsWith("{")) params[t.slice(1, -1)] = validateToken(t.slice(1, -1), tokens[i]);
    });
    return params;
  }

  /** Build a validated event; `params` fill the source template (for example site_id). */
  create(data: D, params: Params, options: CreateOptions = {}): Event<D> {
    for (const name of this.parameters) {
      if (params[name] === undefined)
        throw new SubjectError(
          `missing parameter ${JSON.stringify(name)} for event ${JSON.stringify(this.type)}`,
        );
    }
    const time = options.time === undefined ? new Date() : options.time;
    return this.event({
      id: options.id ?? randomUUID(),
      source: this.sourceFor(params),
      time: typeof time === "string" ? time : timeFromDate(time),
      subject: options.subject,
      data,
      extensions: options.extensions ?? {},
    });
  }

  /** Build a validated event from its attribute values (as decoded from the wire). */
  event(attributes: EventAttributes<unknown>, validated?: typeof DATA_VALIDATED): Event<D> {
    return new Event<D>(this, attributes, validated);
  }
}

export interface EventAttributes<D> {
  readonly id: string;
  readonly source: string;
  readonly time: string;
  readonly subject?: string | undefined;
  readonly data: D;
  readonly extensions: Readonly<Record<string, string>>;
}

function checkText(name: string, value: unknown, nonEmpty = false): string {
  if (typeof value !== "string") throw new ValidationError(`${name}: must be a string`);
  if (nonEmpty && value === "") throw new ValidationError(`${name}: must not be empty`);
  if (CONTROL.test(value))
    throw new ValidationError(
      `${name}: must not contain control characters (U+0000-U+001F, U+007F-U+009F)`,
    );
  return value;
}

/** A CloudEvents 1.0 event whose `data` is a `D`: validated on construction and frozen. */
export class Event<D> {
  readonly spec: EventSpec<D>;
  readonly id: string;
  readonly source: string;
  /** RFC 3339 in UTC, as the Python runtime writes it. */
  readonly time: string;
  readonly subject: string | undefined;
  readonly data: D;
  readonly extensions: Readonly<Record<string, string>>;

  constructor(
    spec: EventSpec<D>,
    attributes: EventAttributes<unknown>,
    validated?: typeof DATA_VALIDATED,
  ) {
    this.spec = spec;
    this.id = checkText("id", attributes.id, true);
    this.source = checkText("source", attributes.source, true);
    this.subject =
      attributes.subject === undefined ? undefined : checkText("subject", attributes.subject);
    try {
      this.time = canonicalTime(attributes.time);
    } catch (error) {
      throw new ValidationError(`time: ${(error as Error).message}`, { cause: error });
    }
    const extensions: Record<string, string> = {};
    for (const [name, value] of Object.entries(attributes.extensions)) {
      if (!EXTENSION_NAME.test(name))
        throw new ValidationError(
          `extension name ${JSON.stringify(name)} must match [a-z0-9]{1,20}`,
        );
      if (CORE_ATTRIBUTES.has(name))
        throw new ValidationError(
          `extension name ${JSON.stringify(name)} shadows a core attribute`,
        );
      extensions[name] = checkText(name, value);
    }
    this.extensions = Object.freeze(extensions);
    if (validated !== DATA_VALIDATED) {
      const problem = spec.validator.problem(attributes.data);
      if (problem !== undefined) throw new ValidationError(problem);
    }
    this.data = attributes.data as D;
    Object.freeze(this);
  }

  /** The CloudEvents `type` attribute, from the spec. */
  get type(): string {
    return this.spec.type;
  }

  get specversion(): string {
    return SPECVERSION;
  }

  get datacontenttype(): string {
    return DATACONTENTTYPE;
  }

  get dataschema(): string | null {
    return this.spec.dataschema;
  }
}

/** What a generated package records about where it comes from (its `build-info.json`). */
export interface BuildInfo {
  readonly name: string;
  readonly version: string;
  readonly spec: string;
  readonly spec_version: string;
  readonly spec_digest: string;
  /** The git commit the package was built from; null in a tree generated, not released. */
  readonly commit: string | null;
}

/** Read a generated package's `build-info.json` (its location as a file URL). */
export function readBuildInfo(location: URL): BuildInfo {
  return Object.freeze(JSON.parse(readFileSync(location, "utf8")) as BuildInfo);
}
