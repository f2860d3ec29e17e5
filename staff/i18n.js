// Korean and English for the staff screen. Both files load at start, so switching is instant;
// a key missing in one language falls back to the other, then to the key itself (visible in review).
import { formatWon } from "/common/hall.js";
import { clockShort, dayClock } from "/common/time.js";
import { applyStatic as applyWords, formatNumber, localeOf, Words } from "/common/i18n.js";

export const LANGS = ["ko", "en"];
const STORED = "staff.lang";

const words = new Words("/staff/i18n", LANGS);
const state = { lang: "ko" };

export async function loadLanguages() {
  await words.load();
  const wanted = localStorage.getItem(STORED) || new URLSearchParams(location.search).get("lang");
  state.lang = LANGS.includes(wanted) ? wanted : "ko";
  document.documentElement.lang = state.lang;
}

export function lang() {
  return state.lang;
}

export function setLang(next) {
  if (!LANGS.includes(next)) return;
  state.lang = next;
  localStorage.setItem(STORED, next);
  document.documentElement.lang = next;
}

export function t(key, vars) {
  return words.text(state.lang, key, vars);
}

/** The words for a count: the language's plural form for n ("1 event", "2 events"), n with separators. */
export function tCount(key, n, vars) {
  return words.count(state.lang, key, n, vars);
}

export function has(key) {
  return words.has(state.lang, key);
}

export function locale() {
  return localeOf(state.lang);
}

export function num(n) {
  return formatNumber(n, state.lang);
}

export function won(n) {
  return formatWon(n ?? 0, state.lang);
}

/** "11월 25일 14:05" / "25 Nov 14:05" from the hub's ISO time, one way on every panel (common/time.js). */
export function when(iso, options) {
  return dayClock(iso, state.lang, options);
}

/** A product's or firm's name in the screen's language (Korean name when English is missing). */
export function named(item, field = "name") {
  return state.lang === "en" ? item[`${field}_en`] || item[field] : item[field];
}

export function otherNamed(item, field = "name") {
  return state.lang === "en" ? item[field] : item[`${field}_en`] || "";
}

/** Where errorText finds a product's name for a sku the hub names (the stock panel's Map, once it is loaded). */
let productsOf = () => null;

export function useProducts(lookup) {
  productsOf = lookup;
}

/**
 * An error for a person, in the screen's language: the code's own words with the hub's details filled in
 * (counts with separators, times on the hall's clock, products by name). The hub's English message is only
 * the last resort, for a code this screen has no words for.
 */
export function errorText(err, prefix = "error") {
  const code = err?.code || "internal";
  const vars = detailsOf(code, err?.details || {});
  if (has(`${prefix}.${code}`)) return t(`${prefix}.${code}`, vars);
  if (has(`error.${code}`)) return t(`error.${code}`, vars);
  return t("error.other", { code, message: err?.message || "" });
}

const COUNTS = ["held", "available", "refundable", "limit", "total", "paid", "requested"];

/** The hub's details of a refusal as words: every placeholder a message may use gets a value. */
export function detailsOf(code, details) {
  const vars = { field: "", hold_code: "", ...details };
  for (const key of COUNTS) if (typeof details[key] === "number") vars[key] = num(details[key]);
  if (code === "payment_short" || code === "approval_required") {
    for (const key of ["total", "paid", "limit"]) if (typeof details[key] === "number") vars[key] = won(details[key]);
  }
  vars.until = details.locked_until ? clockShort(details.locked_until) : "";
  if (Array.isArray(details.lines)) {
    const products = productsOf();
    vars.lines = details.lines.map((line) => {
      const product = products?.get(line.sku);
      return t("error.short_line", { name: product ? `${named(product)} (${line.sku})` : line.sku,
        requested: num(line.requested), available: num(line.available) });
    }).join(", ");
  }
  return vars;
}

/** Fill [data-i18n] text, [data-i18n-placeholder], [data-i18n-label] (aria-label), [data-i18n-title]. */
export function applyStatic(root = document) {
  applyWords(root, (key) => t(key));
}
