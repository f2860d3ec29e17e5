// What the door keeps on the device so it can judge tickets while the hub is out of reach, and the offline
// admissions still to report. localStorage: small, synchronous, and written before an answer is shown, so a
// phone that dies right after a green screen still reports that admission when it comes back.
import { fromBase64Url } from "./ticket.js";

const PREFIX = "scan.";
const RECENT = 12;
// How long admissions the hub acknowledged are kept, to report again to a hub started from an older backup.
const KEEP_SENT_MS = 24 * 3600 * 1000;

function read(name, fallback) {
  try {
    const text = localStorage.getItem(PREFIX + name);
    return text === null ? fallback : JSON.parse(text);
  } catch (err) {
    return fallback;
  }
}

function write(name, value) {
  localStorage.setItem(PREFIX + name, JSON.stringify(value));
}

export class DoorStore {
  constructor() {
    this.booth = read("booth", null);
    this.key = read("key", null); // {public_key, fetched_at}
    this.program = read("program", null); // {seq, demos}
    this.lastSeq = read("seq", 0);
    this.admitted = read("admitted", {}); // ticket_id → {at, door, party, slot_id}
    this.cancelled = read("cancelled", {}); // ticket_id → true
    this.pending = read("pending", []); // offline admissions, oldest first
    // Admissions the hub acknowledged, oldest first, as pending items: reported again if its record goes back.
    this.sent = read("sent", []).filter((s) => Date.parse(s.offline_at) >= Date.now() - KEEP_SENT_MS);
    this.recent = read("recent", []);
    this.notices = read("notices", []); // conflicts and refused replays, newest first
    this.sound = read("sound", true);
    this._publicKey = null;
  }

  setBooth(booth) {
    this.booth = booth;
    write("booth", booth);
  }

  setSound(on) {
    this.sound = on;
    write("sound", on);
  }

  setKey(publicKey) {
    if (this.key && this.key.public_key === publicKey) return;
    this.key = { public_key: publicKey, fetched_at: new Date().toISOString() };
    this._publicKey = null;
    write("key", this.key);
  }

  get publicKey() {
    if (!this._publicKey && this.key) {
      try {
        this._publicKey = fromBase64Url(this.key.public_key);
      } catch (err) {
        this._publicKey = null;
      }
    }
    return this._publicKey;
  }

  setProgram(seq, demos) {
    this.program = { seq, demos };
    write("program", this.program);
  }

  // slot_id → what an answer shows about it, from the cached program.
  get slots() {
    const slots = {};
    for (const demo of (this.program && this.program.demos) || []) {
      for (const slot of demo.slots) {
        slots[slot.slot_id] = { ...slot, booth: demo.booth, demo: demo.name, demo_en: demo.name_en, firm: demo.firm };
      }
    }
    return slots;
  }

  // A hub event the door keeps. A catch-up brings thousands at once, so these writes are gathered and
  // made once after the batch (what the hub sent can be heard again; the door's own admissions cannot,
  // and those are written at once).
  apply(event) {
    const data = event.data || {};
    if (event.type === "checkin.recorded") {
      this.admitted[data.ticket_id] = { at: data.at, door: data.door, party: data.party, slot_id: data.slot_id };
      this._later("admitted");
    } else if (event.type === "ticket.cancelled") {
      this.cancelled[data.ticket_id] = true;
      this._later("cancelled");
    } else if (event.type === "slot.changed") {
      for (const demo of (this.program && this.program.demos) || []) {
        const slot = demo.slots.find((s) => s.slot_id === data.slot_id);
        if (slot) Object.assign(slot, data);
      }
      this._later("program");
    }
    if (event.seq > this.lastSeq) {
      this.lastSeq = event.seq;
      this._later("seq");
    }
  }

  _later(name) {
    if (!this._dirty) {
      this._dirty = new Set();
      setTimeout(() => this.save(), 0);
    }
    this._dirty.add(name);
  }

  save() {
    const dirty = this._dirty || new Set();
    this._dirty = null;
    const values = { admitted: this.admitted, cancelled: this.cancelled, program: this.program, seq: this.lastSeq };
    for (const name of ["admitted", "cancelled", "program", "seq"]) if (dirty.has(name)) write(name, values[name]);
  }

  setSeq(seq) {
    if (seq > this.lastSeq) {
      this.lastSeq = seq;
      write("seq", seq);
    }
  }

  // The hub's log is behind what this device heard: a new hall file. What the door knew is void.
  resetHall() {
    this.lastSeq = 0;
    this.admitted = {};
    this.cancelled = {};
    this.program = null;
    for (const name of ["seq", "admitted", "cancelled", "program"]) localStorage.removeItem(PREFIX + name);
  }

  remember(ticketId, entry) {
    this.admitted[ticketId] = entry;
    write("admitted", this.admitted);
  }

  queue(item) {
    this.pending.push(item);
    write("pending", this.pending);
  }

  // The oldest offline admission is settled at the hub (or cannot ever be): drop it.
  settle(scanId) {
    this.pending = this.pending.filter((p) => p.scan_id !== scanId);
    write("pending", this.pending);
  }

  updatePending(item) {
    this.pending = this.pending.map((p) => (p.scan_id === item.scan_id ? item : p));
    write("pending", this.pending);
  }

  /** An admission the hub has acknowledged, kept for the day (offerAgain). */
  keepSent(item) {
    this.sent = [...this.sent.filter((s) => s.scan_id !== item.scan_id), { ...item, again: false }];
    write("sent", this.sent);
  }

  /**
   * The hub went back (started from an older backup): the day's admissions it had acknowledged are reported
   * again, before the ones still waiting, each with the time it was made. The hub takes each once: one it has
   * answers id_reused, and the replay then asks with the first request (app.js). Returns how many.
   */
  offerAgain() {
    const again = this.sent.filter((s) => !this.pending.some((p) => p.scan_id === s.scan_id))
      .map((s) => ({ ...s, again: true }));
    this.pending = [...again, ...this.pending];
    this.sent = [];
    write("pending", this.pending);
    write("sent", this.sent);
    return again.length;
  }

  isPending(ticketId) {
    return this.pending.find((p) => p.ticket_id === ticketId) || null;
  }

  addRecent(entry) {
    this.recent = [entry, ...this.recent].slice(0, RECENT);
    write("recent", this.recent);
  }

  addNotice(notice) {
    this.notices = [notice, ...this.notices].slice(0, 30);
    write("notices", this.notices);
  }

  dismissNotice(id) {
    this.notices = this.notices.filter((n) => n.id !== id);
    write("notices", this.notices);
  }

  // Unpairing starts a fresh door; offline admissions not yet reported stay to be sent after re-pairing.
  forgetDoor() {
    for (const name of ["booth", "program", "seq", "admitted", "cancelled", "recent", "notices"]) {
      localStorage.removeItem(PREFIX + name);
    }
    const pending = this.pending;
    const sound = this.sound;
    const key = this.key;
    Object.assign(this, new DoorStore());
    Object.assign(this, { pending, sound, key });
  }
}
