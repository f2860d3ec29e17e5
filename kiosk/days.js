// Days in the visitor's words: a session today shows its time alone; a later one says 내일/tomorrow, its
// weekday within the week, else its date. The hub writes times as the hall's local ISO text
// (2026-12-05T14:10+09:00), so the calendar day is read from the text, never moved by this machine's zone.
import { locale, t } from "./i18n.js";

const DAY_MS = 86400000;

export const dayOf = (iso) => (iso || "").slice(0, 10);
export const timeOf = (iso) => (iso || "").slice(11, 16);

/** Today on this kiosk's calendar as YYYY-MM-DD. */
export function todayText(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function utcDay(day) {
  const [year, month, date] = day.split("-").map(Number);
  return Date.UTC(year, month - 1, date);
}

/** Whole calendar days from today to the day of `iso`: 0 today, 1 tomorrow, negative for the past. */
export function daysAhead(iso) {
  return Math.round((utcDay(dayOf(iso)) - utcDay(todayText())) / DAY_MS);
}

// A formatter is dear to make and cheap to use: one per language and kind.
const formats = new Map();

function format(kind) {
  const key = `${locale()}|${kind}`;
  let made = formats.get(key);
  if (!made) {
    const options = kind === "weekday" ? { weekday: "long" } : { month: "long", day: "numeric", weekday: "short" };
    made = new Intl.DateTimeFormat(locale(), { ...options, timeZone: "UTC" });
    formats.set(key, made);
  }
  return made;
}

/** 오늘, 내일, 토요일 or 12월 14일 (월); Today, Tomorrow, Saturday or Mon, December 14. */
export function dayWord(iso) {
  const ahead = daysAhead(iso);
  if (ahead === 0) return t("days.today");
  if (ahead === 1) return t("days.tomorrow");
  return format(ahead > 1 && ahead < 7 ? "weekday" : "date").format(new Date(utcDay(dayOf(iso))));
}

/** The start of a session: "14:10" today, "내일 14:10" on a later day. */
export function whenText(iso) {
  return daysAhead(iso) === 0 ? timeOf(iso) : `${dayWord(iso)} ${timeOf(iso)}`;
}
