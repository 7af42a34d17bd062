/**
 * A received event and its acknowledgements: {@link Received} (what a subscription yields) and
 * {@link AckBatch} (acks of one event-loop turn sent together).
 */

import type { MsgHdrs } from "@nats-io/nats-core";
import type { JsMsg } from "@nats-io/jetstream";

import type { Event } from "./events.js";
import type { Consumed } from "./tracing.js";

/**
 * Acknowledgements sent together: every ack, nak, term or in-progress given in one turn of the
 * event loop leaves in one socket write (nats.js writes each on its own otherwise, as the loop
 * handing out buffered messages yields between them). They are sent at the end of the turn
 * (`setImmediate`), and at once by {@link AckBatch.flush} (a subscription's close).
 */
export class AckBatch {
  private pending: (() => void)[] = [];
  private scheduled = false;

  add(send: () => void): void {
    this.pending.push(send);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    const pending = this.pending;
    this.pending = [];
    for (const send of pending) {
      try {
        send();
      } catch {
        // the connection closed first: like any lost ack, JetStream redelivers after ack_wait
      }
    }
  }
}

/**
 * A decoded event and the means to acknowledge it (no-ops for core NATS). With tracing, handle
 * it inside `await received.process(async () => ...)` to record the CONSUMER span of its
 * processing (a child of the message's trace unless a span is active). `ack`, `nak`, `term`
 * and `inProgress` are fire-and-forget and leave at the end of the current event-loop turn
 * (see {@link AckBatch}): an ack that is lost (the connection closed before it left) means the
 * message is delivered again after `ack_wait` (at least once). `ackAck` is sent at once and
 * awaits the server's confirmation.
 */
export class Received<D> {
  constructor(
    readonly event: Event<D>,
    readonly subject: string,
    readonly headers: Readonly<Record<string, string>>,
    readonly numDelivered: number,
    readonly streamSeq: number | null,
    private readonly msg: JsMsg | null,
    private readonly trace: Consumed | null = null,
    private readonly batch: AckBatch | null = null,
  ) {}

  private send(act: (msg: JsMsg) => void): void {
    const msg = this.msg;
    if (msg === null) return;
    if (this.batch === null) act(msg);
    else this.batch.add(() => act(msg));
  }

  /** Run `fn` inside the span of processing this event; untraced, just run it. */
  async process<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.trace === null ? fn() : this.trace.process(fn);
  }

  /** The message's `traceparent` (its last hop's, else its origin's), if traced. */
  get traceparent(): string | undefined {
    return this.trace?.traceparent;
  }

  ack(): void {
    this.send((m) => m.ack());
  }

  /** Await the server's confirmation of the ack. */
  async ackAck(): Promise<boolean> {
    return this.msg === null ? true : this.msg.ackAck();
  }

  nak(delayMs?: number): void {
    this.send((m) => m.nak(delayMs));
  }

  term(): void {
    this.send((m) => m.term());
  }

  inProgress(): void {
    this.send((m) => m.working());
  }
}

export function headerRecord(h: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (h === undefined) return out;
  for (const key of h.keys()) out[key] = h.get(key);
  return out;
}
