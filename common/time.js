// Times, written one way on every screen: "14:05:09", "14:05", "11월 25일 14:05" / "25 Nov 14:05".
//
// The hub writes the hall's own clock with its offset ("2026-11-25T14:05:09.123+09:00"). A screen shows that
// clock as written and never converts it to the browser's zone: a till whose clock or zone is wrong must not
// move a receipt's time. Locale formatters are not used for the hub's times because ko-KR writes a 24-hour
// clock as "14시 5분 9초" and a 12-hour one as "오후 2:05:09"; the hall reads "14:05:09" in both languages.

const PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/;
const MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function parts(iso) {
  const match = typeof iso === "string" ? PARTS.exec(iso) : null;
  if (!match) return null;
  const [, year, month, day, hour, minute, second = "00"] = match;
  return { year, month: Number(month), day: Number(day), hour, minute, second };
}

/** "14:05:09" from the hub's ISO time; "" when there is none. */
export function clock(iso) {
  const p = parts(iso);
  return p ? `${p.hour}:${p.minute}:${p.second}` : "";
}

/** "14:05" from the hub's ISO time. */
export function clockShort(iso) {
  const p = parts(iso);
  return p ? `${p.hour}:${p.minute}` : "";
}

/** "11월 25일" / "25 Nov" from an ISO time or an ISO day ("2026-11-25"). */
export function dayOf(iso, lang) {
  const p = parts(iso) || parts(`${iso}T00:00`);
  if (!p) return "";
  return lang === "en" ? `${p.day} ${MONTHS_EN[p.month - 1]}` : `${p.month}월 ${p.day}일`;
}

/** "11월 25일 14:05" / "25 Nov 14:05"; with seconds: "11월 25일 14:05:09". */
export function dayClock(iso, lang, { seconds = false } = {}) {
  if (!parts(iso)) return "";
  return `${dayOf(iso, lang)} ${seconds ? clock(iso) : clockShort(iso)}`;
}

/** This device's own clock as "14:05:09", for "as of" notes about when the screen last read something. */
export function nowClock(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
