// The kiosk's words: one JSON file per language in kiosk/i18n/ (listed in languages.json), so a language
// is a file. Numbers and prices in the visitor's language.
import { formatWon } from "/common/hall.js";
import { applyStatic, bilingual, formatNumber, Words } from "/common/i18n.js";

const BASE = "/kiosk/i18n";
export const DEFAULT_LANG = "ko";

const words = new Words(BASE, [DEFAULT_LANG]);

export const language = {
  current: DEFAULT_LANG,
  list: [],
  strings: words.strings,
};

/** Every language file, read at start-up (a few kilobytes each). */
export async function loadLanguages() {
  const list = await (await fetch(`${BASE}/languages.json`)).json();
  await words.load(list);
  language.list = list;
}

/** The string `key` in `lang` (English, then Korean, when a file lacks it), with {name} filled from vars. */
export function t(key, vars, lang = language.current) {
  return words.text(lang, key, vars);
}

/** t() for a count, in the plural form the language uses for it ("1 product", "2 products"). */
export function tCount(key, count, vars = {}, lang = language.current) {
  return words.count(lang, key, count, vars);
}

/** A count in Korean and in English, for a value of setBoth's vars: {ko: "상품 1개", en: "1 product"}. */
export function bothCount(key, count) {
  return { ko: words.count("ko", key, count), en: words.count("en", key, count) };
}

export function has(key) {
  return words.has(language.current, key);
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

const wonTexts = new Map();

export function number(n) {
  return formatNumber(n, locale());
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
  bilingual(node, { ko: t(key, vars, "ko"), en: t(key, vars, "en") }, { en: "second-lang" });
}

/** Fill the page's fixed words: data-i18n (text), data-i18n-label, data-i18n-placeholder, data-both. */
export function applyStaticStrings(root = document) {
  document.documentElement.lang = language.current;
  applyStatic(root, (key) => t(key), setBoth);
}
