/**
 * Domain publishers and subscribers, made from the method table a generated package holds.
 *
 * A generated package describes each domain as a table: method name -> the event spec and,
 * for each subject parameter, the option that carries it (`{ siteId: "site_id" }`).
 * `publisherClass` and `subscriberClass` turn the table into classes whose methods are the
 * table's; the package's declarations (`.d.ts`) give them their exact types:
 *
 *   orders.orderCreatedV1(data, { siteId: "site-1" })   // validates, publishes, awaits the ack
 *   await subscriber.orderCreatedV1({ siteId: "site-1" })   // a Subscription of valid events
 *
 * The classes hold no state of their own beyond the connection and options, so one runtime
 * serves every generated package of an application.
 */

import type { NatsConnection } from "@nats-io/nats-core";

import type { CreateOptions, Event, EventSpec, Params } from "./events.js";
import { EventPublisher, type PublishResult, type PublisherOptions } from "./publisher.js";
import { subscribe, type SubscribeOptions, type Subscription } from "./subscriber.js";

/** One method of a domain: its event and which option fills which subject parameter. */
export interface MethodEntry {
  readonly spec: EventSpec<unknown>;
  /** Option name -> subject parameter name. */
  readonly params: Readonly<Record<string, string>>;
}

export type MethodTable = Readonly<Record<string, MethodEntry>>;

/** Options of a domain subscription method (its parameters are options of their own). */
export type DomainSubscribeOptions = Omit<SubscribeOptions, "params">;

/** What every generated domain publisher is: publishing through one EventPublisher. */
export class DomainPublisher {
  readonly publisher: EventPublisher;

  constructor(nc: NatsConnection, options: PublisherOptions = {}) {
    this.publisher = new EventPublisher(nc, options);
  }

  /** Publish an event built before (for example re-sending one with its original id). */
  async publish(event: Event<unknown>, subject: string): Promise<PublishResult> {
    return this.publisher.publish(event, subject);
  }

  /** Release the acknowledgement inbox (closing the connection does too). */
  close(): void {
    this.publisher.close();
  }
}

/** What every generated domain subscriber is: subscriptions on one connection. */
export class DomainSubscriber {
  constructor(
    readonly nc: NatsConnection,
    readonly options: { readonly jsDomain?: string } = {},
  ) {}
}

type Options = Readonly<Record<string, unknown>>;

function paramsOf(entry: MethodEntry, options: Options): Params {
  const params: Record<string, string> = {};
  for (const [option, parameter] of Object.entries(entry.params)) {
    const value = options[option];
    if (value !== undefined) params[parameter] = value as string;
  }
  return params;
}

function define(target: object, method: string, fn: (...args: never[]) => unknown): void {
  Object.defineProperty(target, method, { value: fn, writable: true, configurable: true });
}

function named<C extends abstract new (...args: never[]) => unknown>(name: string, cls: C): C {
  Object.defineProperty(cls, "name", { value: name });
  return cls;
}

/** The publisher class of a domain: one method per row of `table`. */
export function publisherClass(name: string, table: MethodTable): typeof DomainPublisher {
  const cls = named(name, class extends DomainPublisher {});
  for (const [method, entry] of Object.entries(table)) {
    define(
      cls.prototype,
      method,
      async function (this: DomainPublisher, data: unknown, options: Options = {}) {
        const params = paramsOf(entry, options);
        return this.publisher.publishNew(entry.spec, data, params, options as CreateOptions);
      },
    );
  }
  return cls;
}

/** The subscriber class of a domain: one method per row of `table`. */
export function subscriberClass(name: string, table: MethodTable): typeof DomainSubscriber {
  const cls = named(name, class extends DomainSubscriber {});
  for (const [method, entry] of Object.entries(table)) {
    define(cls.prototype, method, function (this: DomainSubscriber, options: Options = {}): Promise<
      Subscription<unknown>
    > {
      const params = paramsOf(entry, options);
      return subscribe(this.nc, entry.spec, { ...this.options, ...options, params });
    });
  }
  return cls;
}
