// Korean and English for the staff screen. Both files load at start, so switching is instant;
// a key missing in one language falls back to the other, then to the key itself (visible in review).
import { formatWon } from "/common/hall.js";
import { dayClock } from "/common/time.js";
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

/** An error for a person: the code's own message if we have one, else the hub's words and the code. */
export function errorText(err, prefix = "error") {
  const code = err?.code || "internal";
  if (has(`${prefix}.${code}`)) return t(`${prefix}.${code}`, err.details || {});
  if (has(`error.${code}`)) return t(`error.${code}`, err.details || {});
  return t("error.other", { code, message: err?.message || "" });
}

/** Fill [data-i18n] text, [data-i18n-placeholder], [data-i18n-label] (aria-label), [data-i18n-title]. */
export function applyStatic(root = document) {
  applyWords(root, (key) => t(key));
}
