// Visitors' phones for bench/phones.py, run as `node bench/js_clients.cjs phones ...` (its helpers and
// its stdin contract: READY <n>, COUNT, STOP, DONE).
//
// Each phone does what the visitor page does: POST /api/visit/session for an anonymous token, connects
// with socket.io-client (auth {token}, query visitor=1, websocket), sends `watch` with its products (--watch-file: a JSON
// list, one list of skus per phone index) and from then on records every `changes` push with its arrival.
// It writes the raw record; bench/phones.py scores it against the hub's event log, so the phone side
// stays as cheap as a real phone's handler.
//
// Arrival times are wall-clock milliseconds (performance.timeOrigin + performance.now()), the clock of
// the hub's event `at`, so the two can be subtracted.
"use strict";
const fs = require("fs");
const { performance } = require("perf_hooks");

const SESSION_TRIES = 20;
const WATCH_BATCH = 100;
const wallMs = () => performance.timeOrigin + performance.now();

async function newSession(url) {
  // The page's first visit. A `slow_down` answer carries how long to wait: wait and ask again (bounded).
  for (let attempt = 1; ; attempt += 1) {
    const answer = await fetch(`${url}/api/visit/session`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: "{}",
    });
    const body = await answer.json().catch(() => ({}));
    if (answer.ok && body.ok) return body;
    const wait = Number((body.error && body.error.retry_after) || answer.headers.get("retry-after") || 1);
    if (answer.status !== 429 || attempt >= SESSION_TRIES) {
      throw new Error(`session refused: ${answer.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  }
}

async function phones(args, nextCommand, { connectAll }) {
  const watches = JSON.parse(fs.readFileSync(args.watchFile, "utf8"));
  const record = new Map(); // phone index -> what it heard
  const state = { disconnects: 0, why: {}, counting: false, pushes: 0, broadcasts: 0, mine: 0 };
  const visitorOf = new Map();
  const onDisconnect = (index, why) => {
    if (!state.counting) return;
    state.disconnects += 1;
    state.why[why] = (state.why[why] || 0) + 1;
  };
  const sessionStarted = wallMs();
  const clients = await connectAll(args, onDisconnect, (socket, index) => {
    const heard = { index, visitor: visitorOf.get(index), watch: watches[index], ack_seq: null, acked: [],
      pushes: [] };
    record.set(index, heard);
    socket.benchIndex = index;
    socket.on("changes", (push) => {
      // [arrival ms, seq, sku, on_hand, sku, on_hand, ...]: flat, so 5,000 phones' records stay small.
      const row = [Math.round(wallMs() * 10) / 10, push.seq];
      for (const [sku, counts] of Object.entries(push.stock || {})) row.push(sku, counts.on_hand);
      heard.pushes.push(row);
      state.pushes += 1;
    });
    // A phone listens only to what it shows: a hall-wide broadcast reaching it is a fault the bench counts.
    socket.on("event", () => { state.broadcasts += 1; });
    socket.on("mine", () => { state.mine += 1; });
  }, async (_, index) => {
    const session = await newSession(args.url);
    visitorOf.set(index, session.visitor);
    return { token: session.token };
  }, { query: { visitor: "1" } }); // as the page connects: counted in the phones' budget, not the screens'
  const connectSeconds = (wallMs() - sessionStarted) / 1000;
  const watchFailures = {};
  for (let start = 0; start < clients.length; start += WATCH_BATCH) {
    await Promise.all(clients.slice(start, start + WATCH_BATCH).map(async (socket) => {
      const heard = record.get(socket.benchIndex);
      try {
        const ack = await socket.timeout(30000).emitWithAck("watch", { skus: heard.watch, slots: [] });
        if (!ack || !ack.ok) throw new Error((ack && ack.error && ack.error.code) || "refused");
        heard.ack_seq = ack.seq;
        heard.acked = Object.keys(ack.stock || {});
      } catch (err) {
        const why = String(err && err.message);
        watchFailures[why] = (watchFailures[why] || 0) + 1;
      }
    }));
  }
  state.counting = true;
  process.stdout.write(`READY ${clients.length}\n`);
  let command;
  while ((command = await nextCommand()) === "COUNT") process.stdout.write(`COUNT ${state.pushes}\n`);
  state.counting = false;
  clients.forEach((socket) => socket.close());
  return { connected: clients.length, ended_by: command, connect_s: connectSeconds, watch_failures: watchFailures,
    phones: [...record.values()], disconnects: state.disconnects, disconnect_reasons: state.why,
    broadcasts_heard: state.broadcasts, mine_heard: state.mine };
}

module.exports = { phones };
