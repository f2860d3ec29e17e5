// The visitor's words: visit/i18n/ko.json and en.json through common/i18n.js. A phone shows one language at a
// time (Korean mode shows no English), chosen by the phone's own language until the visitor picks one.
import { formatWon } from "/common/hall.js";
import { applyStatic, formatNumber, Words } from "/common/i18n.js";

const BASE = "/visit/i18n";
const LANGS = ["ko", "en"];
const CHOSEN = "visit.lang";
const words = new Words(BASE, LANGS);

export const language = { current: "ko" };

function firstLanguage() {
  const chosen = localStorage.getItem(CHOSEN);
  if (LANGS.includes(chosen)) return chosen;
  return (navigator.language || "ko").toLowerCase().startsWith("ko") ? "ko" : "en";
}

export async function loadLanguages() {
  await words.load(LANGS);
  language.current = firstLanguage();
}

export function setLanguage(lang) {
  language.current = lang;
  localStorage.setItem(CHOSEN, lang);
}

export const otherLanguage = () => (language.current === "ko" ? "en" : "ko");
export const korean = () => language.current === "ko";

export function t(key, vars) {
  return words.text(language.current, key, vars);
}

export function has(key) {
  return words.has(language.current, key);
}

/** t() for a count, in the plural form the language uses for it. */
export function tCount(key, n, vars = {}) {
  return words.count(language.current, key, n, vars);
}

export const number = (n) => formatNumber(n, language.current);
export const won = (amount) => formatWon(amount, language.current);

/** A product's, firm's or demo's own words in the visitor's language (Korean when there is no English). */
export const named = (entry, field = "name") => (korean() ? entry[field] : entry[`${field}_en`] || entry[field]);

/**
 * What went wrong, from a CommandError or an HTTP error body: every code the hub may answer has its words;
 * limit_reached says which limit and how many are allowed, slow_down how long to wait.
 */
export function errorText(err) {
  const code = err?.code || "internal";
  const details = err?.details || err || {};
  if (code === "limit_reached") {
    const key = `error.limit.${details.limit}`;
    return has(key) ? tCount(key, details.allowed ?? 0) : t("error.limit_reached");
  }
  if (code === "slow_down") return tCount("error.slow_down", Math.max(1, Math.ceil(details.retry_after || 1)));
  return has(`error.${code}`) ? t(`error.${code}`) : t("error.other", { code });
}

export function applyStaticStrings(root = document) {
  document.documentElement.lang = language.current;
  applyStatic(root, (key) => t(key));
}
