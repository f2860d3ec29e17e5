// Korean and English for the staff screen. Both files load at start, so switching is instant;
// a key missing in one language falls back to the other, then to the key itself (visible in review).
import { formatWon, loadStrings } from "/common/hall.js";

const BASE = "/staff/i18n";
export const LANGS = ["ko", "en"];
const STORED = "staff.lang";

const state = { lang: "ko", strings: { ko: {}, en: {} } };

export async function loadLanguages() {
  const loaded = await Promise.all(LANGS.map((lang) => loadStrings(BASE, lang)));
  LANGS.forEach((lang, i) => { state.strings[lang] = loaded[i]; });
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
  let text = state.strings[state.lang][key] ?? state.strings.en[key] ?? state.strings.ko[key] ?? key;
  if (vars) text = text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
  return text;
}

export function has(key) {
  return state.strings[state.lang][key] !== undefined || state.strings.en[key] !== undefined;
}

export function locale() {
  return state.lang === "ko" ? "ko-KR" : "en-US";
}

const numberFormats = {};
export function num(n) {
  const loc = locale();
  numberFormats[loc] ||= new Intl.NumberFormat(loc);
  return numberFormats[loc].format(n ?? 0);
}

export function won(n) {
  return formatWon(n ?? 0, state.lang);
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
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
}
