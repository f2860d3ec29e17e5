// Every message on the door is shown in Korean and English together: staff and visitors read either.
// Strings live in scan/i18n/ko.json and en.json; text goes into the page with textContent only.
import { bilingual, Words } from "/common/i18n.js";

const LANGS = ["ko", "en"];
const words = new Words("/scan/i18n", LANGS);

export async function loadAll() {
  await words.load();
}

// vars values may be plain ({party: 3}) or per language ({demo: {ko: "…", en: "…"}}).
export function t(lang, key, vars = {}) {
  return words.text(lang, key, vars);
}

export function has(key) {
  return words.has("en", key);
}

// Fills `el` with <span lang="ko">…</span><span lang="en">…</span>.
export function both(el, key, vars = {}) {
  return bilingual(el, Object.fromEntries(LANGS.map((lang) => [lang, t(lang, key, vars)])));
}

// A count in `lang`, in the plural form the language uses for n ("1 session", "2 sessions"); {n} is n.
export function tCount(lang, key, n, vars = {}) {
  return words.count(lang, key, n, vars);
}

// both() for a count: each language in its own plural form.
export function bothCount(el, key, n, vars = {}) {
  return bilingual(el, Object.fromEntries(LANGS.map((lang) => [lang, tCount(lang, key, n, vars)])));
}

export function make(tag, className, key, vars) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (key) both(el, key, vars);
  return el;
}

// Static labels in index.html: data-both="key"; placeholders and labels say both languages in one line.
export function fillStatic(root = document) {
  for (const el of root.querySelectorAll("[data-both]")) both(el, el.dataset.both);
  for (const el of root.querySelectorAll("[data-placeholder]")) {
    // An example that reads the same in both languages is said once: a field on a phone has little room.
    const [ko, en] = LANGS.map((lang) => t(lang, el.dataset.placeholder));
    el.placeholder = ko === en ? ko : `${ko} · ${en}`;
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
