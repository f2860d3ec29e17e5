// Strings in pos/i18n/<lang>.json. Labels follow the chosen language; what the
// till is doing and what went wrong is always said in both (data-both, say()).
import { formatWon } from "/common/hall.js";
import { applyStatic, bilingual, Words } from "/common/i18n.js";

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
