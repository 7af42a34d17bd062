/**
 * Subscribing to events: typed, validated, and undecodable messages dead-lettered.
 *
 *   const sub = await subscribe(nc, OrderCreatedV1, { params: { site_id: "site-0001" } });
 *   for await (const received of sub) { handle(received.event); received.ack(); }
 *
 * JETSTREAM events are read from a pull consumer on the spec's stream, filtered on the event's
 * subject (missing parameters become `*`), in batches. CORE events use a core subscription.
 * A message that does not decode is forwarded to the dead-letter subject with the headers
 * `Specgen-Dead-Letter-Reason`, `Specgen-Original-Subject` and `Specgen-Event-Type` (original
 * `Nats-*` headers renamed `Specgen-Original-Nats-*`), then terminated; if forwarding fails it
 * is nak-ed for later redelivery. The subscription keeps running either way.
 */

import { randomUUID } from "node:crypto";

import {
  type Msg,
  type NatsConnection,
  type Subscription as CoreSubscription,
  nanos,
} from "@nats-io/nats-core";
import {
  AckPolicy,
  jetstream,
  jetstreamManager,
  type Consumer,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
} from "@nats-io/jetstream";

import { decode } from "./codec.js";
import { DeadLetterError, DecodeError, SubjectError, SubscribeError } from "./errors.js";
import type { Event, EventSpec, Params } from "./events.js";
import { toNatsHeaders } from "./publisher.js";
import { AckBatch, Received, headerRecord } from "./received.js";
import { Tracing, type Consumed, type TracerProviderLike } from "./tracing.js";

export const REASON_HEADER = "Specgen-Dead-Letter-Reason";
export const ORIGINAL_SUBJECT_HEADER = "Specgen-Original-Subject";
export const EVENT_TYPE_HEADER = "Specgen-Event-Type";
const MAX_REASON = 1000;
const EPHEMERAL_INACTIVE_MS = 300_000;

export interface SubscribeOptions {
  /** Subject parameters; missing ones match every value. */
  readonly params?: Params;
  /** A durable consumer name; else an ephemeral consumer, deleted on close. */
  readonly durable?: string;
  readonly batch?: number;
  /** How long one fetch waits, in milliseconds (at least 1000 for JetStream). */
  readonly fetchTimeoutMs?: number;
  /** Forward undecodable messages (default true); false throws the DecodeError instead. */
  readonly deadLetter?: boolean;
  readonly ackTimeoutMs?: number;
  readonly jsDomain?: string;
  /** Read this stream instead of the spec's (for example the hub's cloud stream). */
  readonly stream?: string;
  /** OpenTelemetry tracer provider; undefined: the global one (if installed); false: none. */
  readonly tracerProvider?: TracerProviderLike | false;
}

type Raw = { kind: "js"; msg: JsMsg } | { kind: "core"; msg: Msg };

export class Subscription<D> implements AsyncIterable<Received<D>> {
  readonly subject: string;
  /** Number of undecodable messages forwarded to the dead-letter subject. */
  deadLettered = 0;
  private readonly js: JetStreamClient;
  private readonly buffer: Raw[] = [];
  private consumer: Consumer | null = null;
  private core: CoreSubscription | null = null;
  private coreIterator: AsyncIterator<Msg> | null = null;
  private pendingCore: Promise<IteratorResult<Msg>> | null = null;
  /** The fetch being read: its messages are returned one by one, as they arrive. */
  private fetching: { messages: ConsumerMessages; iterator: AsyncIterator<JsMsg> } | null = null;
  private readonly consumerName: string;
  private readonly stream: string | null;
  private readonly tracing: Tracing | null;
  private readonly acks = new AckBatch();
  private closed = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly spec: EventSpec<D>,
    private readonly options: SubscribeOptions,
  ) {
    this.subject = spec.filterSubject(options.params ?? {});
    this.consumerName = options.durable ?? `specgen_${randomUUID().replace(/-/g, "")}`;
    this.js = jetstream(nc, options.jsDomain === undefined ? {} : { domain: options.jsDomain });
    this.stream = options.stream ?? spec.stream;
    this.tracing = Tracing.for(options.tracerProvider);
    if (options.deadLetter !== false && spec.deadLetterTemplate === null) {
      throw new SubscribeError(`${spec.name} has no dead-letter template: pass deadLetter: false`);
    }
  }

  /** Create the consumer (JetStream) or subscription (core). Idempotent. */
  async start(): Promise<this> {
    if (this.closed) throw new SubscribeError("subscription is closed");
    if (this.consumer !== null || this.core !== null) return this;
    try {
      if (this.spec.delivery === "core") {
        this.core = this.nc.subscribe(this.subject);
        this.coreIterator = this.core[Symbol.asyncIterator]();
        await this.nc.flush();
      } else {
        const stream = this.stream!;
        const jsm = await jetstreamManager(
          this.nc,
          this.options.jsDomain === undefined ? {} : { domain: this.options.jsDomain },
        );
        await jsm.consumers.add(stream, {
          name: this.consumerName,
          ...(this.options.durable === undefined
            ? { inactive_threshold: nanos(EPHEMERAL_INACTIVE_MS) }
            : { durable_name: this.options.durable }),
          filter_subject: this.subject,
          ack_policy: AckPolicy.Explicit,
        });
        this.consumer = await this.js.consumers.get(stream, this.consumerName);
      }
    } catch (error) {
      throw new SubscribeError(
        `cannot subscribe to ${JSON.stringify(this.subject)} (${this.spec.type}): ${String(error)}`,
        { cause: error },
      );
    }
    return this;
  }

  /** Stop; buffered, unacknowledged messages are nak-ed, an ephemeral consumer is deleted. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.acks.flush();
    for (const raw of this.buffer.splice(0)) if (raw.kind === "js") raw.msg.nak();
    this.fetching?.messages.stop(); // messages not read yet are redelivered after ack_wait
    this.fetching = null;
    this.core?.unsubscribe();
    if (this.consumer !== null && this.options.durable === undefined) {
      try {
        await this.consumer.delete();
      } catch {
        // the server reaps it after its inactive threshold
      }
    }
    this.consumer = null;
    this.core = null;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Received<D>> {
    while (!this.closed) {
      let received: Received<D>;
      try {
        received = await this.next();
      } catch (error) {
        if (this.closed) return;
        throw error;
      }
      yield received;
    }
  }

  /** The next valid event; waits at most `timeoutMs` (undefined: until one comes). */
  async next(timeoutMs?: number): Promise<Received<D>> {
    const started = Date.now();
    const deadline = timeoutMs === undefined ? undefined : started + timeoutMs;
    for (;;) {
      const raw = await this.nextRaw(deadline);
      const received = await this.handle(raw, started);
      if (received !== null) return received;
    }
  }

  private async nextRaw(deadline: number | undefined): Promise<Raw> {
    for (;;) {
      const buffered = this.buffer.shift();
      if (buffered !== undefined) return buffered;
      if (this.closed || (this.consumer === null && this.core === null))
        throw new SubscribeError("subscription is not started or closed");
      let wait = this.options.fetchTimeoutMs ?? 1000;
      if (deadline !== undefined) {
        wait = Math.min(wait, deadline - Date.now());
        if (wait <= 0)
          throw new SubscribeError(`no event on ${JSON.stringify(this.subject)} in time`);
      }
      try {
        if (this.coreIterator !== null) {
          const msg = await this.nextCore(this.coreIterator, wait);
          if (msg !== undefined) return { kind: "core", msg };
          continue;
        }
        if (this.fetching === null) {
          const messages = await this.consumer!.fetch({
            max_messages: this.options.batch ?? 64,
            expires: Math.max(1000, wait),
          });
          this.fetching = { messages, iterator: messages[Symbol.asyncIterator]() };
        }
        const next = await this.fetching.iterator.next();
        if (next.done === true) {
          this.fetching = null;
          continue;
        }
        return { kind: "js", msg: next.value };
      } catch (error) {
        if (this.closed) throw new SubscribeError("subscription closed", { cause: error });
        throw new SubscribeError(
          `reading ${JSON.stringify(this.subject)} failed: ${String(error)}`,
          { cause: error },
        );
      }
    }
  }

  /** The next core message within `ms`; a read still pending after a timeout is kept, not lost. */
  private async nextCore(iterator: AsyncIterator<Msg>, ms: number): Promise<Msg | undefined> {
    this.pendingCore ??= iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), ms);
    });
    try {
      const result = await Promise.race([this.pendingCore, timeout]);
      if (result === "timeout") return undefined;
      this.pendingCore = null;
      if (result.done === true) throw new SubscribeError("subscription ended");
      return result.value;
    } finally {
      clearTimeout(timer);
    }
  }

  private async handle(raw: Raw, started: number): Promise<Received<D> | null> {
    const headers = headerRecord(raw.msg.headers);
    let event: Event<D>;
    try {
      event = decode(this.spec, headers, raw.msg.data);
    } catch (error) {
      if (!(error instanceof DecodeError) || this.options.deadLetter === false) throw error;
      await this.forward(raw, headers, error.reason);
      return null;
    }
    const js = raw.kind === "js" ? raw.msg : null;
    const delivered = js === null ? 1 : js.info.deliveryCount;
    const seq = js === null ? null : js.seq;
    const trace = this.traced(event, raw, headers, delivered, seq, started);
    return new Received(event, raw.msg.subject, headers, delivered, seq, js, trace, this.acks);
  }

  /** The receive span of an event handed to the caller, and its process span to come. */
  private traced(
    event: Event<D>,
    raw: Raw,
    headers: Record<string, string>,
    delivered: number,
    seq: number | null,
    started: number,
  ): Consumed | null {
    const tracing = this.tracing;
    if (tracing === null || (!tracing.live && !Tracing.carried(event.extensions, headers)))
      return null; // nothing could record, and no context to hand on
    const consumer: Record<string, string | number> = {
      "messaging.message.id": event.id,
      "cloudevents.event_id": event.id,
      "cloudevents.event_source": event.source,
      "messaging.message.body.size": raw.msg.data.length,
    };
    if (this.options.durable !== undefined)
      consumer["messaging.consumer.group.name"] = this.options.durable;
    if (raw.kind === "js") {
      consumer["messaging.destination.subscription.name"] = this.consumerName;
      consumer["messaging.nats.stream"] = this.stream ?? "";
      consumer["messaging.nats.stream.sequence"] = seq ?? 0;
      consumer["messaging.nats.message.delivery_count"] = delivered;
    }
    return tracing.consumed(
      this.spec,
      raw.msg.subject,
      event.extensions,
      headers,
      consumer,
      started,
    );
  }

  private async forward(raw: Raw, original: Record<string, string>, reason: string): Promise<void> {
    const subject = raw.msg.subject;
    try {
      const target = this.spec.deadLetterSubjectFor(this.spec.parametersFromSubject(subject));
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(original)) {
        const lower = name.toLowerCase();
        if (lower.startsWith("nats-")) headers["Specgen-Original-" + name] = value;
        else if (!lower.startsWith("specgen-")) headers[name] = value;
      }
      headers[REASON_HEADER] = reason
        .replace(/[\s\u0000-\u001f\u007f]+/g, " ")
        .trim()
        .slice(0, MAX_REASON);
      headers[ORIGINAL_SUBJECT_HEADER] = subject;
      headers[EVENT_TYPE_HEADER] = this.spec.type;
      if (raw.kind === "js") headers["Nats-Msg-Id"] = `${raw.msg.info.stream}:${raw.msg.seq}`;
      const timeout = this.options.ackTimeoutMs ?? 5000;
      if (this.spec.delivery === "jetstream") {
        await this.js.publish(target, raw.msg.data, { headers: toNatsHeaders(headers), timeout });
      } else {
        this.nc.publish(target, raw.msg.data, { headers: toNatsHeaders(headers) });
        await this.nc.flush();
      }
    } catch (error) {
      const failure = new DeadLetterError(
        subject,
        reason,
        error instanceof SubjectError ? error.message : String(error),
        { cause: error },
      );
      if (raw.kind === "core") throw failure;
      raw.msg.nak(1000);
      return;
    }
    if (raw.kind === "js") raw.msg.term();
    this.deadLettered++;
  }
}

/** Subscribe to the events of `spec`; the subscription is started when this resolves. */
export async function subscribe<D>(
  nc: NatsConnection,
  spec: EventSpec<D>,
  options: SubscribeOptions = {},
): Promise<Subscription<D>> {
  return new Subscription(nc, spec, options).start();
}
