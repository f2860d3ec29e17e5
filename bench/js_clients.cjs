// Client worker in Node: many socket.io-client connections (the library the screens use), that listen
// or sell on command. The same contract as `python -m bench.clients`:
//
//   node bench/js_clients.cjs listen   --url U [--tokens-file F --role kiosk] --first I --count N --out FILE
//   node bench/js_clients.cjs checkout --url U --tokens-file F --role pos --first I --count N --out FILE
//                                      --seconds S --products P.json [--pace S]
//   node bench/js_clients.cjs phones   --url U --first I --count N --out FILE --watch-file W.json
//                                      (bench/js_phones.cjs: visitors' phones, see there)
//
// It connects its clients, prints "READY <n>", then waits for a line on stdin ("GO" starts selling,
// "COUNT" asks how many stock events have arrived, "STOP" ends), writes its findings to --out as JSON and
// prints "DONE". --max-seconds ends it even if the parent never speaks; closing stdin ends it too.
//
// Times are process.hrtime (libuv: CLOCK_MONOTONIC on Linux), in seconds, the same clock as Python's
// time.monotonic() in the driver, so the two can be subtracted.
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const readline = require("readline");
const { io } = require(path.join(__dirname, "..", "web", "node_modules", "socket.io-client"));

const CONNECT_BATCH = 25;
const CONNECT_TIMEOUT_MS = 20000;

function parseArgs(argv) {
  const args = { mode: argv[0], role: "kiosk", first: 0, maxSeconds: 120, seconds: 10, maxSales: 100000,
    pace: 0 };
  const names = { "--url": "url", "--tokens-file": "tokensFile", "--role": "role", "--first": "first",
    "--count": "count", "--out": "out", "--max-seconds": "maxSeconds", "--seconds": "seconds",
    "--max-sales": "maxSales", "--products": "products", "--pace": "pace", "--watch-file": "watchFile" };
  for (let i = 1; i < argv.length; i += 2) {
    const name = names[argv[i]];
    if (!name) throw new Error(`unknown argument ${argv[i]}`);
    const value = argv[i + 1];
    args[name] = ["first", "count", "maxSeconds", "seconds", "maxSales", "pace"].includes(name)
      ? Number(value) : value;
  }
  if (!["listen", "checkout", "phones"].includes(args.mode) || !args.url || !args.count || !args.out) {
    throw new Error("usage: js_clients.cjs listen|checkout|phones --url U --count N --out FILE ...");
  }
  return args;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

const tokenFiles = new Map(); // read once: with thousands of clients, once per connection is seconds of parsing

function authFor(args, index) {
  if (!args.tokensFile) return { role: "listener" }; // the bare server lets anyone in
  if (!tokenFiles.has(args.tokensFile)) tokenFiles.set(args.tokensFile, JSON.parse(fs.readFileSync(args.tokensFile, "utf8")));
  return { token: tokenFiles.get(args.tokensFile)[args.role][index] };
}

function connectOne(url, auth, onDisconnect, options = {}) {
  return new Promise((resolve, reject) => {
    // forceNew: one connection per client, as on separate screens (not multiplexed on one).
    const socket = io(url, { transports: ["websocket"], auth, reconnection: false, forceNew: true,
      timeout: CONNECT_TIMEOUT_MS, ...options });
    const timer = setTimeout(() => { socket.close(); reject(new Error("connect timeout")); }, CONNECT_TIMEOUT_MS);
    socket.once("connect", () => { clearTimeout(timer); socket.on("disconnect", onDisconnect); resolve(socket); });
    socket.once("connect_error", (err) => { clearTimeout(timer); socket.close(); reject(err); });
  });
}

async function connectAll(args, onDisconnect, prepare, auth = authFor, options = {}) {
  const clients = [];
  const failures = [];
  for (let start = 0; start < args.count; start += CONNECT_BATCH) {
    const batch = [];
    for (let n = start; n < Math.min(args.count, start + CONNECT_BATCH); n += 1) {
      const index = args.first + n;
      batch.push(Promise.resolve(auth(args, index))
        .then((credentials) => connectOne(args.url, credentials, (why) => onDisconnect(index, why), options))
        .then((socket) => { prepare(socket, index); clients.push(socket); })
        .catch((err) => failures.push(String(err && err.message))));
    }
    await Promise.all(batch);
  }
  if (failures.length) process.stderr.write(`connect failures: ${failures.length}: ${failures.slice(0, 3)}\n`);
  return clients;
}

function commands(maxSeconds) {
  // Lines from the parent, one at a time; "TIMEOUT" at the deadline, "EOF" when stdin closes.
  const lines = [];
  const waiting = [];
  const give = (line) => (waiting.length ? waiting.shift()(line) : lines.push(line));
  readline.createInterface({ input: process.stdin }).on("line", (line) => give(line.trim() || "EOF"))
    .on("close", () => give("EOF"));
  setTimeout(() => give("TIMEOUT"), maxSeconds * 1000).unref();
  return () => new Promise((resolve) => (lines.length ? resolve(lines.shift()) : waiting.push(resolve)));
}

async function listen(args, nextCommand) {
  const received = new Map(); // client index -> Map(key -> arrival)
  const state = { dups: 0, disconnects: 0, why: {}, other: 0, counting: false };
  const onDisconnect = (index, why) => {
    if (!state.counting) return;
    state.disconnects += 1;
    state.why[why] = (state.why[why] || 0) + 1;
    process.stderr.write(`${now().toFixed(3)} client ${index} disconnected: ${why}\n`);
  };
  const clients = await connectAll(args, onDisconnect, (socket, index) => {
    const seen = new Map();
    received.set(index, seen);
    socket.on("event", (event) => {
      const at = now();
      if (!event || event.type !== "stock.changed") { state.other += 1; return; }
      const key = `${event.data.sku}:${event.data.on_hand}`;
      if (seen.has(key)) state.dups += 1; else seen.set(key, at);
    });
  });
  state.counting = true;
  process.stdout.write(`READY ${clients.length}\n`);
  let command;
  while ((command = await nextCommand()) === "COUNT") {
    let total = 0;
    for (const seen of received.values()) total += seen.size;
    process.stdout.write(`COUNT ${total}\n`);
  }
  state.counting = false;
  const arrivals = {};
  for (const seen of received.values()) {
    for (const [key, at] of seen) (arrivals[key] = arrivals[key] || []).push(at);
  }
  clients.forEach((socket) => socket.close());
  return { connected: clients.length, ended_by: command, arrivals, duplicates: state.dups,
    disconnects: state.disconnects, disconnect_reasons: state.why, other_events: state.other };
}

function seededRandom(seed) {
  // mulberry32: a repeatable stream per client, as Python's random.Random(seed) in the other worker
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickOne(random, products) {
  // Products with a "weight" are picked in proportion to it (a hall's best sellers), others evenly.
  if (products[0].weight === undefined) return products[Math.floor(random() * products.length)];
  if (!products.cumulative) {
    let total = 0;
    products.cumulative = products.map((p) => (total += p.weight));
  }
  const target = random() * products.cumulative[products.length - 1];
  let low = 0;
  let high = products.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (products.cumulative[middle] < target) low = middle + 1; else high = middle;
  }
  return products[low];
}

function salePayload(random, products) {
  // A cash sale of one or two products, one unit each, paid exactly: as bench.clients.sale_payload.
  const count = random() < 0.5 ? 1 : 2;
  const picked = [];
  while (picked.length < count) {
    const product = pickOne(random, products);
    if (!picked.includes(product)) picked.push(product);
  }
  const total = picked.reduce((sum, p) => sum + p.price, 0);
  return { sale_id: crypto.randomUUID(), lines: picked.map((p) => ({ sku: p.sku, qty: 1 })),
    payments: [{ method: "cash", amount: total }] };
}

async function checkout(args, nextCommand) {
  const products = JSON.parse(fs.readFileSync(args.products, "utf8"));
  const events = { n: 0 };
  const clients = await connectAll(args, () => {}, (socket) => {
    socket.on("event", () => { events.n += 1; }); // a POS hears the hall's stock changes
  });
  // Each till signs the bench cashier in with a PIN first, as a till does; its sales carry the sign-in.
  const cashier = JSON.parse(fs.readFileSync(args.tokensFile, "utf8")).cashier;
  const signIns = await Promise.all(clients.map(async (socket) => {
    const ack = await socket.timeout(30000).emitWithAck("login", cashier);
    if (!ack || !ack.ok) throw new Error(`sign-in refused: ${JSON.stringify(ack)}`);
    return ack.sign_in;
  }));
  process.stdout.write(`READY ${clients.length}\n`);
  const command = await nextCommand();
  const latencies = [];
  const errors = {};
  const count = (code) => { errors[code] = (errors[code] || 0) + 1; };
  let budget = args.maxSales;
  const start = now();
  const stopAt = command === "GO" ? start + args.seconds : start;
  await Promise.all(clients.map(async (socket, n) => {
    const random = seededRandom(args.first * 1000 + n + 1);
    // --pace: one sale every that many seconds per till, the tills out of step, as cashiers at a steady
    // queue; 0 sells back to back.
    let due = start + random() * args.pace;
    while (now() < stopAt && budget > 0) {
      if (args.pace > 0) {
        const wait = due - now();
        due += args.pace;
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, stopAt - now()) * 1000));
        if (now() >= stopAt) break;
      }
      budget -= 1;
      const payload = { ...salePayload(random, products), sign_in: signIns[n] };
      const sent = now();
      let ack;
      try {
        ack = await socket.timeout(15000).emitWithAck("checkout", payload);
      } catch (err) {
        count(err && err.message === "operation has timed out" ? "TimeoutError" : "LinkError");
        continue;
      }
      if (ack && ack.ok) latencies.push(now() - sent);
      else count((ack && ack.error && ack.error.code) || "?");
    }
  }));
  const end = now();
  clients.forEach((socket) => socket.close());
  return { connected: clients.length, ok: latencies.length, errors, latencies, start, end,
    events_heard: events.n };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const nextCommand = commands(args.maxSeconds);
  const modes = { listen, checkout, phones: (...a) => require("./js_phones.cjs").phones(...a, { connectAll, now }) };
  const result = await modes[args.mode](args, nextCommand);
  fs.writeFileSync(args.out, JSON.stringify(result));
  process.stdout.write("DONE\n");
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack}\n`);
  process.stdout.write(`FAILED ${err && err.message}\n`);
  process.exit(1);
});
