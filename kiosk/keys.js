// Keypad use: a kiosk's tactile keypad sends arrow keys, Enter and Escape, nothing else. Up and Down go to
// the nearest control above or below (as on a TV remote), Left and Right to the previous or next in reading
// order; from either end they go on round, so no part of a screen holds the visitor in. Enter presses (the
// browser does that for buttons); Escape is "back", which the kiosk decides per screen.

const FOCUSABLE = "button, input, select, textarea, a[href], [tabindex]";

function shown(el) {
  if (el.disabled || el.tabIndex < 0 || el.closest("[inert], [hidden], [aria-hidden='true']")) return false;
  if (el.classList.contains("vgrid")) return false; // the list itself: its cards are the stops
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
}

/** A windowed grid's cells are recycled out of order: their place in the list is aria-posinset. */
function cellOf(el) {
  const cell = el.closest("[aria-posinset]");
  return cell && cell.parentElement && cell.parentElement.classList.contains("vgrid-sizer") ? cell : null;
}

function readingOrder(a, b) {
  const cellA = cellOf(a);
  const cellB = cellOf(b);
  if (cellA && cellB && cellA !== cellB && cellA.parentElement === cellB.parentElement) {
    return Number(cellA.getAttribute("aria-posinset")) - Number(cellB.getAttribute("aria-posinset"));
  }
  return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
}

/** Every control a visitor can reach in `roots`, in reading order. */
export function stops(roots) {
  const found = [];
  for (const root of roots) {
    if (!root) continue;
    if (root.matches(FOCUSABLE) && shown(root)) found.push(root);
    for (const el of root.querySelectorAll(FOCUSABLE)) if (shown(el)) found.push(el);
  }
  return found.sort(readingOrder);
}

/** The control nearest below (down = 1) or above (down = -1) `from`, or null. */
function nearest(list, from, down) {
  const here = from.getBoundingClientRect();
  let best = null;
  let bestScore = Infinity;
  for (const el of list) {
    if (el === from) continue;
    const box = el.getBoundingClientRect();
    const gap = down > 0 ? box.top - here.bottom : here.top - box.bottom;
    if (gap < -4) continue;
    const aside = Math.max(0, box.left - here.right, here.left - box.right);
    const score = Math.max(0, gap) + aside * 2;
    if (score < bestScore) {
      best = el;
      bestScore = score;
    }
  }
  return best;
}

/** Where one arrow key goes from `from` among `list`. */
export function target(list, from, key) {
  if (!list.length) return null;
  const at = list.indexOf(from);
  if (at < 0) return key === "ArrowUp" || key === "ArrowLeft" ? list[list.length - 1] : list[0];
  if (key === "ArrowDown" || key === "ArrowUp") {
    const down = key === "ArrowDown" ? 1 : -1;
    const found = nearest(list, from, down);
    if (found) return found;
  }
  const by = key === "ArrowRight" || key === "ArrowDown" ? 1 : -1;
  return list[(at + by + list.length) % list.length];
}

/** Where a control stands among its group's controls: {pos, total}, or null when it stands alone. */
export function position(el, scope) {
  const cell = cellOf(el);
  if (cell) {
    return { pos: Number(cell.getAttribute("aria-posinset")), total: Number(cell.getAttribute("aria-setsize")) };
  }
  const group = el.closest("[role='group'], [role='tablist'], [role='list'], ul, ol, .slots, .next-list, .kb-row,"
    + " .dialog-actions, .topbar-actions, .order-actions, .access-bar");
  const list = stops([group && scope.contains(group) ? group : scope]);
  const pos = list.indexOf(el) + 1;
  return pos && list.length > 1 ? { pos, total: list.length } : null;
}

export class Keypad {
  /** roots(): the elements a visitor can reach now; back(): what Escape does. The focus says where it went. */
  constructor({ roots, back }) {
    this.roots = roots;
    this.back = back;
    document.addEventListener("keydown", (event) => this.key(event));
  }

  key(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Escape") {
      // An open dialog closes itself on Escape (its own cancel); everything else is the kiosk's "back".
      if (document.querySelector("dialog[open]")) return;
      event.preventDefault();
      this.back();
      return;
    }
    if (!["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].includes(event.key)) return;
    const list = stops(this.roots());
    const next = target(list, document.activeElement, event.key);
    if (!next) return;
    event.preventDefault();
    next.focus();
  }
}
