// Turning the hub's refusals and the till's own troubles into words, in both languages.
import { clockShort, dayClock } from "/common/time.js";
import { both, bothCount, currentLang, has, num, tIn } from "./i18n.js";

/** "14:25" from the hub's ISO time (common/time.js writes every time on the staff screen and the till). */
export const timeOf = clockShort;

/** "11월 25일 14:25" / "25 Nov 14:25". */
export function dateTimeOf(iso, language = currentLang()) {
  return dayClock(iso, language);
}

/** Now, as ISO 8601 with this device's UTC offset: "2026-11-25T14:03:12.345+09:00". */
export function isoNow(date = new Date()) {
  const pad = (n, width = 2) => String(Math.abs(n)).padStart(width, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:` +
    `${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

function productName(catalog, sku, lang) {
  const product = catalog && catalog.bySku.get(sku);
  if (!product) return sku;
  return lang === "en" ? product.name_en || product.name : product.name;
}

/** {ko, en} for a CommandError (or any error with .code, .message, .details). */
export function errorText(err, catalog = null) {
  const code = (err && err.code) || "internal";
  const details = (err && err.details) || {};
  const params = { message: (err && err.message) || "", field: details.field || "" };
  if (code === "wrong_pin" && typeof details.attempts_left === "number") {
    return bothCount("err.wrong_pin", details.attempts_left);
  }
  if (code === "locked") params.until = timeOf(details.locked_until) || "?";
  const number = (n) => (typeof n === "number" ? new Intl.NumberFormat("ko-KR").format(n) : "?");
  if (code === "payment_short") {
    params.total = number(details.total);
    params.paid = number(details.paid);
  }
  if (code === "approval_required") params.limit = number(details.limit);
  if (code === "over_refund") params.left = num(details.refundable);
  if (code === "hold_not_found" || code === "hold_used" || code === "hold_expired") params.code = details.hold_code || "";
  const key = `err.${code}`;
  if (!has(key)) {
    return { ko: tIn("ko", "err.other", params), en: tIn("en", "err.other", params) };
  }
  const message = both(key, params);
  if (code === "out_of_stock" && Array.isArray(details.lines)) {
    const list = (lang) => details.lines.map((l) => tIn(lang, "err.short_line",
      { name: productName(catalog, l.sku, lang), requested: num(l.requested, lang), available: num(l.available, lang) })).join(", ");
    message.ko += " " + list("ko");
    message.en += " " + list("en");
  }
  if (code === "invalid" && params.message) message.en += ` (${params.message})`;
  return message;
}
