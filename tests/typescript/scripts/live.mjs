// Drive the generated TypeScript package against a real nats-server.
// argv: <command> <package dir> <nats url>; stdin: one JSON job; stdout: JSON lines.
//
// subscribe  {siteId, timeoutMs, subscriptions: [{subscriber, method, durable?, count}]}
//            Starts every subscription with the generated <Domain>Subscriber, prints
//            {"ready": true}, then reads `count` events from each in turn (validated by the
//            package), awaits each ack's confirmation and prints one line per event:
//            {"sub", "id", "type", "source", "time", "subject", "data", "headers",
//             "numDelivered", "streamSeq"}. Ends with {"done": true, "deadLettered": [...]}
// publish    {siteId, mode, ackTimeoutMs?, items: [{publisher, method, data, id, time}]}
//            Publishes each item with the generated <Domain>Publisher (JetStream events wait
//            for the PubAck) and prints {"id", "stream", "seq", "duplicate"} or
//            {"id", "error", "message", "maybeStored"} per item, then {"done": true}.
// Any failure prints {"fatal": "..."} and exits 1.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [command, pkgDir, url] = process.argv.slice(2);
const pkg = await import(pathToFileURL(`${pkgDir}/lib/index.js`).href);
// The package's own copy of nats.js (CommonJS), so that both share one module instance.
const { connect } = createRequire(`${pkgDir}/package.json`)("@nats-io/transport-node");

const out = (value) => process.stdout.write(JSON.stringify(value) + "\n");

async function readJob() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

async function subscribeCommand(nc, job) {
  const subs = [];
  try {
    for (const s of job.subscriptions) {
      const subscriber = new pkg[s.subscriber](nc);
      const options = { siteId: job.siteId };
      if (s.durable !== undefined) options.durable = s.durable;
      subs.push(await subscriber[s.method](options));
    }
    await nc.flush();
    out({ ready: true });
    for (const [index, s] of job.subscriptions.entries()) {
      for (let i = 0; i < s.count; i++) {
        const received = await subs[index].next(job.timeoutMs);
        const event = received.event;
        out({
          sub: index,
          id: event.id,
          type: event.type,
          source: event.source,
          time: event.time,
          subject: received.subject,
          data: event.data,
          headers: received.headers,
          numDelivered: received.numDelivered,
          streamSeq: received.streamSeq,
        });
        if (!(await received.ackAck())) throw new Error(`ack of ${event.id} not confirmed`);
      }
    }
    out({ done: true, deadLettered: subs.map((sub) => sub.deadLettered) });
  } finally {
    for (const sub of subs) await sub.close();
  }
}

async function publishCommand(nc, job) {
  const publishers = {};
  for (const item of job.items) {
    const options = { mode: job.mode };
    if (job.ackTimeoutMs !== undefined) options.ackTimeoutMs = job.ackTimeoutMs;
    publishers[item.publisher] ??= new pkg[item.publisher](nc, options);
    try {
      const result = await publishers[item.publisher][item.method](item.data, {
        siteId: job.siteId,
        id: item.id,
        time: item.time,
      });
      out({ id: item.id, ...result });
    } catch (error) {
      out({
        id: item.id,
        error: error.name,
        message: error.message,
        maybeStored: error.maybeStored ?? null,
        subject: error.subject ?? null,
        eventId: error.eventId ?? null,
      });
    }
  }
  await nc.flush();
  out({ done: true });
}

let nc;
try {
  const job = await readJob();
  nc = await connect({ servers: url, reconnect: false, timeout: 5000 });
  if (command === "subscribe") await subscribeCommand(nc, job);
  else if (command === "publish") await publishCommand(nc, job);
  else throw new Error(`unknown command ${command}`);
  await nc.drain();
} catch (error) {
  out({ fatal: `${error?.name}: ${error?.message}`, stack: String(error?.stack ?? "") });
  process.exitCode = 1;
  await nc?.close();
}
