// The TypeScript side of bench/bench_clients.py: publish and subscribe throughput of the
// generated package against raw nats.js on the same server, with the same method.
// argv: <package dir> <nats url> <count> <payload.json> <site id> <window> <rounds>
// Prints one JSON line: {"<path>": msg/s, ...} (best round of each path).
//
// Every path stores `count` order_created events in the ORDERS stream (recreated before each
// publish path) or reads them back from it:
// - seq_raw / seq_gen: one publish at a time, each ack awaited (raw: js.publish of bytes the
//   package encoded beforehand, with msgID and expected stream; generated: the typed
//   publisher method, which validates, builds and encodes each event);
// - win_raw / win_gen: up to <window> publishes in flight, the oldest awaited when full;
// - sub_raw / sub_gen: a fresh pull consumer (explicit ack) over the stored events, read in
//   fetches of 256 and acked one by one (generated: the typed subscriber decodes and validates
//   each message).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [pkgDir, url, countText, payloadPath, siteId, windowText, roundsText] =
  process.argv.slice(2);
const COUNT = Number(countText);
const WINDOW = Number(windowText);
const ROUNDS = Number(roundsText);
const BATCH = 256;
const entry = `${pkgDir}/lib/index.js`;
const pkg = await import(pathToFileURL(entry).href);
const require = createRequire(`${pkgDir}/package.json`);
const { connect } = require("@nats-io/transport-node");
const { jetstream, jetstreamManager, AckPolicy } = require("@nats-io/jetstream");
const { headers: natsHeaders } = require("@nats-io/nats-core");

const payload = JSON.parse(readFileSync(payloadPath, "utf8"));
const spec = pkg.EVENT_TYPES["com.powerflex.orders.order_created.v1"];
const subject = spec.subjectFor({ site_id: siteId });
const uuid = (n) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const dataFor = (n) => ({ ...payload, order_id: uuid(n) });

const nc = await connect({ servers: url, timeout: 5000 });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);
let tag = 0;

async function resetStream() {
  try {
    await jsm.streams.delete("ORDERS");
  } catch {
    // absent on the first round
  }
  await jsm.streams.add({
    name: "ORDERS",
    subjects: ["pf.*.orders.>"],
    duplicate_window: 7200 * 1e9,
  });
}

function rawMessages() {
  const t = tag++;
  return Array.from({ length: COUNT }, (_, i) => {
    const event = spec.create(dataFor(i), { site_id: siteId }, { id: `r${t}-${i}` });
    const { headers, payload: body } = pkg.encode(event, "structured", false);
    const h = natsHeaders();
    for (const [name, value] of Object.entries(headers)) h.set(name, value);
    return { id: event.id, h, body };
  });
}

const rawOptions = (m) => ({ msgID: m.id, headers: m.h, expect: { streamName: "ORDERS" } });

async function windowed(send) {
  const inflight = [];
  for (let i = 0; i < COUNT; i++) {
    inflight.push(send(i));
    if (inflight.length >= WINDOW) await inflight.shift();
  }
  await Promise.all(inflight);
}

async function timed(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return COUNT / (Number(process.hrtime.bigint() - start) / 1e9);
}

const publisher = new pkg.OrdersPublisher(nc);
const publishPaths = {
  seq_raw: async (msgs) => {
    for (const m of msgs) await js.publish(subject, m.body, rawOptions(m));
  },
  seq_gen: async () => {
    const t = tag++;
    for (let i = 0; i < COUNT; i++) {
      await publisher.orderCreatedV1(dataFor(i), { siteId, id: `g${t}-${i}` });
    }
  },
  win_raw: (msgs) => windowed((i) => js.publish(subject, msgs[i].body, rawOptions(msgs[i]))),
  win_gen: () => {
    const t = tag++;
    return windowed((i) => publisher.orderCreatedV1(dataFor(i), { siteId, id: `w${t}-${i}` }));
  },
};

async function subRaw(name) {
  await jsm.consumers.add("ORDERS", { durable_name: name, ack_policy: AckPolicy.Explicit });
  const consumer = await js.consumers.get("ORDERS", name);
  let read = 0;
  while (read < COUNT) {
    const messages = await consumer.fetch({
      max_messages: Math.min(BATCH, COUNT - read),
      expires: 5000,
    });
    for await (const m of messages) {
      m.ack();
      read++;
    }
  }
}

async function subGen(name) {
  const sub = await new pkg.OrdersSubscriber(nc).orderCreatedV1({
    siteId,
    durable: name,
    batch: BATCH,
  });
  try {
    for (let read = 0; read < COUNT; read++) {
      const received = await sub.next(5000);
      received.ack();
    }
  } finally {
    await sub.close();
  }
}

const best = {};
const keep = (name, rate) => (best[name] = Math.max(best[name] ?? 0, rate));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, path] of Object.entries(publishPaths)) {
    const msgs = name.endsWith("raw") ? rawMessages() : null;
    await resetStream();
    keep(name, await timed(() => path(msgs)));
  }
  keep("sub_raw", await timed(() => subRaw(`raw${r}`)));
  keep("sub_gen", await timed(() => subGen(`gen${r}`)));
}
await nc.drain();
console.log(JSON.stringify(best));
