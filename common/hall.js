// The link between a screen and the hub: pairing, the device token, the socket,
// commands with acknowledgements, and events applied once each, in order, after
// every reconnect (see docs/protocol.md).
/* global io */

const TOKEN_PREFIX = "hall.token.";
// A hall run as several processes (docs/scaling.md) says their ports in `sync`; a screen that fails this many
// tries in a row on one moves on to the next, on the same host, and syncs there.
const PROCESSES_KEY = "hall.processes";
const MOVE_ON_AFTER = 3;
// A pairing QR (`run_hall.py pair`, the staff screen's Devices panel) opens the screen at
// `/<screen>/#pair=XXXX-XXXX`. Read once, as this module loads, before a screen's own routing rewrites the
// address; then taken out of it, so the code is neither bookmarked nor sent anywhere (a fragment never is).
const ADDRESS_CODE = (() => {
  const found = /^#pair=([A-Za-z0-9]{4}-?[A-Za-z0-9]{4})$/.exec(globalThis.location?.hash || "");
  if (!found) return "";
  history.replaceState(null, "", location.pathname + location.search);
  return found[1].toUpperCase();
})();

/** The pairing code the screen was opened with from a QR, or "" (the screen fills its code field with it). */
export function pairingCodeInAddress() {
  return ADDRESS_CODE;
}

export class CommandError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export class HallLink extends EventTarget {
  /**
   * sync: whether to catch up on the role's events after every (re)connect (a visitor's phone hears no
   * events, only its pushes); pushes: Socket.IO events besides `event` heard as "push:<name>"; query: sent
   * with the connection (a phone's `visitor=1` puts it in the phones' budget, not the hall screens').
   */
  constructor({ role, url = "", sync = true, pushes = [], query = undefined } = {}) {
    super();
    this.role = role;
    this.url = url;
    this.sync = sync;
    this.pushes = pushes;
    this.query = query;
    this.socket = null;
    this.state = "unpaired"; // unpaired | connecting | online | offline
    this.lastSeq = 0;
    this.device = null;
    this.elsewhere = ""; // another process of the hall this screen moved on to, or "" for the page's own
    this._misses = 0;
  }

  get token() {
    return localStorage.getItem(TOKEN_PREFIX + this.role);
  }

  get paired() {
    return Boolean(this.token);
  }

  forget() {
    localStorage.removeItem(TOKEN_PREFIX + this.role);
    this._dropSocket();
    this._setState("unpaired");
  }

  async pair(code) {
    let response;
    try {
      response = await fetch(this.url + "/api/pair", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ code }),
      });
    } catch (err) {
      throw new CommandError("offline", "The hub cannot be reached");
    }
    const body = await response.json().catch(() => ({}));
    if (!body.ok) {
      const error = body.error || { code: "internal", message: "Pairing failed" };
      throw new CommandError(error.code, error.message, error);
    }
    if (body.role !== this.role) {
      throw new CommandError("wrong_role", `This code is for a ${body.role} screen, not a ${this.role} screen`);
    }
    localStorage.setItem(TOKEN_PREFIX + this.role, body.token);
    this.device = { name: body.name, role: body.role };
    localStorage.setItem(TOKEN_PREFIX + this.role + ".name", body.name);
    return body;
  }

  get deviceName() {
    return localStorage.getItem(TOKEN_PREFIX + this.role + ".name") || "";
  }

  connect() {
    if (!this.paired) {
      this._setState("unpaired");
      return;
    }
    this._setState("connecting");
    const socket = io(this.url || this.elsewhere || undefined, {
      auth: { token: this.token },
      query: this.query,
      transports: ["websocket", "polling"],
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    this.socket = socket;
    this._misses = 0;
    socket.on("connect", () => {
      this._misses = 0;
      this._onConnect();
    });
    socket.on("disconnect", (reason) => {
      this._setState("offline");
      // The hub dropped us on purpose (a revoked token): ask again, and hear "unauthorized" if so.
      if (reason === "io server disconnect") setTimeout(() => socket.connect(), 300);
    });
    socket.on("connect_error", (err) => {
      if (err && err.message === "unauthorized") {
        this.forget();
        this.dispatchEvent(new CustomEvent("revoked"));
        return;
      }
      this._setState("offline");
      this._misses += 1;
      if (this._misses >= MOVE_ON_AFTER) this._moveOn();
    });
    socket.on("event", (event) => this._apply(event));
    for (const name of this.pushes) {
      socket.on(name, (data) => this.dispatchEvent(new CustomEvent(`push:${name}`, { detail: data })));
    }
  }

  /** The next process of the hall after the one that keeps failing, if the hub said there are several. */
  _moveOn() {
    if (this.url) return; // a screen given its hub's address keeps to it
    let ports = [];
    try {
      ports = JSON.parse(localStorage.getItem(PROCESSES_KEY) || "[]");
    } catch (err) {
      return;
    }
    const at = new URL(this.elsewhere || location.href);
    const current = Number(at.port || (at.protocol === "https:" ? 443 : 80));
    const next = ports[(ports.indexOf(current) + 1) % ports.length];
    if (ports.length < 2 || !Number.isInteger(next) || next === current) return;
    this.elsewhere = next === Number(location.port) ? "" : `${location.protocol}//${location.hostname}:${next}`;
    this._dropSocket();
    this.connect();
  }

  /** Close the socket without hearing from it again (its own reconnecting ends with it). */
  _dropSocket() {
    if (!this.socket) return;
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.socket = null;
  }

  /** Keep a token got some other way than pairing (a visitor's session). */
  keepToken(token) {
    localStorage.setItem(TOKEN_PREFIX + this.role, token);
  }

  async _onConnect() {
    this._setState("online");
    try {
      if (this.sync) await this.catchUp();
    } catch (err) {
      // The next reconnect tries again; nothing is applied twice thanks to seq.
    }
    this.dispatchEvent(new CustomEvent("ready"));
  }

  async catchUp() {
    // Live events that arrive while the sync answer is on its way are newer than
    // it: hold them, or applying one first would make the older ones look seen.
    this._held = this._held || [];
    this._catchingUp = true;
    try {
      let first = true;
      let wentBack = false;
      for (;;) {
        const answer = await this.command("sync", { since: this.lastSeq });
        if (first) {
          wentBack = this._wentBack(answer);
          if (answer.processes) localStorage.setItem(PROCESSES_KEY, JSON.stringify(answer.processes));
          else localStorage.removeItem(PROCESSES_KEY);
        }
        first = false;
        for (const event of answer.events) this._deliver(event);
        if (!answer.more) {
          // A hub that went back numbers from its own head: waiting for it to pass ours would skip its events.
          this.lastSeq = wentBack ? answer.seq : Math.max(this.lastSeq, answer.seq);
          return;
        }
      }
    } finally {
      this._catchingUp = false;
      const held = this._held.sort((a, b) => a.seq - b.seq);
      this._held = [];
      for (const event of held) this._deliver(event);
    }
  }

  /**
   * Whether the hub has gone back since this screen last synced: another record (`run_hall.py restore`, a new
   * data folder) or a head below what the screen applied. Says so with a "went-back" event, so the screen
   * can offer again what the hub had acknowledged (docs/protocol.md, sync).
   */
  _wentBack(answer) {
    const key = TOKEN_PREFIX + this.role + ".record";
    const known = localStorage.getItem(key);
    if (answer.record) localStorage.setItem(key, answer.record);
    const back = Boolean((known && answer.record && known !== answer.record) ||
      (!answer.more && answer.seq < this.lastSeq));
    if (back) this.dispatchEvent(new CustomEvent("went-back", { detail: { record: answer.record, seq: answer.seq } }));
    return back;
  }

  _apply(event) {
    if (this._catchingUp) {
      this._held.push(event);
      return;
    }
    this._deliver(event);
  }

  _deliver(event) {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.dispatchEvent(new CustomEvent("hall-event", { detail: event }));
    this.dispatchEvent(new CustomEvent(event.type, { detail: event }));
  }

  /** Resolves once the socket is connected (at once if it is); rejects "offline" after `timeout` ms. */
  whenOnline(timeout = 10000) {
    if (this.socket?.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onState = (event) => {
        if (event.detail !== "online") return;
        clearTimeout(timer);
        this.removeEventListener("state", onState);
        resolve();
      };
      const timer = setTimeout(() => {
        this.removeEventListener("state", onState);
        reject(new CommandError("offline", "Not connected to the hub"));
      }, timeout);
      this.addEventListener("state", onState);
    });
  }

  command(name, payload = {}, { timeout = 8000 } = {}) {
    return new Promise((resolve, reject) => {
      if (!this.socket || !this.socket.connected) {
        reject(new CommandError("offline", "Not connected to the hub"));
        return;
      }
      this.socket.timeout(timeout).emit(name, payload, (err, answer) => {
        if (err) {
          reject(new CommandError("timeout", "The hub did not answer in time"));
        } else if (!answer || !answer.ok) {
          const error = (answer && answer.error) || { code: "internal", message: "No answer" };
          reject(new CommandError(error.code, error.message, error));
        } else {
          resolve(answer);
        }
      });
    });
  }

  _setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent("state", { detail: state }));
  }
}

// Strings live in one JSON file per language (kiosk/i18n/ko.json ...), so a language is a file, not code.
export async function loadStrings(base, lang) {
  const response = await fetch(`${base}/${lang}.json`);
  if (!response.ok) throw new Error(`no strings for ${lang}`);
  return response.json();
}

export function formatWon(amount, lang = "ko") {
  const number = new Intl.NumberFormat(lang === "ko" ? "ko-KR" : "en-US").format(amount);
  return lang === "ko" ? `${number}원` : `₩${number}`;
}

export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
