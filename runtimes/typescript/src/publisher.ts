/**
 * Publishing events: JetStream with acknowledgement, or core NATS fire-and-forget.
 *
 * JetStream publishes carry `Nats-Msg-Id` (msgID: the event id, so retries are deduplicated
 * inside the stream's duplicate window) and `Nats-Expected-Stream` (the spec's stream, so an
 * event is never stored in a stream that merely happens to capture the subject). They return
 * only once the stream acknowledged; `duplicate` tells a re-sent event id. Every publisher
 * settles its acknowledgements on one inbox subscription ({@link AckInbox}), so any number of
 * publishes may be in flight at once for the cost of a core publish each.
 */

import {
  headers as natsHeaders,
  NoRespondersError,
  RequestError,
  TimeoutError,
  type MsgHdrs,
  type NatsConnection,
} from "@nats-io/nats-core";
import { JetStreamApiError } from "@nats-io/jetstream";

import { AckInbox, type Outcome } from "./acks.js";
import { encode, type Encoded, type Headers, type Mode } from "./codec.js";
import { NotAcknowledgedError, PublishError, SubjectError } from "./errors.js";
import type { CreateOptions, Event, EventSpec, Params } from "./events.js";
import { Tracing, type TracerProviderLike } from "./tracing.js";

export interface PublishResult {
  /** The stream that stored the event; null for core NATS. */
  readonly stream: string | null;
  /** Its sequence in the stream; null for core NATS. */
  readonly seq: number | null;
  /** True when the stream already held an event with this id. */
  readonly duplicate: boolean;
}

export interface PublisherOptions {
  /** CloudEvents content mode; structured by default. */
  readonly mode?: Mode;
  /** Bound of every wait for a JetStream acknowledgement, in milliseconds (default 5000). */
  readonly ackTimeoutMs?: number;
  /**
   * The JetStream domain of the streams (for example an edge site's, from the hub). A publish
   * goes to its subject whatever the domain: the stream that captures it there answers.
   */
  readonly jsDomain?: string;
  /** Validate the data again before every send (default true). */
  readonly validate?: boolean;
  /**
   * OpenTelemetry spans and W3C trace context on this provider; undefined: the global one
   * (when `@opentelemetry/api` is installed); false: no tracing.
   */
  readonly tracerProvider?: TracerProviderLike | false;
}

const CORE_RESULT: PublishResult = Object.freeze({ stream: null, seq: null, duplicate: false });
const EXPECTED_STREAM = "Nats-Expected-Stream";

export function toNatsHeaders(values: Headers): MsgHdrs {
  const h = natsHeaders();
  for (const [name, value] of Object.entries(values)) h.set(name, value);
  return h;
}

function checkSubject(subject: string): void {
  const tokens = subject.split(".");
  if (
    subject === "" ||
    tokens.some((t) => t === "" || t === "*" || t === ">" || /[\s\u0000-\u001f\u007f]/.test(t))
  ) {
    throw new SubjectError(
      `cannot publish to ${JSON.stringify(subject)}: not a concrete NATS subject`,
    );
  }
}

/** The error and its chain of causes (nats.js wraps, e.g. NoRespondersError in RequestError). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 10;) {
    chain.push(e);
    e = e instanceof Error ? e.cause : undefined;
  }
  return chain;
}

function translate(
  error: unknown,
  subject: string,
  eventId: string,
  timeoutMs: number,
): PublishError {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (error instanceof JetStreamApiError) {
    return new NotAcknowledgedError(
      subject,
      eventId,
      `JetStream rejected the event: ${error.message} (error code ${error.code})`,
      false,
      { cause: error },
    );
  }
  const chain = causes(error);
  // nats.js reports a publish nothing answers as JetStreamNotEnabled("jetstream is not enabled")
  // caused by a RequestError caused by NoRespondersError: no stream captures the subject.
  if (
    chain.some(
      (e) =>
        e instanceof NoRespondersError ||
        (e instanceof RequestError && e.isNoResponders()) ||
        (e instanceof Error &&
          (e.name === "JetStreamNotEnabled" || /no responders|503/i.test(e.message))),
    )
  ) {
    return new NotAcknowledgedError(
      subject,
      eventId,
      "no JetStream stream captures this subject",
      false,
      { cause: error },
    );
  }
  if (
    chain.some(
      (e) =>
        e instanceof TimeoutError ||
        (e instanceof Error && /timeout/i.test(`${e.name}: ${e.message}`)),
    )
  ) {
    return new NotAcknowledgedError(
      subject,
      eventId,
      `no acknowledgement within ${timeoutMs}ms`,
      true,
      { cause: error },
    );
  }
  return new PublishError(subject, eventId, text, { cause: error });
}

/** Publishes events on one NATS connection; generated per-domain publishers wrap it. */
export class EventPublisher {
  readonly mode: Mode;
  private readonly nc: NatsConnection;
  private readonly acks: AckInbox;
  private readonly ackTimeoutMs: number;
  private readonly validate: boolean;
  private readonly tracing: Tracing | null;

  constructor(nc: NatsConnection, options: PublisherOptions = {}) {
    this.nc = nc;
    this.mode = options.mode ?? "structured";
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5000;
    this.validate = options.validate ?? true;
    this.tracing = Tracing.for(options.tracerProvider);
    if (!(this.ackTimeoutMs > 0)) throw new RangeError("ackTimeoutMs must be positive");
    this.acks = new AckInbox(nc, this.ackTimeoutMs);
  }

  /** Release the acknowledgement inbox (closing the connection does too). */
  close(): void {
    this.acks.close();
  }

  /** Publish one event to `subject`; for JetStream events wait for the stream's acknowledgement. */
  async publish(event: Event<unknown>, subject: string): Promise<PublishResult> {
    return this.publishEvent(event, subject, this.validate);
  }

  /**
   * Build an event of `spec` from `data` (validated once, by `create`) and publish it to its
   * subject: what the generated publisher methods do.
   */
  async publishNew<D>(
    spec: EventSpec<D>,
    data: D,
    params: Params,
    options: CreateOptions = {},
  ): Promise<PublishResult> {
    const event = spec.create(data, params, options);
    // Encoded at once, before any await: the data cannot have changed since it was validated.
    return this.publishEvent(event as Event<unknown>, spec.subjectFor(params), false);
  }

  private async publishEvent(
    event: Event<unknown>,
    subject: string,
    validate: boolean,
  ): Promise<PublishResult> {
    checkSubject(subject);
    if (this.tracing === null || this.tracing.inert())
      return this.send(event, subject, encode(event, this.mode, validate));
    const trace = this.tracing.publish(event.spec, subject, event.extensions);
    try {
      const encoded = encode(event, this.mode, validate, trace.added);
      trace.message(event.id, event.source, encoded.payload.length);
      Object.assign(encoded.headers, trace.headers);
      const result = await this.send(event, subject, encoded);
      trace.stored(result.stream, result.seq, result.duplicate);
      return result;
    } catch (error) {
      trace.fail(error);
      throw error;
    } finally {
      trace.end();
    }
  }

  private async send(
    event: Event<unknown>,
    subject: string,
    { headers, payload }: Encoded,
  ): Promise<PublishResult> {
    const spec = event.spec;
    let outcome: Outcome;
    try {
      if (spec.delivery === "core") {
        this.nc.publish(subject, payload, { headers: toNatsHeaders(headers) });
        return CORE_RESULT;
      }
      const h = toNatsHeaders(headers);
      if (spec.stream !== null) h.set(EXPECTED_STREAM, spec.stream);
      outcome = await this.acks.send(subject, payload, h);
    } catch (error) {
      throw translate(error, subject, event.id, this.ackTimeoutMs);
    }
    if (!outcome.ok) {
      const { reason, maybeStored } = outcome.failure;
      throw new NotAcknowledgedError(subject, event.id, reason, maybeStored);
    }
    return outcome.ack;
  }
}
