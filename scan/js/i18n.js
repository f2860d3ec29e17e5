// Every message on the door is shown in Korean and English together: staff and visitors read either.
// Strings live in scan/i18n/ko.json and en.json; text goes into the page with textContent only.
import { loadStrings } from "/common/hall.js";

const LANGS = ["ko", "en"];
const strings = { ko: {}, en: {} };

export async function loadAll(base = "/scan/i18n") {
  const [ko, en] = await Promise.all(LANGS.map((lang) => loadStrings(base, lang)));
  strings.ko = ko;
  strings.en = en;
}

// vars values may be plain ({party: 3}) or per language ({demo: {ko: "…", en: "…"}}).
export function t(lang, key, vars = {}) {
  const template = strings[lang][key] ?? strings.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in vars)) return whole;
    const value = vars[name];
    return String(value !== null && typeof value === "object" ? value[lang] ?? value.en ?? "" : value ?? "");
  });
}

export function has(key) {
  return key in strings.en;
}

function span(lang, text) {
  const el = document.createElement("span");
  el.lang = lang;
  el.textContent = text;
  return el;
}

// Fills `el` with <span lang="ko">…</span><span lang="en">…</span>.
export function both(el, key, vars = {}) {
  el.replaceChildren(...LANGS.map((lang) => span(lang, t(lang, key, vars))));
  return el;
}

export function make(tag, className, key, vars) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (key) both(el, key, vars);
  return el;
}

// Static labels in index.html: data-both="key".
export function fillStatic(root = document) {
  for (const el of root.querySelectorAll("[data-both]")) both(el, el.dataset.both);
  for (const el of root.querySelectorAll("[data-placeholder]")) {
    el.placeholder = t("ko", el.dataset.placeholder) + " · " + t("en", el.dataset.placeholder);
  }
  for (const el of root.querySelectorAll("[data-label]")) {
    el.setAttribute("aria-label", t("ko", el.dataset.label) + " · " + t("en", el.dataset.label));
  }
}

const hm = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };

// "14:05", or "11/25 14:05" when not today: the door runs three days.
export function clock(iso, { seconds = false } = {}) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const options = seconds ? { ...hm, second: "2-digit" } : hm;
  const time = date.toLocaleTimeString("ko-KR", options);
  const today = new Date();
  if (date.toDateString() === today.toDateString()) return time;
  return `${date.getMonth() + 1}/${date.getDate()} ${time}`;
}
