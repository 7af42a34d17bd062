// Receive events with the generated TypeScript subscriber, traced, and print the spans.
// argv: <package dir> <nats url>; stdin: one JSON job; stdout: one JSON line.
//
// job: {subscriber, method, siteId, stream, durable, count, timeoutMs}
// Reads `count` events (each handled inside received.process(), with one child span
// "store <event id>" made by the handler) from `stream`, acks each, then prints
// {"events": [{id, subject, headers, extensions}], "spans": [...]} where each span is
// {name, kind, traceId, spanId, parentSpanId, start, end, links: [{traceId, spanId}], attributes}
// (times in nanoseconds since the epoch, as text), from an in-memory exporter.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pkgDir, url] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(`${pkgDir}/package.json`, "utf8"));
const pkg = await import(pathToFileURL(`${pkgDir}/${manifest.exports["."].import}`).href);
const require = createRequire(`${pkgDir}/package.json`);
const { connect } = require("@nats-io/transport-node");
const { context, SpanKind } = require("@opentelemetry/api");
const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
const {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} = require("@opentelemetry/sdk-trace-base");

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracer = provider.getTracer("consumer-app");

const nanos = ([seconds, ns]) => (BigInt(seconds) * 1_000_000_000n + BigInt(ns)).toString();
const kinds = Object.fromEntries(Object.entries(SpanKind).map(([k, v]) => [v, k]));

function plain(span) {
  const self = span.spanContext();
  const parent = span.parentSpanContext;
  return {
    name: span.name,
    kind: kinds[span.kind],
    traceId: self.traceId,
    spanId: self.spanId,
    parentSpanId: parent === undefined ? null : parent.spanId,
    start: nanos(span.startTime),
    end: nanos(span.endTime),
    links: span.links.map((link) => ({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
    })),
    attributes: span.attributes,
  };
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const nc = await connect({ servers: url });
try {
  const subscriber = new pkg[job.subscriber](nc);
  const sub = await subscriber[job.method]({
    siteId: job.siteId,
    durable: job.durable,
    stream: job.stream,
    tracerProvider: provider,
  });
  const events = [];
  try {
    for (let i = 0; i < job.count; i++) {
      const received = await sub.next(job.timeoutMs);
      await received.process(async () => {
        tracer.startSpan(`store ${received.event.id}`).end();
        if (!(await received.ackAck())) throw new Error("ack not confirmed");
      });
      events.push({
        id: received.event.id,
        subject: received.subject,
        headers: received.headers,
        extensions: received.event.extensions,
        traceparent: received.traceparent ?? null,
      });
    }
  } finally {
    await sub.close();
  }
  process.stdout.write(
    JSON.stringify({ events, spans: exporter.getFinishedSpans().map(plain) }) + "\n",
  );
} catch (error) {
  process.stdout.write(JSON.stringify({ fatal: String(error?.stack ?? error) }) + "\n");
  process.exitCode = 1;
} finally {
  await nc.close();
}
