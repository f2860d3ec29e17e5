// Hangul for the kiosk: initial consonants (초성) for search, and the composition an on-screen
// 두벌식 keyboard needs (ㄹ + ㅗ → 로, 로 + ㅂ → 롭, 롭 + ㅗ → 로보).

const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;
const SYLLABLES = /[\uac00-\ud7a3]/g;

export const CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";
export const JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ";
// Index 0 is "no final consonant".
export const JONG = ["", ..."ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"];

const JONG_PAIRS = { "ㄱㅅ": "ㄳ", "ㄴㅈ": "ㄵ", "ㄴㅎ": "ㄶ", "ㄹㄱ": "ㄺ", "ㄹㅁ": "ㄻ", "ㄹㅂ": "ㄼ",
  "ㄹㅅ": "ㄽ", "ㄹㅌ": "ㄾ", "ㄹㅍ": "ㄿ", "ㄹㅎ": "ㅀ", "ㅂㅅ": "ㅄ" };
const JONG_SPLIT = Object.fromEntries(Object.entries(JONG_PAIRS).map(([pair, jong]) => [jong, [...pair]]));
const JUNG_PAIRS = { "ㅗㅏ": "ㅘ", "ㅗㅐ": "ㅙ", "ㅗㅣ": "ㅚ", "ㅜㅓ": "ㅝ", "ㅜㅔ": "ㅞ", "ㅜㅣ": "ㅟ", "ㅡㅣ": "ㅢ" };
const JUNG_SPLIT = Object.fromEntries(Object.entries(JUNG_PAIRS).map(([pair, jung]) => [jung, [...pair]]));

export function isSyllable(ch) {
  const code = ch ? ch.charCodeAt(0) : 0;
  return code >= SYLLABLE_FIRST && code <= SYLLABLE_LAST;
}

/** A compatibility jamo consonant (ㄱ..ㅎ), as a 두벌식 keyboard types it. */
export function isConsonant(ch) {
  return Boolean(ch) && ch.length === 1 && ch >= "ㄱ" && ch <= "ㅎ";
}

export function isVowel(ch) {
  return Boolean(ch) && ch.length === 1 && ch >= "ㅏ" && ch <= "ㅣ";
}

export function split(ch) {
  const offset = ch.charCodeAt(0) - SYLLABLE_FIRST;
  return { cho: Math.floor(offset / 588), jung: Math.floor((offset % 588) / 28), jong: offset % 28 };
}

export function join(cho, jung, jong = 0) {
  return String.fromCharCode(SYLLABLE_FIRST + (cho * 21 + jung) * 28 + jong);
}

/** The initial consonant of a syllable; any other character unchanged (one UTF-16 unit for one). */
export function initialOf(ch) {
  if (!isSyllable(ch)) return ch;
  return CHO[Math.floor((ch.charCodeAt(0) - SYLLABLE_FIRST) / 588)];
}

/** "로봇 키트" → "ㄹㅂ ㅋㅌ": same length as the input, so positions line up. */
export function initials(text) {
  return text.replace(SYLLABLES, initialOf);
}

/**
 * While a word is typed, its last syllable may be taking the next syllable's initial:
 * "롭" on the way to "로봇". Returns "로ㅂ" (or null), which matches both.
 */
export function looseEnding(text) {
  const last = text[text.length - 1];
  if (!isSyllable(last)) return null;
  const { cho, jung, jong } = split(last);
  if (jong === 0) return null;
  const parts = JONG_SPLIT[JONG[jong]];
  if (parts) return text.slice(0, -1) + join(cho, jung, JONG.indexOf(parts[0])) + parts[1];
  if (!CHO.includes(JONG[jong])) return null;
  return text.slice(0, -1) + join(cho, jung, 0) + JONG[jong];
}

/**
 * Type one jamo at the end of `text`. `composing` says whether the last character is still being
 * built (false after a space, a Latin letter, or text typed on a real keyboard).
 */
export function typeJamo(text, jamo, composing) {
  const last = composing ? text[text.length - 1] : undefined;
  const head = text.slice(0, -1);
  if (isConsonant(jamo)) {
    if (isSyllable(last)) {
      const { cho, jung, jong } = split(last);
      if (jong === 0 && JONG.indexOf(jamo) > 0) return head + join(cho, jung, JONG.indexOf(jamo));
      const pair = jong > 0 && JONG_PAIRS[JONG[jong] + jamo];
      if (pair) return head + join(cho, jung, JONG.indexOf(pair));
    }
    return text + jamo;
  }
  if (isVowel(jamo)) {
    if (isConsonant(last) && CHO.includes(last)) return head + join(CHO.indexOf(last), JUNG.indexOf(jamo));
    if (isSyllable(last)) {
      const { cho, jung, jong } = split(last);
      if (jong === 0) {
        const pair = JUNG_PAIRS[JUNG[jung] + jamo];
        if (pair) return head + join(cho, JUNG.indexOf(pair));
      } else {
        // The final consonant moves on to start the next syllable: 롭 + ㅗ → 로보.
        const parts = JONG_SPLIT[JONG[jong]];
        const [keep, move] = parts ? [JONG.indexOf(parts[0]), parts[1]] : [0, JONG[jong]];
        if (CHO.includes(move)) return head + join(cho, jung, keep) + join(CHO.indexOf(move), JUNG.indexOf(jamo));
      }
    }
  }
  return text + jamo;
}

/** Undo one keystroke of composition: 봇 → 보 → ㅂ → (nothing); otherwise delete a character. */
export function backspace(text, composing) {
  if (!text) return "";
  const last = text[text.length - 1];
  const head = text.slice(0, -1);
  if (composing && isSyllable(last)) {
    const { cho, jung, jong } = split(last);
    if (jong > 0) {
      const parts = JONG_SPLIT[JONG[jong]];
      return head + join(cho, jung, parts ? JONG.indexOf(parts[0]) : 0);
    }
    const vowels = JUNG_SPLIT[JUNG[jung]];
    if (vowels) return head + join(cho, JUNG.indexOf(vowels[0]));
    return head + CHO[cho];
  }
  // A surrogate pair is one character to the visitor.
  const code = text.charCodeAt(text.length - 1);
  return code >= 0xdc00 && code <= 0xdfff ? text.slice(0, -2) : head;
}
