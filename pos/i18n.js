// Strings in pos/i18n/<lang>.json. Labels follow the chosen language; what the
// till is doing and what went wrong is always said in both (data-both, say()).
import { formatWon } from "/common/hall.js";
import { applyStatic, bilingual, formatNumber, Words } from "/common/i18n.js";

const LANGS = ["ko", "en"];
const words = new Words("/pos/i18n", LANGS);
let lang = localStorage.getItem("pos.lang") === "en" ? "en" : "ko";

export async function loadAll() {
  await words.load();
}

export function currentLang() {
  return lang;
}

export function setLang(next) {
  lang = LANGS.includes(next) ? next : "ko";
  localStorage.setItem("pos.lang", lang);
  document.documentElement.lang = lang;
  applyTo(document);
}

export function tIn(language, key, params) {
  return words.text(language, key, params);
}

export function t(key, params) {
  return tIn(lang, key, params);
}

export function has(key) {
  return words.has("ko", key);
}

/** The words for a count: the language's plural form for n ("1 product", "2 products"), n with separators. */
export function tCountIn(language, key, n, params) {
  return words.count(language, key, n, params);
}

export function tCount(key, n, params) {
  return tCountIn(lang, key, n, params);
}

/** {ko, en} for a count. */
export function bothCount(key, n, params) {
  return { ko: tCountIn("ko", key, n, params), en: tCountIn("en", key, n, params) };
}

/** A number with the language's thousands separators: 2200 -> "2,200". */
export function num(n, language = lang) {
  return formatNumber(n, language);
}

/** {ko, en} for a key. */
export function both(key, params) {
  return { ko: tIn("ko", key, params), en: tIn("en", key, params) };
}

/** {ko, en} where the parameters differ by language (names, amounts). */
export function bothBy(key, paramsFor) {
  return { ko: tIn("ko", key, paramsFor("ko")), en: tIn("en", key, paramsFor("en")) };
}

export function won(amount, language = lang) {
  return formatWon(amount, language);
}

/** Fill an element with a message in both languages: the Korean line, then the English one. */
export function say(el, message, kind = "") {
  if (!message) {
    el.replaceChildren();
    el.hidden = true;
    return;
  }
  el.hidden = false;
  fillBoth(el, message);
  el.dataset.kind = kind;
}

function fillBoth(el, message) {
  bilingual(el, { ko: message.ko, en: message.en }, { ko: "say-ko", en: "say-en" });
}

export function applyTo(root) {
  applyStatic(root, (key) => t(key), (el, key) => fillBoth(el, both(key)));
}
