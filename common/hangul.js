// Hangul for every search box, from es-hangul (web/package.json): 초성 for searching, the composition an
// on-screen 두벌식 keyboard needs, and a query typed on the wrong keyboard layout ("fhqht" → 로봇, "ㄱㅐㅠㅐㅅ" →
// robot). What is left here is only the shape our searches need around the library's functions.
import {
  assemble,
  canBeChoseong,
  combineCharacter,
  convertHangulToQwerty,
  convertQwertyToHangul,
  disassembleCompleteCharacter,
  getChoseong,
  removeLastCharacter,
} from "/vendor/es-hangul.mjs";

const SYLLABLES = /[\uac00-\ud7a3]/g;
const HANGUL = /[\u3131-\u318e\uac00-\ud7a3]/;
const LATIN = /[a-z]/i;

export function isSyllable(ch) {
  return Boolean(ch) && ch >= "\uac00" && ch <= "\ud7a3";
}

/** A compatibility jamo consonant (ㄱ..ㅎ), as a 두벌식 keyboard types it. */
export function isConsonant(ch) {
  return Boolean(ch) && ch.length === 1 && ch >= "ㄱ" && ch <= "ㅎ";
}

// Index building asks for the 초성 of every syllable of the catalog; there are only 11,172 syllables.
const initialCache = new Map();

/** The initial consonant of a syllable; any other character unchanged (one UTF-16 unit for one). */
export function initialOf(ch) {
  if (!isSyllable(ch)) return ch;
  let initial = initialCache.get(ch);
  if (initial === undefined) {
    initial = getChoseong(ch);
    initialCache.set(ch, initial);
  }
  return initial;
}

/** "로봇 키트" → "ㄹㅂ ㅋㅌ": same length as the input, so positions line up (getChoseong drops Latin letters). */
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
  const { choseong, jungseong, jongseong } = disassembleCompleteCharacter(last);
  if (!jongseong) return null;
  // A double final (ㄺ in 닭) gives its second half to the next syllable: 달ㄱ(이).
  const [keep, move] = jongseong.length === 2 ? [jongseong[0], jongseong[1]] : ["", jongseong];
  if (!canBeChoseong(move)) return null;
  return text.slice(0, -1) + combineCharacter(choseong, jungseong, keep) + move;
}

/**
 * Type one jamo at the end of `text`. `composing` says whether the last character is still being
 * built (false after a space, a Latin letter, or text typed on a real keyboard).
 */
export function typeJamo(text, jamo, composing) {
  const last = text[text.length - 1];
  if (!composing || !last || !HANGUL.test(last)) return text + jamo;
  return text.slice(0, -1) + assemble([last, jamo]);
}

/** Undo one keystroke of composition: 봇 → 보 → ㅂ → (nothing); otherwise delete a character. */
export function backspace(text, composing) {
  if (!text) return "";
  const last = text[text.length - 1];
  if (composing && isSyllable(last)) return text.slice(0, -1) + removeLastCharacter(last);
  // A surrogate pair is one character to the visitor.
  const code = text.charCodeAt(text.length - 1);
  return code >= 0xdc00 && code <= 0xdfff ? text.slice(0, -2) : text.slice(0, -1);
}

/**
 * The query as it was meant if it was typed with the keyboard in the other layout, or null: Latin letters
 * only → the Hangul those keys make on a 두벌식 keyboard ("fhqht" → "로봇"); Hangul only → the letters of the
 * same keys ("ㄱㅐㅠㅐㅅ" → "robot"). A query mixing both scripts was typed on purpose.
 */
export function otherLayout(query) {
  const text = String(query || "");
  const latin = LATIN.test(text);
  const hangul = HANGUL.test(text);
  if (latin === hangul) return null;
  const other = latin ? convertQwertyToHangul(text) : convertHangulToQwerty(text).toLowerCase();
  return other && other !== text && (latin ? HANGUL.test(other) : LATIN.test(other)) ? other : null;
}

/**
 * Search as typed, and only when that finds nothing, as typed on the other layout (what Korean search
 * boxes do). Returns { found, query }: the query that found them, so a screen can say what it searched for.
 */
export function searchEitherLayout(query, find) {
  const found = find(query);
  if (found.length) return { found, query };
  const other = otherLayout(query);
  if (!other) return { found, query };
  const retried = find(other);
  return retried.length ? { found: retried, query: other } : { found, query };
}
