// Strings in pos/i18n/<lang>.json. Labels follow the chosen language; what the
// till is doing and what went wrong is always said in both (data-both, say()).
import { loadStrings, formatWon } from "/common/hall.js";

const LANGS = ["ko", "en"];
const strings = { ko: {}, en: {} };
let lang = localStorage.getItem("pos.lang") === "en" ? "en" : "ko";

export async function loadAll() {
  const [ko, en] = await Promise.all(LANGS.map((l) => loadStrings("/pos/i18n", l)));
  strings.ko = ko;
  strings.en = en;
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

function fill(text, params) {
  return text.replace(/\{(\w+)\}/g, (_, name) => (params && params[name] !== undefined ? String(params[name]) : `{${name}}`));
}

export function tIn(language, key, params) {
  const text = strings[language][key] ?? strings.ko[key] ?? key;
  return fill(text, params);
}

export function t(key, params) {
  return tIn(lang, key, params);
}

export function has(key) {
  return key in strings.ko;
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
  el.replaceChildren();
  const ko = document.createElement("span");
  ko.lang = "ko";
  ko.className = "say-ko";
  ko.textContent = message.ko;
  const en = document.createElement("span");
  en.lang = "en";
  en.className = "say-en";
  en.textContent = message.en;
  el.append(ko, en);
}

export function applyTo(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll("[data-both]")) {
    fillBoth(el, both(el.dataset.both));
  }
}
