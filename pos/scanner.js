// A barcode scanner is a keyboard: it types the code very fast, then Enter.
//
// Keys typed while focus is in no text field are collected here wherever focus is
// (the page body, a button) and Enter hands them over as a scan — so a person can
// also type a code on the keyboard. Inside a text field only a burst typed
// faster than a person can type counts as a scan; its characters are taken back
// out of the field. Fields marked data-noscan (PIN entry) are never read.

// A scanner types a character every few milliseconds; the fastest typist needs about 60. A busy machine can
// hold one keystroke back now and then, so a burst is judged by its average pace, with a looser limit per key.
const BURST_AVERAGE_MS = 40;
const BURST_GAP_MS = 250;
const BURST_MIN = 6;         // shorter bursts in a field are left to the field
const IDLE_RESET_MS = 2000;  // a stray key long ago is not the start of a scan

function editable(el) {
  if (!el || el === document.body) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
  if (el.tagName !== "INPUT") return false;
  return !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file"].includes(el.type);
}

export class Scanner extends EventTarget {
  constructor({ enabled = () => true } = {}) {
    super();
    this.enabled = enabled;
    this.buffer = "";   // keys typed outside any field
    this.burst = [];    // recent keys typed inside a field: [{ch, t}]
    this.lastKeyAt = 0;
    this.onKeyDown = this.onKeyDown.bind(this);
    window.addEventListener("keydown", this.onKeyDown, true);
  }

  clear() {
    if (this.buffer) {
      this.buffer = "";
      this._typed();
    }
    this.burst = [];
  }

  _typed() {
    this.dispatchEvent(new CustomEvent("typing", { detail: this.buffer }));
  }

  onKeyDown(event) {
    if (!this.enabled() || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
    const target = event.target;
    if (target && target.closest && target.closest("[data-noscan]")) return;
    const now = event.timeStamp || performance.now();
    const inField = editable(target);
    const key = event.key;
    if (!inField && this.buffer && now - this.lastKeyAt > IDLE_RESET_MS) this.clear();

    if (key === "Enter") {
      const code = inField ? this._takeBurst(target, now) : this.buffer.trim();
      if (!code) return;
      // A scanner's Enter must not also press whatever button has focus.
      event.preventDefault();
      event.stopPropagation();
      this.buffer = "";
      this.burst = [];
      this._typed();
      this.dispatchEvent(new CustomEvent("scan", { detail: { code, at: now } }));
      return;
    }
    if (key.length !== 1) {
      if (key === "Backspace" && !inField && this.buffer) {
        event.preventDefault();
        this.buffer = this.buffer.slice(0, -1);
        this._typed();
      } else if (key === "Escape" && !inField && this.buffer) {
        this.clear();
      }
      return;
    }
    this.lastKeyAt = now;
    if (inField) {
      const last = this.burst[this.burst.length - 1];
      if (last && now - last.t > BURST_GAP_MS) this.burst = [];
      this.burst.push({ ch: key, t: now });
      return;
    }
    if (key === " " && !this.buffer) return; // a space on a focused button presses it
    // Shortcuts on the selected cart line (+, -, Delete) only when no code is being typed.
    if (!this.buffer && (key === "+" || key === "-")) {
      this.dispatchEvent(new CustomEvent("line-key", { detail: key }));
      event.preventDefault();
      return;
    }
    event.preventDefault();
    this.buffer += key;
    this._typed();
  }

  _takeBurst(field, now) {
    const burst = this.burst;
    this.burst = [];
    const last = burst[burst.length - 1];
    if (!last || now - last.t > BURST_GAP_MS) return "";
    // Only what looks like a code counts, so letters the cashier typed just before stay in the field.
    const text = burst.map((k) => k.ch).join("");
    const match = /(?:HOLD|RCPT):[0-9A-Za-z-]+$/i.exec(text) || /[0-9]{6,}$/.exec(text);
    if (!match) return "";
    const run = burst.slice(match.index);
    if (run.length < BURST_MIN || (last.t - run[0].t) / (run.length - 1) > BURST_AVERAGE_MS) return "";
    const code = match[0];
    // The field received the scanner's characters too: take them back out.
    if (typeof field.value === "string" && field.value.endsWith(code)) {
      field.value = field.value.slice(0, -code.length);
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    return code.trim();
  }
}
