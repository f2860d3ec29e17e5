// A handheld scanner is a keyboard: it types the QR text and presses Enter. We listen on the whole page so
// nobody has to tap a box first. Korean devices often sit in Hangul input mode, where the scanner's "T1.a"
// arrives as jamo or as IME "Process" keys; the physical key (event.code) still tells us what was meant.

const SHIFTED = { Digit1: "!", Digit2: "@", Digit3: "#", Digit4: "$", Digit5: "%", Digit6: "^", Digit7: "&",
  Digit8: "*", Digit9: "(", Digit0: ")", Minus: "_", Equal: "+", Period: ">", Comma: "<", Slash: "?",
  Semicolon: ":", Quote: "\"", BracketLeft: "{", BracketRight: "}", Backslash: "|", Backquote: "~" };
const PLAIN = { Minus: "-", Equal: "=", Period: ".", Comma: ",", Slash: "/", Semicolon: ";", Quote: "'",
  BracketLeft: "[", BracketRight: "]", Backslash: "\\", Backquote: "`", Space: " " };
// A pause longer than this between keys starts a new code: scanners type a whole code in a burst.
const GAP_MS = 800;

export function charOf(event) {
  const { key, code } = event;
  if (key && key.length === 1 && key >= " " && key <= "~") return key;
  if (!code) return null;
  const caps = event.getModifierState ? event.getModifierState("CapsLock") : false;
  if (/^Key[A-Z]$/.test(code)) {
    const letter = code.slice(3);
    return event.shiftKey !== caps ? letter : letter.toLowerCase();
  }
  if (/^(Digit|Numpad)[0-9]$/.test(code)) return event.shiftKey && code.startsWith("Digit") ? SHIFTED[code] : code.slice(-1);
  if (event.shiftKey && SHIFTED[code]) return SHIFTED[code];
  return PLAIN[code] || null;
}

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

// Calls onCode(text) for every burst of keys ending in Enter typed while no input box has the focus.
export function captureScanner(onCode, { enabled = () => true } = {}) {
  let buffer = "";
  let last = 0;
  const handler = (event) => {
    if (!enabled() || typing(event.target) || event.ctrlKey || event.altKey || event.metaKey) return;
    const now = performance.now();
    if (now - last > GAP_MS) buffer = "";
    last = now;
    if (event.key === "Enter" || event.code === "Enter" || event.code === "NumpadEnter") {
      const text = buffer.trim();
      buffer = "";
      if (text) {
        event.preventDefault();
        onCode(text);
      }
      return;
    }
    const ch = charOf(event);
    if (ch !== null) {
      buffer += ch;
      event.preventDefault();
    }
  };
  document.addEventListener("keydown", handler, true);
  return () => document.removeEventListener("keydown", handler, true);
}

// Text typed in Hangul mode back to the keys that were pressed (두벌식 layout), for short codes typed by hand.
const JAMO_KEYS = { "ㄱ": "r", "ㄲ": "R", "ㄴ": "s", "ㄷ": "e", "ㄸ": "E", "ㄹ": "f", "ㅁ": "a", "ㅂ": "q", "ㅃ": "Q",
  "ㅅ": "t", "ㅆ": "T", "ㅇ": "d", "ㅈ": "w", "ㅉ": "W", "ㅊ": "c", "ㅋ": "z", "ㅌ": "x", "ㅍ": "v", "ㅎ": "g",
  "ㅏ": "k", "ㅐ": "o", "ㅑ": "i", "ㅒ": "O", "ㅓ": "j", "ㅔ": "p", "ㅕ": "u", "ㅖ": "P", "ㅗ": "h", "ㅘ": "hk",
  "ㅙ": "ho", "ㅚ": "hl", "ㅛ": "y", "ㅜ": "n", "ㅝ": "nj", "ㅞ": "np", "ㅟ": "nl", "ㅠ": "b", "ㅡ": "m",
  "ㅢ": "ml", "ㅣ": "l", "ㄳ": "rt", "ㄵ": "sw", "ㄶ": "sg", "ㄺ": "fr", "ㄻ": "fa", "ㄼ": "fq", "ㄽ": "ft",
  "ㄾ": "fx", "ㄿ": "fv", "ㅀ": "fg", "ㅄ": "qt" };
const INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";
const MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ";
const FINALS = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ",
  "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"];

export function hangulToKeys(text) {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0);
    if (code >= 0xac00 && code <= 0xd7a3) {
      const index = code - 0xac00;
      const jamo = [INITIALS[Math.floor(index / 588)], MEDIALS[Math.floor((index % 588) / 28)], FINALS[index % 28]];
      out += jamo.map((j) => (j ? JAMO_KEYS[j] : "")).join("");
    } else {
      out += JAMO_KEYS[ch] || ch;
    }
  }
  return out;
}
