/**
 * The JetStream ack inbox: core publishes whose PubAcks settle on one wildcard subscription.
 *
 * A JetStream publish is a core NATS publish with a reply subject: the stream that stores the
 * message answers on it with a PubAck (`{"stream", "seq", "duplicate"}`) or an API error
 * (`{"error": {"code", "err_code", "description"}}`), and the server itself answers with a
 * `503` status when nothing captures the subject. {@link AckInbox} subscribes once to
 * `<inbox>.*`; each publish gets the reply subject `<inbox>.<n>` with a number never used again,
 * and the subscription's callback settles the matching entry. One timer, armed for the oldest
 * entry (entries expire in the order they were sent), reports entries not answered in time.
 *
 * Guarantees: an entry succeeds only on a PubAck that answers exactly its own reply subject
 * (numbers are never reused, so a late answer to an expired entry settles nothing); a
 * `duplicate: true` PubAck counts as success; a timeout is reported as "maybe stored". This
 * replaces nats.js `js.publish` for events, which makes a request (a timer, a promise and a
 * mux entry of its own) per message on top of the same protocol.
 */

import {
  createInbox,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from "@nats-io/nats-core";

/** A stream stored the message (or already held one with its `Nats-Msg-Id`). */
export interface Ack {
  readonly stream: string;
  readonly seq: number;
  readonly duplicate: boolean;
}

/** A message that was not acknowledged: why, and whether it may have been stored all the same. */
export interface AckFailure {
  readonly reason: string;
  readonly maybeStored: boolean;
}

export type Outcome = { ok: true; ack: Ack } | { ok: false; failure: AckFailure };

interface Entry {
  readonly settle: (outcome: Outcome) => void;
  readonly deadline: number;
}

/** The outcome a JetStream reply message reports. */
export function parseAck(msg: Msg): Outcome {
  if (msg.data.length === 0 && msg.headers?.code === 503)
    return failed("no JetStream stream captures this subject", false);
  if (msg.data.length === 0 && msg.headers?.hasError === true)
    return failed(
      `the server answered with status ${msg.headers.code} ${msg.headers.description}`.trim(),
      false,
    );
  let answer: unknown;
  try {
    answer = JSON.parse(msg.string());
  } catch {
    return failed(`unreadable PubAck ${JSON.stringify(msg.string().slice(0, 200))}`, true);
  }
  const body = (answer ?? {}) as Record<string, unknown>;
  const error = body["error"] as Record<string, unknown> | undefined;
  if (error !== undefined && error !== null) {
    const code = error["err_code"] ?? error["code"];
    return failed(
      `JetStream rejected the event: ${String(error["description"])} (error code ${String(code)})`,
      false,
    );
  }
  if (typeof body["stream"] !== "string" || typeof body["seq"] !== "number")
    return failed(`unreadable PubAck ${JSON.stringify(msg.string().slice(0, 200))}`, true);
  return {
    ok: true,
    ack: { stream: body["stream"], seq: body["seq"], duplicate: body["duplicate"] === true },
  };
}

function failed(reason: string, maybeStored: boolean): Outcome {
  return { ok: false, failure: { reason, maybeStored } };
}

/** One wildcard inbox subscription on `nc` that settles the PubAcks of its publishes. */
export class AckInbox {
  private readonly prefix: string;
  private next = 1;
  private sub: Subscription | null = null;
  /** Open entries in send order: the first is always the next to expire. */
  private readonly open = new Map<string, Entry>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs: number,
  ) {
    // The connection's own inbox prefix (permissions may allow no other).
    const options = (nc as { options?: { inboxPrefix?: string } }).options;
    this.prefix = createInbox(options?.inboxPrefix) + ".";
    // A closed connection answers nothing more: report what is open at once.
    void nc.closed().then(() => this.expire(Infinity));
  }

  /** Publish one message with a reply subject of this inbox; resolves with its outcome. */
  send(subject: string, payload: Uint8Array, headers: MsgHdrs): Promise<Outcome> {
    this.sub ??= this.nc.subscribe(this.prefix + "*", { callback: (_e, m) => this.answer(m) });
    const token = String(this.next++);
    const outcome = new Promise<Outcome>((settle) => {
      this.open.set(token, { settle, deadline: Date.now() + this.timeoutMs });
    });
    try {
      this.nc.publish(subject, payload, { reply: this.prefix + token, headers });
    } catch (error) {
      this.open.delete(token);
      throw error;
    }
    this.timer ??= this.arm(this.timeoutMs);
    return outcome;
  }

  /** Unsubscribe; open entries are settled as not answered. */
  close(): void {
    this.sub?.unsubscribe();
    this.sub = null;
    this.expire(Infinity);
  }

  private answer(msg: Msg): void {
    const token = msg.subject.slice(this.prefix.length);
    const entry = this.open.get(token);
    if (entry === undefined) return; // an answer to an entry that already timed out
    this.open.delete(token);
    entry.settle(parseAck(msg));
  }

  /** The timer of the next expiry; it does not keep the process alive by itself. */
  private arm(ms: number): NodeJS.Timeout {
    return setTimeout(() => this.expire(), ms).unref();
  }

  private expire(now = Date.now()): void {
    this.timer = null;
    for (const [token, entry] of this.open) {
      if (entry.deadline > now) {
        this.timer = this.arm(entry.deadline - now);
        return;
      }
      this.open.delete(token);
      entry.settle(failed(`no acknowledgement within ${this.timeoutMs}ms`, true));
    }
  }
}
