// The on-screen keyboard: kiosks have no keyboard. 두벌식 Hangul with composition, or QWERTY, plus digits.
// It edits one <input> at a time and fires that input's "input" event, so a real keyboard and this one
// feed the same code.
import { backspace, typeJamo } from "/common/hangul.js";

const LAYOUTS = {
  ko: [["ㅂ", "ㅈ", "ㄷ", "ㄱ", "ㅅ", "ㅛ", "ㅕ", "ㅑ", "ㅐ", "ㅔ"],
    ["ㅁ", "ㄴ", "ㅇ", "ㄹ", "ㅎ", "ㅗ", "ㅓ", "ㅏ", "ㅣ"],
    ["ㅋ", "ㅌ", "ㅊ", "ㅍ", "ㅠ", "ㅜ", "ㅡ"]],
  en: [["q", "w", "e", "r", "t", "y", "u", "i", "o", "p"],
    ["a", "s", "d", "f", "g", "h", "j", "k", "l"],
    ["z", "x", "c", "v", "b", "n", "m"]],
};
const SHIFTED = { "ㅂ": "ㅃ", "ㅈ": "ㅉ", "ㄷ": "ㄸ", "ㄱ": "ㄲ", "ㅅ": "ㅆ", "ㅐ": "ㅒ", "ㅔ": "ㅖ" };
const DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "-"];

function button(label, className, onPress) {
  const key = document.createElement("button");
  key.type = "button";
  key.className = className;
  key.textContent = label;
  // Keep focus (and the caret) in the field being typed into.
  key.addEventListener("mousedown", (event) => event.preventDefault());
  key.addEventListener("click", onPress);
  return key;
}

export class Keyboard {
  /** root: an empty container; t: the strings function; onClose: called by the close key. */
  constructor(root, { t, onClose, layout = "ko", maxLength = 60 }) {
    this.root = root;
    this.t = t;
    this.onClose = onClose;
    this.layout = layout;
    this.maxLength = maxLength;
    this.shift = false;
    this.input = null;
    this.composing = false;
    root.classList.add("keyboard");
    root.setAttribute("role", "group");
    this.draw();
  }

  attach(input) {
    if (this.input === input) return;
    this.input = input;
    this.composing = false;
    // Typing on a real keyboard (or a paste) ends on-screen composition.
    input.addEventListener("input", (event) => {
      if (!event.fromKeyboard) this.composing = false;
    });
  }

  setLayout(layout) {
    this.layout = layout;
    this.shift = false;
    this.composing = false;
    this.draw();
  }

  draw() {
    const t = this.t;
    this.root.setAttribute("aria-label", t("keyboard.label"));
    this.root.replaceChildren();
    const rows = [DIGITS, ...LAYOUTS[this.layout]];
    for (const keys of rows) {
      const row = document.createElement("div");
      row.className = "kb-row";
      for (const base of keys) {
        const label = this.shift ? (SHIFTED[base] || base.toUpperCase()) : base;
        row.append(button(label, "key", () => this.type(label)));
      }
      this.root.append(row);
    }
    const bottom = document.createElement("div");
    bottom.className = "kb-row kb-bottom";
    const shift = button("⇧", "key key-wide", () => { this.shift = !this.shift; this.draw(); });
    shift.setAttribute("aria-label", t("keyboard.shift"));
    shift.setAttribute("aria-pressed", String(this.shift));
    const swap = button(this.layout === "ko" ? "ABC" : "한글", "key key-wide", () => {
      this.setLayout(this.layout === "ko" ? "en" : "ko");
    });
    swap.setAttribute("aria-label", t(this.layout === "ko" ? "keyboard.to_en" : "keyboard.to_ko"));
    const space = button(t("keyboard.space"), "key key-space", () => this.type(" "));
    const back = button("⌫", "key key-wide", () => this.edit((text) => backspace(text, this.composing)));
    back.setAttribute("aria-label", t("keyboard.backspace"));
    const clear = button(t("keyboard.clear"), "key key-wide", () => {
      this.composing = false;
      this.edit(() => "");
    });
    const close = button(t("keyboard.close"), "key key-wide key-close", () => this.onClose && this.onClose());
    close.setAttribute("aria-label", t("keyboard.close_aria"));
    bottom.append(shift, swap, space, back, clear, close);
    this.root.append(bottom);
  }

  type(ch) {
    if (!this.input) return;
    const hangul = ch >= "ㄱ" && ch <= "ㅣ";
    this.edit((text) => (hangul ? typeJamo(text, ch, this.composing) : text + ch));
    this.composing = hangul;
    if (this.shift) {
      this.shift = false;
      this.draw();
    }
  }

  edit(change) {
    const input = this.input;
    if (!input) return;
    const next = change(input.value).slice(0, this.maxLength);
    if (next === input.value) return;
    input.value = next;
    const event = new Event("input", { bubbles: true });
    event.fromKeyboard = true;
    input.dispatchEvent(event);
  }
}
