// The outbox: every sale, shift opening and shift closing goes through here.
//
// An entry is written to IndexedDB before it is sent, and leaves only when the
// hub has acknowledged it. Entries are sent one at a time, in the order they were
// made, and always with the payload they were first stored with: the hub is
// idempotent on the client id, so a resend after a lost ack never doubles a sale.
// A refusal of a replay is kept (state "refused") and shown, never dropped; a
// timeout, a dropped link, or a hub whose disk takes no writes (storage_unavailable:
// nothing was recorded) or a hub that is stopping (restarting) leaves the entry pending for the next try, like an outage.

import { isoNow } from "./messages.js";

const TRANSIENT = new Set(["offline", "timeout", "internal", "unauthorized", "storage_unavailable", "restarting",
  "writer_unreachable"]);
const SEND_TIMEOUT_MS = 10000;
const RETRY_MS = 4000;
// How long acknowledged entries are kept on the till, to offer again to a hub started from an older backup.
const KEEP_SENT_MS = 24 * 3600 * 1000;

function idOf(kind, payload) {
  return payload.sale_id || payload.shift_id + ":" + kind;
}

export class Outbox extends EventTarget {
  constructor(store, link) {
    super();
    this.store = store;
    this.link = link;
    this.entries = [];
    this.waiters = new Map(); // entry id -> resolve, for the cashier waiting at the pay screen
    this.draining = null;
    this.again = false;
    this.lastError = null;
    this.timer = null;
  }

  async load() {
    this.entries = await this.store.outboxAll();
    const old = Date.now() - KEEP_SENT_MS;
    const stale = (await this.store.sentAll()).filter((e) => Date.parse(e.created_at) < old).map((e) => e.id);
    if (stale.length) await this.store.sentDelete(stale);
    this._changed();
    this.timer = setInterval(() => {
      if (this.pendingCount && this._connected() && !this.draining) this.drain();
    }, RETRY_MS);
  }

  get pending() {
    return this.entries.filter((e) => e.state === "pending");
  }

  get pendingCount() {
    return this.pending.length;
  }

  /** The hub answered, but its disk takes no writes: the till keeps what it sells until it does. */
  get hubCannotSave() {
    return Boolean(this.pendingCount && this.lastError && this.lastError.code === "storage_unavailable");
  }

  get refused() {
    return this.entries.filter((e) => e.state === "refused");
  }

  _connected() {
    return Boolean(this.link.socket && this.link.socket.connected);
  }

  _changed() {
    this.dispatchEvent(new CustomEvent("change"));
  }

  /** Store a command durably; resolves once it is on disk. */
  async add(kind, payload, extra = {}) {
    const entry = { kind, id: idOf(kind, payload), payload, state: "pending", created_at: new Date().toISOString(),
                    tries: 0, ...extra };
    entry.n = await this.store.outboxAdd(entry);
    this.entries.push(entry);
    this._changed();
    return entry;
  }

  /**
   * Send what is pending (this entry last, after anything older) and wait for this
   * entry's outcome: {status: "done", answer} | {status: "refused", error} | {status: "pending"}.
   * A pending entry is kept on the till; `lastError` says why (none: the hub did not answer in time).
   */
  sendAndWait(entry, timeoutMs = SEND_TIMEOUT_MS) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(entry.id);
        resolve({ status: "pending" });
      }, timeoutMs);
      this.waiters.set(entry.id, (outcome) => {
        clearTimeout(timer);
        this.waiters.delete(entry.id);
        resolve(outcome);
      });
      this.drain();
    });
  }

  drain() {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = this._drain().finally(() => {
      this.draining = null;
      // Whoever still waits hears "pending": the entry is safe on disk and goes with the next drain.
      for (const resolve of [...this.waiters.values()]) resolve({ status: "pending" });
      this._changed();
    });
    this._changed();
    return this.draining;
  }

  async _drain() {
    do {
      this.again = false;
      for (const entry of [...this.entries]) {
        if (entry.state !== "pending" || !this.entries.includes(entry)) continue;
        if (!this._connected()) return;
        entry.tries += 1;
        let answer;
        try {
          answer = await this.link.command(entry.kind, entry.payload, { timeout: SEND_TIMEOUT_MS });
        } catch (err) {
          if (entry.again && err.code === "id_reused") {
            // Offered again with its time: the hub already has it from before, so it is in the books once.
            await this._done(entry, null);
            continue;
          }
          if (TRANSIENT.has(err.code)) {
            // Keep it, and everything after it, for the next try: order matters (a shift before its sales).
            this.lastError = { code: err.code, message: err.message };
            this._changed();
            return;
          }
          await this._refused(entry, err);
          continue;
        }
        this.lastError = null;
        await this._done(entry, answer);
      }
    } while (this.again);
  }

  async _done(entry, answer) {
    // The cashier hears first; should the delete below be lost, the entry is only sent again, and the hub
    // answers a repeated id with its first answer.
    this.entries = this.entries.filter((e) => e !== entry);
    const waiter = this.waiters.get(entry.id);
    if (waiter) waiter({ status: "done", answer });
    if (answer) this.dispatchEvent(new CustomEvent("done", { detail: { entry, answer, waited: Boolean(waiter) } }));
    this._changed();
    await this.store.outboxDelete(entry.n, false);
    await this.store.sentPut({ ...entry, state: "sent", again: false }).catch(() => {});
  }

  /**
   * The hub went back (started from an older backup, or on a new data folder): offer again, in the order they
   * were made, the day's entries it had acknowledged. A sale goes with the time it was made (offline_at): the
   * hub records one it lacks at that time, and answers id_reused for one it has, which is then done.
   * Resolves with how many were offered.
   */
  async offerAgain() {
    const kept = (await this.store.sentAll()).filter((e) => !this.entries.some((p) => p.id === e.id))
      .sort((a, b) => a.n - b.n);
    for (const old of kept) {
      const payload = old.kind === "checkout" && !old.payload.offline_at
        ? { ...old.payload, offline_at: isoNow(new Date(old.created_at)) } : old.payload;
      await this.add(old.kind, payload, { again: true, created_at: old.created_at });
    }
    await this.store.sentDelete(kept.map((e) => e.id));
    if (kept.length) this.drain();
    return kept.length;
  }

  async _refused(entry, err) {
    const error = { code: err.code, message: err.message, details: err.details || {} };
    const waiter = this.waiters.get(entry.id);
    if (waiter && !entry.payload.offline_at) {
      // A live sale the hub refused: nothing was sold; the cashier sees why and fixes the cart.
      await this.store.outboxDelete(entry.n);
      this.entries = this.entries.filter((e) => e !== entry);
      waiter({ status: "refused", error });
      this._changed();
      return;
    }
    entry.state = "refused";
    entry.error = error;
    entry.refused_at = new Date().toISOString();
    await this.store.outboxPut(entry);
    if (waiter) waiter({ status: "refused", error });
    this.dispatchEvent(new CustomEvent("refused", { detail: { entry } }));
    this._changed();
  }

  /** The hub no longer lists a refused replay (staff resolved it), or the cashier dismisses one the hub never knew. */
  async forget(entry) {
    await this.store.outboxDelete(entry.n);
    this.entries = this.entries.filter((e) => e !== entry);
    this._changed();
  }
}
