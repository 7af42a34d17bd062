/**
 * W3C trace context across NATS and OpenTelemetry spans, as the Python runtime records them.
 *
 * The origin (creation context) travels in the CloudEvents attributes `traceparent` and
 * `tracestate`, set once by the first publisher and never rewritten; each hop travels in plain
 * `traceparent`/`tracestate` NATS headers. Spans follow the OpenTelemetry messaging
 * conventions (`messaging.system = nats`, names `<operation> <subject template>`):
 * `publish` (PRODUCER; CLIENT with a link when the event carries a creation context already),
 * `receive` (CLIENT, links to the creation and hop contexts) and `process` (CONSUMER, from
 * `Received.process`: the message's context is the parent unless a span is active).
 * See docs/tracing.md.
 *
 * `@opentelemetry/api` is an optional peer dependency, loaded once when this module loads;
 * without it every publisher and subscriber takes its untraced path. So they do while the API
 * has no SDK behind it (the global provider has no delegate yet) and no span is active, unless
 * a received message carries a context: nothing could record or be passed on then. That is
 * checked on every use, so an SDK registered later takes effect at once.
 */

import type * as Otel from "@opentelemetry/api";

import type { EventSpec } from "./events.js";

type Api = typeof Otel;

let loaded: Api | null = null;
try {
  loaded = await import("@opentelemetry/api");
} catch {
  loaded = null; // not installed: no tracing
}

export const TRACEPARENT = "traceparent";
export const TRACESTATE = "tracestate";
const SCOPE = "@specgen/runtime";
const VERSION = "0.2.0";
const W3C = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** What publishers and subscribers take as `tracerProvider` (an OpenTelemetry TracerProvider). */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): unknown;
}

type Attributes = Record<string, string | number | boolean>;

/** The span context a `traceparent` (and `tracestate`) value holds, or undefined. */
function parse(api: Api, parent: string | undefined, state?: string): Otel.SpanContext | undefined {
  const match = parent === undefined ? null : W3C.exec(parent.trim());
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  const context: Otel.SpanContext = {
    traceId: traceId!,
    spanId: spanId!,
    traceFlags: parseInt(flags!, 16),
    isRemote: true,
  };
  if (!api.trace.isSpanContextValid(context)) return undefined;
  if (state !== undefined && state !== "") context.traceState = api.createTraceState(state);
  return context;
}

/** `traceparent` (and a non-empty `tracestate`) of a span context; {} when it is invalid. */
function carrier(api: Api, context: Otel.SpanContext): Record<string, string> {
  if (!api.trace.isSpanContextValid(context)) return {};
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, "0");
  const out: Record<string, string> = {
    [TRACEPARENT]: `00-${context.traceId}-${context.spanId}-${flags}`,
  };
  const state = context.traceState?.serialize();
  if (state !== undefined && state !== "") out[TRACESTATE] = state;
  return out;
}

function lookup(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function base(spec: EventSpec<unknown>, subject: string, operation: string, type: string) {
  return {
    "messaging.system": "nats",
    "messaging.operation.name": operation,
    "messaging.operation.type": type,
    "messaging.destination.name": subject,
    "messaging.destination.template": spec.subjectTemplate,
    "cloudevents.event_type": spec.type,
  } satisfies Attributes;
}

/** The span of one publish: what to add to the event and the hop headers. */
export class PublishTrace {
  constructor(
    private readonly api: Api,
    readonly span: Otel.Span,
    readonly added: Readonly<Record<string, string>>,
    readonly headers: Readonly<Record<string, string>>,
  ) {}

  message(id: string, source: string, size: number): void {
    this.span.setAttributes({
      "messaging.message.id": id,
      "cloudevents.event_id": id,
      "cloudevents.event_source": source,
      "messaging.message.body.size": size,
    });
  }

  stored(stream: string | null, seq: number | null, duplicate: boolean): void {
    if (stream === null) return;
    this.span.setAttributes({
      "messaging.nats.stream": stream,
      ...(seq === null ? {} : { "messaging.nats.stream.sequence": seq }),
      "messaging.nats.duplicate": duplicate,
    });
  }

  fail(error: unknown): void {
    const name = error instanceof Error ? error.name : "Error";
    this.span.setAttribute("error.type", name);
    this.span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: String(error) });
    if (error instanceof Error) this.span.recordException(error);
  }

  end(): void {
    this.span.end();
  }
}

/** The trace contexts of one received event and its process span. */
export class Consumed {
  constructor(
    private readonly tracing: Tracing,
    private readonly spec: EventSpec<unknown>,
    readonly origin: Otel.SpanContext | undefined,
    readonly hop: Otel.SpanContext | undefined,
    private readonly attributes: Attributes,
  ) {}

  /** The `traceparent` of the message: its last hop's, else its origin's. */
  get traceparent(): string | undefined {
    const context = this.hop ?? this.origin;
    return context === undefined ? undefined : carrier(this.tracing.api, context)[TRACEPARENT];
  }

  /** Run `fn` inside the CONSUMER span of processing the event (active while it runs). */
  async process<T>(fn: (span: Otel.Span) => T | Promise<T>): Promise<T> {
    const api = this.tracing.api;
    const active = api.context.active();
    const ambient = api.trace.getSpanContext(active);
    const inSpan = ambient !== undefined && api.trace.isSpanContextValid(ambient);
    const message = this.hop ?? this.origin;
    const links: Otel.Link[] = this.origin === undefined ? [] : [{ context: this.origin }];
    if (inSpan && this.hop !== undefined && !same(this.hop, this.origin))
      links.push({ context: this.hop });
    const parent =
      inSpan || message === undefined ? active : api.trace.setSpanContext(active, message);
    const span = this.tracing.tracer.startSpan(
      `process ${this.spec.subjectTemplate}`,
      {
        kind: api.SpanKind.CONSUMER,
        attributes: {
          ...this.attributes,
          "messaging.operation.name": "process",
          "messaging.operation.type": "process",
        },
        links,
      },
      parent,
    );
    try {
      return await api.context.with(api.trace.setSpan(parent, span), () => fn(span));
    } catch (error) {
      new PublishTrace(api, span, {}, {}).fail(error);
      throw error;
    } finally {
      span.end();
    }
  }
}

function same(a: Otel.SpanContext | undefined, b: Otel.SpanContext | undefined): boolean {
  return a !== undefined && b !== undefined && a.traceId === b.traceId && a.spanId === b.spanId;
}

/** Spans and context propagation on one tracer; `Tracing.for` gives null when tracing is off. */
export class Tracing {
  private delegated = false;

  private constructor(
    readonly api: Api,
    readonly tracer: Otel.Tracer,
    private readonly followsGlobal: boolean,
  ) {}

  /** The Tracing of `provider` (undefined: the global one); null if off or not installed. */
  static for(provider: TracerProviderLike | false | undefined): Tracing | null {
    if (provider === false || loaded === null) return null;
    const source = provider ?? loaded.trace.getTracerProvider();
    return new Tracing(loaded, source.getTracer(SCOPE, VERSION) as Otel.Tracer, !provider);
  }

  /** False while no span can record: the global provider has no SDK behind it yet. */
  get live(): boolean {
    if (!this.followsGlobal || this.delegated) return true;
    const global = this.api.trace.getTracerProvider();
    this.delegated =
      !(global instanceof this.api.ProxyTracerProvider) ||
      global.getDelegateTracer(SCOPE, VERSION) !== undefined;
    return this.delegated;
  }

  /** True when tracing could change nothing now: no span records and none is active. */
  inert(): boolean {
    if (this.live) return false;
    const active = this.api.trace.getSpanContext(this.api.context.active());
    return active === undefined || !this.api.trace.isSpanContextValid(active);
  }

  /** Whether a received event or its message carries a trace context. */
  static carried(
    extensions: Readonly<Record<string, string>>,
    headers: Readonly<Record<string, string>>,
  ): boolean {
    return extensions[TRACEPARENT] !== undefined || lookup(headers, TRACEPARENT) !== undefined;
  }

  /** Start the span of publishing one event whose extensions are `extensions`. */
  publish(
    spec: EventSpec<unknown>,
    subject: string,
    extensions: Readonly<Record<string, string>>,
  ): PublishTrace {
    const given = extensions[TRACEPARENT];
    const origin = parse(this.api, given, extensions[TRACESTATE]);
    const span = this.tracer.startSpan(`publish ${spec.subjectTemplate}`, {
      kind: given === undefined ? this.api.SpanKind.PRODUCER : this.api.SpanKind.CLIENT,
      attributes: base(spec, subject, "publish", "send"),
      links: origin === undefined ? [] : [{ context: origin }],
    });
    const hop = carrier(this.api, span.spanContext());
    return new PublishTrace(this.api, span, given === undefined ? hop : {}, hop);
  }

  /** Record the receive span of an event handed to the caller; its process span follows. */
  consumed(
    spec: EventSpec<unknown>,
    subject: string,
    extensions: Readonly<Record<string, string>>,
    headers: Readonly<Record<string, string>>,
    consumer: Attributes,
    startTime: number,
  ): Consumed {
    const origin = parse(this.api, extensions[TRACEPARENT], extensions[TRACESTATE]);
    const hop = parse(this.api, lookup(headers, TRACEPARENT), lookup(headers, TRACESTATE));
    const attributes = { ...base(spec, subject, "receive", "receive"), ...consumer };
    const links: Otel.Link[] = origin === undefined ? [] : [{ context: origin }];
    if (hop !== undefined && !same(hop, origin)) links.push({ context: hop });
    this.tracer
      .startSpan(`receive ${spec.subjectTemplate}`, {
        kind: this.api.SpanKind.CLIENT,
        attributes,
        links,
        startTime,
      })
      .end();
    return new Consumed(this, spec, origin, hop, attributes);
  }
}
