// The kiosk's words: one JSON file per language in kiosk/i18n/ (listed in languages.json), so a language
// is a file. Numbers and prices in the visitor's language.
import { formatWon, loadStrings } from "/common/hall.js";

const BASE = "/kiosk/i18n";
export const DEFAULT_LANG = "ko";

export const language = {
  current: DEFAULT_LANG,
  list: [],
  strings: {},
};

/** Every language file, read at start-up (a few kilobytes each). */
export async function loadLanguages() {
  const list = await (await fetch(`${BASE}/languages.json`)).json();
  const files = await Promise.all(list.map((code) => loadStrings(BASE, code)));
  language.list = list;
  list.forEach((code, i) => { language.strings[code] = files[i]; });
}

/** The string `key` in `lang` (English, then Korean, when a file lacks it), with {name} filled from vars. */
export function t(key, vars, lang = language.current) {
  const { strings } = language;
  let text = strings[lang]?.[key] ?? strings.en?.[key] ?? strings[DEFAULT_LANG]?.[key] ?? key;
  if (vars) text = text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
  return text;
}

/** t() for a count: the key's "_one" form when there is one and the count is 1 (English "1 product"). */
export function tCount(key, count, vars = {}) {
  const one = count === 1 && has(`${key}_one`);
  return t(one ? `${key}_one` : key, { n: number(count), ...vars });
}

export function has(key) {
  return language.strings[language.current]?.[key] !== undefined || language.strings.en?.[key] !== undefined;
}

export function locale() {
  return t("language.locale");
}

export function nextLanguage() {
  const { list, current } = language;
  return list[(list.indexOf(current) + 1) % list.length];
}

/** Korean and English product text: Korean in Korean, English (or Korean, when missing) otherwise. */
export function korean() {
  return language.current === "ko";
}

// Making an Intl.NumberFormat costs far more than using one: keep one per locale, and each price once.
const numberFormats = new Map();
const wonTexts = new Map();

export function number(n) {
  const tag = locale();
  let format = numberFormats.get(tag);
  if (!format) {
    format = new Intl.NumberFormat(tag);
    numberFormats.set(tag, format);
  }
  return format.format(n);
}

export function won(amount) {
  const lang = korean() ? "ko" : "en";
  const key = `${lang}:${amount}`;
  let text = wonTexts.get(key);
  if (text === undefined) {
    text = formatWon(amount, lang);
    if (wonTexts.size < 20000) wonTexts.set(key, text);
  }
  return text;
}

/** Korean first, English below: for screens seen before a visitor picks a language. */
export function setBoth(node, key, vars) {
  const ko = document.createElement("span");
  ko.lang = "ko";
  ko.textContent = t(key, vars, "ko");
  const en = document.createElement("span");
  en.lang = "en";
  en.className = "second-lang";
  en.textContent = t(key, vars, "en");
  node.replaceChildren(ko, en);
}

/** Fill the page's fixed words: data-i18n (text), data-i18n-label, data-i18n-placeholder, data-both. */
export function applyStaticStrings(root = document) {
  document.documentElement.lang = language.current;
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  }
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const node of root.querySelectorAll("[data-both]")) setBoth(node, node.dataset.both);
}
