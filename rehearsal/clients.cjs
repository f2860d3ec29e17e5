// The hall's screens for the rehearsal, in Node on socket.io-client (the library the screens use).
//
//   node rehearsal/clients.cjs PLAN.json
//
// PLAN.json: {url, seed, out, cashier: {cashier_id, pin}, staff: {name, password}, products: [{sku, price}],
// devices: [{name, role, token}], ack_timeout_ms}. It connects every device, prints "READY", then reads one
// JSON command a line from stdin (the driver's schedule):
//   {"op": "rate", "sales": s, "holds": h, "books": b}   per second, hall-wide, until the next rate
//   {"op": "cut", "names": [...]} / {"op": "mend", "names": [...]}   a group of screens loses / regains its link
//   {"op": "flood", "name": kiosk, "on": bool}           a kiosk sends holds back to back
//   {"op": "finish"}   stop making work, mend every link, drain the outboxes, sync every screen, write `out`
// and prints "DONE". Each screen behaves as its page does: a till keeps each sale in an outbox until the hub
// acknowledges it and sells offline (offline_at, unit_price) while it cannot reach the hub; a door scanner
// admits by itself while offline and replays; every screen catches up with `sync` after each reconnect and
// keeps the stock it was told, which the audit compares with the hub's at the end.
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const readline = require("readline");
const { io } = require(path.join(__dirname, "..", "web", "node_modules", "socket.io-client"));

const plan = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const ACK_MS = plan.ack_timeout_ms || 10000;
const TICK_MS = 100;
const started = Date.now();

// A small seeded generator (mulberry32), so a seed gives the same choices.
let seed = plan.seed >>> 0;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const uuid = () => crypto.randomUUID();

// Hot products sell far more than the rest, so the shelves of a few run out and staff restock them.
const products = plan.products;
const prices = Object.fromEntries(products.map((p) => [p.sku, p.price]));
function chooseProduct() {
  const hot = Math.max(1, Math.floor(products.length / 10));
  return random() < 0.5 ? products[Math.floor(random() * hot)] : pick(products);
}
function chooseLines(most) {
  const lines = new Map();
  const count = 1 + Math.floor(random() * most);
  for (let i = 0; i < count; i++) {
    const product = chooseProduct();
    lines.set(product.sku, Math.min(3, (lines.get(product.sku) || 0) + 1 + Math.floor(random() * 2)));
  }
  return [...lines].map(([sku, qty]) => ({ sku, qty }));
}

// What the driver reads back.
const history = {
  sales: [],          // every sale a till made: {sale_id, device, total, offline, made_at, state, receipt_no, code}
  holds: [],          // {hold_id, device, code, state, error}
  tickets: [],        // {ticket_id, device, slot_id}
  scans: [],          // {scan_id, device, ticket_id, offline, admitted, reason}
  acks: [],           // [wall ms, latency ms, device, command ("checkout replay": an offline sale)] answered
  push: [],           // [wall ms, ms from the event's commit to a kiosk hearing it]
  samples: [],        // [wall ms, offline sales waiting, screens connected]
  errors: {},         // command -> code -> count
  internal: [],       // every `internal` answer: {device, command, message}
  screens: [],        // at the end: {name, role, last_seq, stock_mismatches, first_mismatches}
  restocks: 0,
};
function countError(command, code) {
  const byCode = (history.errors[command] = history.errors[command] || {});
  byCode[code] = (byCode[code] || 0) + 1;
}

class Screen {
  constructor(device) {
    this.name = device.name;
    this.role = device.role;
    this.cut = false;
    this.lastSeq = null;
    this.stock = new Map();
    this.syncing = false;
    this.pending = [];
    this.ready = false;
    this.socket = io(plan.url, {
      auth: { token: device.token }, transports: ["websocket"], reconnectionDelay: 250,
      reconnectionDelayMax: 1000, timeout: 5000,
    });
    this.socket.on("connect", () => this.onConnect().catch((e) => console.error(this.name, "connect", e)));
    this.socket.on("disconnect", () => { this.ready = false; });
    this.socket.on("event", (event) => this.onEvent(event));
  }

  online() {
    return this.ready && this.socket.connected && !this.cut;
  }

  // One command with its ack; null when no answer came (a dropped link or a hub that died mid-command).
  async call(command, payload, timeout = ACK_MS, label = command) {
    const sent = Date.now();
    let answer;
    try {
      answer = await this.socket.timeout(timeout).emitWithAck(command, payload);
    } catch (failure) {
      countError(command, "no_answer");
      return null;
    }
    history.acks.push([sent, Date.now() - sent, this.name, label]);
    if (!answer.ok) {
      countError(command, answer.error.code);
      if (answer.error.code === "internal") {
        history.internal.push({ device: this.name, command, message: answer.error.message });
      }
    }
    return answer;
  }

  async onConnect() {
    if (this.cut) { this.socket.disconnect(); return; }
    await this.catchUp();
    await this.afterConnect();
    this.ready = this.socket.connected;
  }

  async afterConnect() {}

  // As common/hall.js does: the whole catalog the first time, then every event since the last one applied.
  async catchUp() {
    this.syncing = true;
    try {
      if (this.lastSeq === null) {
        const listing = await this.call("catalog", {}, 30000);
        if (!listing || !listing.ok) throw new Error(`catalog refused: ${JSON.stringify(listing)}`);
        for (const p of listing.products) this.stock.set(p.sku, [p.on_hand, p.available]);
        this.lastSeq = listing.seq;
      } else {
        for (;;) {
          const answer = await this.call("sync", { since: this.lastSeq }, 30000);
          if (!answer || !answer.ok) throw new Error(`sync refused: ${JSON.stringify(answer)}`);
          for (const event of answer.events) this.apply(event, false);
          this.lastSeq = Math.max(this.lastSeq, answer.seq);
          if (!answer.more) break;
        }
      }
    } finally {
      this.syncing = false;
    }
    const waiting = this.pending.splice(0);
    for (const event of waiting) this.onEvent(event);
  }

  onEvent(event) {
    if (this.syncing || this.lastSeq === null) { this.pending.push(event); return; }
    if (event.seq <= this.lastSeq) return;
    this.apply(event, true);
    this.lastSeq = event.seq;
  }

  apply(event, live) {
    if (event.type === "stock.changed") {
      this.stock.set(event.data.sku, [event.data.on_hand, event.data.available]);
      if (live && this.role === "kiosk" && this.name === firstKiosk) {
        history.push.push([Date.now(), Date.now() - Date.parse(event.at)]);
      }
    } else if (event.type === "catalog.loaded") {
      for (const [sku, onHand] of Object.entries(event.data.stock)) this.stock.set(sku, [onHand, onHand]);
    }
    this.heard(event);
  }

  heard() {}

  // The outbox of a till or a door: each entry leaves only once the hub has answered it. No answer, a full
  // disk or a hub fault keeps it, to be sent again with its id; any other answer is `settle`d.
  async flush() {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.outbox.length && this.online()) {
        const entry = this.outbox[0];
        // A replayed offline sale keeps nobody waiting at the counter: its acks are told apart from the live ones.
        const answer = await this.call(this.outboxCommand, entry.payload, ACK_MS,
          entry.payload.offline_at ? `${this.outboxCommand} replay` : this.outboxCommand);
        if (!answer) continue;
        if (!answer.ok && ["storage_unavailable", "internal"].includes(answer.error.code)) {
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
        this.settle(entry, answer);
        this.outbox.shift();
      }
    } finally {
      this.sending = false;
    }
  }

  setCut(cut) {
    this.cut = cut;
    if (cut) { this.ready = false; this.socket.disconnect(); } else this.socket.connect();
  }
}

// A till: every sale goes into the outbox first, and leaves it only when the hub has answered.
class Till extends Screen {
  constructor(device) {
    super(device);
    this.outbox = [];
    this.outboxCommand = "checkout";
    this.signIn = null;
  }

  async afterConnect() {
    if (!this.signIn) {
      const answer = await this.call("login", plan.cashier, 30000);
      if (!answer || !answer.ok) throw new Error(`${this.name}: login refused ${JSON.stringify(answer)}`);
      this.signIn = answer.sign_in;
    }
    setImmediate(() => this.flush());
  }

  sell(holdOrder) {
    if (!this.signIn) return;
    const lines = holdOrder ? holdOrder.lines : chooseLines(3);
    const total = lines.reduce((sum, line) => sum + prices[line.sku] * line.qty, 0);
    const offline = !this.online();
    const payments = random() < 0.4
      ? [{ method: "cash", amount: Math.ceil((total + 1) / 10000) * 10000 }]
      : [{ method: "card", amount: total, approval_no: String(Math.floor(random() * 1e8)).padStart(8, "0"),
           card_type: "신한", card_masked: "5123-****-****-1234" }];
    const payload = { sale_id: uuid(), sign_in: this.signIn, payments, total,
      lines: lines.map((line) => ({ sku: line.sku, qty: line.qty, unit_price: prices[line.sku] })) };
    if (offline) payload.offline_at = new Date().toISOString();
    if (holdOrder && !offline) payload.hold_code = holdOrder.code;
    const sale = { sale_id: payload.sale_id, device: this.name, total, offline, made_at: Date.now(),
      state: "waiting", receipt_no: null, code: null, hold_code: payload.hold_code || null };
    history.sales.push(sale);
    this.outbox.push({ payload, sale });
    this.flush();
  }

  settle({ payload, sale }, answer) {
    if (answer.ok) {
      sale.state = "booked";
      sale.receipt_no = answer.sale.receipt_no;
    } else {
      // Online, the hub said no (sold out, an expired order): the buyer did not buy; nothing was made.
      sale.state = payload.offline_at ? "refused_offline" : "refused";
      sale.code = answer.error.code;
    }
  }
}

// A kiosk: orders held for the cashier (some paid at a till, some left to expire), and demo places booked.
class Kiosk extends Screen {
  constructor(device) {
    super(device);
    this.slots = [];
    this.flooding = false;
  }

  async afterConnect() {
    const program = await this.call("demos", {}, 30000);
    if (program && program.ok) {
      this.slots = program.demos.flatMap((demo) => demo.slots.map((slot) => slot.slot_id));
    }
  }

  async order(lines) {
    if (!this.online()) return;
    const hold_id = uuid();
    const record = { hold_id, device: this.name, code: null, state: "refused", error: null };
    history.holds.push(record);
    const answer = await this.call("hold", { hold_id, lines: lines || chooseLines(2) });
    if (!answer) { record.state = "unknown"; return; }
    if (!answer.ok) { record.error = answer.error.code; return; }
    record.code = answer.hold.code;
    record.state = "held";
    if (lines) return;  // a flood's orders are left to expire
    const fate = random();
    if (fate < 0.5) {
      paidOrders.push({ code: answer.hold.code, lines: answer.hold.lines.map((l) => ({ sku: l.sku, qty: l.qty })) });
    } else if (fate < 0.7) {
      await this.call("hold_release", { code: answer.hold.code });
    }
  }

  async book() {
    if (!this.online() || !this.slots.length) return;
    const answer = await this.call("book", { booking_id: uuid(), slot_id: pick(this.slots),
      party: 1 + Math.floor(random() * 2) });
    if (answer && answer.ok) {
      history.tickets.push({ ticket_id: answer.ticket.ticket_id, device: this.name, slot_id: answer.ticket.slot_id });
      const scanner = pick(scanners);
      if (scanner) setTimeout(() => scanner.scan(answer.ticket.qr), 500 + random() * 2000);
    }
  }

  async flood() {
    while (this.flooding) {
      if (this.online()) await this.order([{ sku: chooseProduct().sku, qty: 1 }]);
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
}

// A door scanner: online it asks the hub; offline it admits a ticket it has not seen admitted, and replays.
class Scanner extends Screen {
  constructor(device) {
    super(device);
    this.admitted = new Set();
    this.outbox = [];
    this.outboxCommand = "check_in";
  }

  heard(event) {
    if (event.type === "checkin.recorded") this.admitted.add(event.data.ticket_id);
  }

  afterConnect() { setImmediate(() => this.flush()); }

  scan(qr, again = true) {
    const ticketId = qr.split(".").length === 3
      ? Buffer.from(qr.split(".")[1], "base64url").toString().split("|")[0] : qr;
    const record = { scan_id: uuid(), device: this.name, ticket_id: ticketId, offline: !this.online(),
      admitted: null, reason: null };
    history.scans.push(record);
    const payload = { scan_id: record.scan_id, code: qr, door: this.name };
    if (record.offline) {
      // As scan/ does offline: a ticket it knows was admitted is turned away at the door, and only an
      // admission is kept for the hub.
      if (this.admitted.has(ticketId)) {
        record.admitted = false;
        record.reason = "already_used_offline";
        return;
      }
      this.admitted.add(ticketId);
      payload.offline_at = new Date().toISOString();
    }
    this.outbox.push({ payload, record });
    this.flush();
    // One visitor in ten shows the same ticket again: the door must say "already used".
    if (again && random() < 0.1) setTimeout(() => this.scan(qr, false), 1000);
  }

  settle({ record }, answer) {
    if (answer.ok) {
      record.admitted = answer.scan.admitted;
      record.reason = answer.scan.reason;
      if (answer.scan.admitted) this.admitted.add(record.ticket_id);
    } else {
      record.reason = answer.error.code;
    }
  }
}

// A staff screen: a person signed in, restocking what runs low among the products the hall sells.
class Staff extends Screen {
  constructor(device) {
    super(device);
    this.asked = new Map();
  }

  async afterConnect() {
    const answer = await this.call("staff_login", plan.staff, 30000);
    if (!answer || !answer.ok) throw new Error(`${this.name}: staff_login refused ${JSON.stringify(answer)}`);
  }

  heard(event) {
    if (event.type !== "stock.changed" || !(event.data.sku in prices)) return;
    const sku = event.data.sku;
    const last = this.asked.get(sku) || 0;
    if (making && event.data.available < 10 && Date.now() - last > 3000 && this.online()) {
      this.asked.set(sku, Date.now());
      const asked = this.call("restock", { sku, qty: 60, reason: "rehearsal", request_id: uuid() })
        .then((answer) => { if (answer && answer.ok) history.restocks += 1; });
      // The last look at the stock waits for restocks on their way, or it would be stale by them.
      restocking.add(asked);
      asked.finally(() => restocking.delete(asked));
    }
  }
}

const kinds = { pos: Till, kiosk: Kiosk, scanner: Scanner, staff: Staff };
const screens = plan.devices.map((device) => new kinds[device.role](device));
const byName = Object.fromEntries(screens.map((s) => [s.name, s]));
const tills = screens.filter((s) => s.role === "pos");
const kiosks = screens.filter((s) => s.role === "kiosk");
const scanners = screens.filter((s) => s.role === "scanner");
const firstKiosk = kiosks.length ? kiosks[0].name : null;
const paidOrders = [];
const restocking = new Set();

let rates = { sales: 0, holds: 0, books: 0 };
const owed = { sales: 0, holds: 0, books: 0 };
let making = false;

function tick() {
  if (making) {
    for (const kind of Object.keys(owed)) owed[kind] += (rates[kind] || 0) * TICK_MS / 1000;
    while (owed.sales >= 1) {
      owed.sales -= 1;
      const till = pick(tills);
      const order = paidOrders.length && random() < 0.5 ? paidOrders.shift() : null;
      if (till) till.sell(order);
    }
    while (owed.holds >= 1) { owed.holds -= 1; const k = pick(kiosks); if (k) k.order(); }
    while (owed.books >= 1) { owed.books -= 1; const k = pick(kiosks); if (k) k.book(); }
  }
  for (const till of tills) if (till.online() && till.outbox.length) till.flush();
  for (const scanner of scanners) if (scanner.online() && scanner.outbox.length) scanner.flush();
}

function sample() {
  const waiting = tills.reduce((sum, till) => sum + till.outbox.filter((e) => e.payload.offline_at).length, 0);
  history.samples.push([Date.now(), waiting, screens.filter((s) => s.online()).length]);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(condition, ms) {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await sleep(100);
  return condition();
}

async function finish() {
  making = false;
  for (const screen of screens) if (screen.cut) screen.setCut(false);
  for (const kiosk of kiosks) kiosk.flooding = false;
  const drained = await waitFor(() => screens.every((s) => s.online())
    && tills.every((t) => !t.outbox.length) && scanners.every((s) => !s.outbox.length), plan.drain_ms || 60000);
  await Promise.all([...restocking]);
  // Every screen catches up one last time and says what it believes the stock is.
  await Promise.all(screens.map((s) => (s.online() ? s.catchUp() : null)));
  history.drained = drained;
  history.screens = screens.map((s) => ({ name: s.name, role: s.role, last_seq: s.lastSeq, online: s.online(),
    stock: Object.fromEntries(s.stock) }));
  history.outboxes = Object.fromEntries(tills.map((t) => [t.name, t.outbox.length]));
  fs.writeFileSync(plan.out, JSON.stringify(history));
  for (const screen of screens) screen.socket.disconnect();
  console.log("DONE");
  clearInterval(ticker);
  clearInterval(sampler);
  setTimeout(() => process.exit(0), 200);
}

const ticker = setInterval(tick, TICK_MS);
const sampler = setInterval(sample, 1000);
const hardStop = setTimeout(() => { console.error("max seconds passed"); finish(); }, (plan.max_seconds || 600) * 1000);
hardStop.unref();

(async () => {
  const ready = await waitFor(() => screens.every((s) => s.online()), 60000);
  if (!ready) {
    console.log(`FAILED ${screens.filter((s) => !s.online()).map((s) => s.name).join(",")}`);
    process.exit(1);
  }
  console.log(`READY ${screens.length}`);
  making = true;
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const command = JSON.parse(line);
    if (command.op === "rate") rates = command;
    else if (command.op === "cut") for (const name of command.names) byName[name].setCut(true);
    else if (command.op === "mend") for (const name of command.names) byName[name].setCut(false);
    else if (command.op === "flood") {
      const kiosk = byName[command.name];
      kiosk.flooding = command.on;
      if (command.on) kiosk.flood();
    } else if (command.op === "finish") finish();
  });
  lines.on("close", () => { if (making) finish(); });
})();
