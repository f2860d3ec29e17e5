// Drawing the hall plan (/api/hall-plan) as SVG, for every screen that shows it (the kiosk, a visitor's
// phone): the whole hall with booths marked, and a close-up round one booth with every booth's number. The
// words (names in the reader's language, labels) come from the screen; names from the layout are only ever
// set with textContent.

const SVG = "http://www.w3.org/2000/svg";
/** A booth code: hall, row, booth ("A-109" is hall A, row 1, booth 9). */
export const BOOTH = /^([A-Z][A-Z0-9]{0,3})-(\d)(\d\d)$/;

export function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

const fixed = (n) => Math.round(n * 100) / 100;

/** The little map pin drawn on booth buttons and in the plan's legend (no icon font, no emoji font needed). */
export function pinIcon() {
  const icon = svg("svg", { viewBox: "0 0 24 24", class: "pin-icon", "aria-hidden": "true", focusable: "false" });
  icon.append(svg("path", { d: "M12 22s7-7.2 7-12.5A7 7 0 0 0 5 9.5C5 14.8 12 22 12 22z" }),
    svg("circle", { cx: 12, cy: 9.5, r: 2.6 }));
  return icon;
}

export function hallOf(plan, code) {
  return plan.halls.find((hall) => hall.code === code);
}

/**
 * The whole plan with `marked` booths (each on the plan). name(entry): a hall's or place's name in the
 * reader's language; label: the map's accessible name; here(place): whether a place is where the reader
 * stands, hereLabel its words.
 */
export function planMap(plan, marked, { name, label, here = () => false, hereLabel = "" }) {
  const map = svg("svg", { viewBox: `0 0 ${plan.width} ${plan.height}`, class: "plan-svg", role: "img",
    "aria-label": label });
  map.append(svg("rect", { x: 0, y: 0, width: plan.width, height: plan.height, class: "plan-floor", rx: 1 }));
  const unit = Math.min(plan.width, plan.height) / 100; // type and marks scale with the plan
  const markedHalls = new Set(marked.map((booth) => BOOTH.exec(booth)[1]));
  for (const hall of plan.halls) {
    map.append(svg("rect", {
      x: hall.x, y: hall.y, width: hall.width, height: hall.height, rx: unit * 0.6,
      class: markedHalls.has(hall.code) ? "plan-hall-box plan-hall-marked" : "plan-hall-box",
    }));
    map.append(svg("text", { x: hall.x + unit * 0.6, y: hall.y - unit * 1.1, class: "plan-hall-name",
      "font-size": unit * 2.6 }, name(hall)));
  }
  // Every booth in one path: a thousand booths draw as one element.
  let outline = "";
  for (const [x, y, w, h] of Object.values(plan.booths)) {
    outline += `M${fixed(x)} ${fixed(y)}h${fixed(w * 0.9)}v${fixed(h)}h${fixed(-w * 0.9)}z`;
  }
  map.append(svg("path", { d: outline, class: "plan-booths" }));
  for (const place of plan.places) map.append(placeMark(plan, place, unit, here(place) ? hereLabel : name(place), here(place)));
  for (const booth of marked) map.append(boothMark(plan, booth, unit));
  return map;
}

/**
 * The stretch of the hall round `booth`, large, every booth with its number: what the reader will see on
 * the booths' signs when they get there. name(hall) as above; label: the close-up's accessible name.
 */
export function closeUp(plan, booth, { name, label }) {
  const [, hallCode] = BOOTH.exec(booth);
  const hall = hallOf(plan, hallCode);
  const [bx, , bw] = plan.booths[booth];
  const span = Math.min(hall.width, plan.width / 3);
  const x0 = Math.min(Math.max(bx + bw / 2 - span / 2, hall.x), hall.x + hall.width - span);
  const unit = span / 40;
  const top = hall.y - unit * 3;
  const map = svg("svg", {
    viewBox: `${fixed(x0)} ${fixed(top)} ${fixed(span)} ${fixed(hall.height + unit * 3.5)}`, class: "plan-svg plan-close-svg",
    role: "img", "aria-label": label,
  });
  map.append(svg("rect", { x: hall.x, y: hall.y, width: hall.width, height: hall.height, rx: unit * 0.6,
    class: "plan-hall-box plan-hall-marked" }));
  map.append(svg("text", { x: x0 + unit, y: hall.y - unit * 0.9, "font-size": unit * 1.4,
    class: "plan-hall-name" }, name(hall)));
  const prefix = `${hallCode}-`;
  for (const [code, [x, y, w, h]] of Object.entries(plan.booths)) {
    if (!code.startsWith(prefix) || x + w < x0 || x > x0 + span) continue;
    const marked = code === booth;
    map.append(svg("rect", { x, y, width: w * 0.9, height: h, class: marked ? "plan-mark-booth" : "plan-close-booth" }));
    map.append(svg("text", { x: x + (w * 0.9) / 2, y: y + h / 2 + unit * 0.28, "font-size": unit * 0.78,
      "text-anchor": "middle", class: marked ? "plan-mark-label" : "plan-close-number" }, code.slice(prefix.length)));
  }
  return map;
}

function boothMark(plan, booth, unit) {
  const [x, y, w, h] = plan.booths[booth];
  const mark = svg("g", { class: "plan-mark", "data-booth": booth });
  const cx = x + (w * 0.9) / 2;
  mark.append(svg("circle", { cx, cy: y + h / 2, r: unit * 3.2, class: "plan-mark-halo" }));
  mark.append(svg("rect", { x, y, width: w * 0.9, height: h, class: "plan-mark-booth" }));
  // The label above the booth, or below it when the booth is at the top of the plan.
  const above = y > unit * 9;
  const labelY = above ? y - unit * 4.4 : y + h + unit * 1.6;
  const width = unit * (2.2 + booth.length * 1.75);
  const left = Math.min(Math.max(cx - width / 2, 0), plan.width - width);
  mark.append(svg("path", {
    d: above ? `M${cx} ${y - unit * 0.3}L${cx - unit} ${labelY + unit * 3.6}H${cx + unit}Z`
      : `M${cx} ${y + h + unit * 0.3}L${cx - unit} ${labelY}H${cx + unit}Z`, class: "plan-mark-label-box" }));
  mark.append(svg("rect", { x: left, y: labelY, width, height: unit * 3.6, rx: unit * 0.8,
    class: "plan-mark-label-box" }));
  mark.append(svg("text", { x: left + width / 2, y: labelY + unit * 2.7, "font-size": unit * 2.8,
    class: "plan-mark-label", "text-anchor": "middle" }, booth));
  return mark;
}

function placeMark(plan, place, unit, label, here) {
  const group = svg("g", { class: `plan-place plan-${place.kind}${here ? " plan-here" : ""}`,
    "data-kind": place.kind });
  if (place.width > 0 && place.height > 0) {
    group.append(svg("rect", { x: place.x, y: place.y, width: place.width, height: place.height,
      rx: unit * 0.6, class: "plan-place-box" }));
    group.append(svg("text", { x: place.x + place.width / 2, y: place.y + place.height / 2 + unit * 0.9,
      "font-size": unit * 2.4, "text-anchor": "middle", class: "plan-place-name" }, label));
    return group;
  }
  group.append(svg("circle", { cx: place.x, cy: place.y, r: unit * (here ? 1.6 : 1.1), class: "plan-place-dot" }));
  // A point's name beside it, on whichever side has room.
  const right = place.x < plan.width * 0.75;
  group.append(svg("text", {
    x: place.x + (right ? unit * 2 : -unit * 2), y: Math.min(place.y + unit * 0.9, plan.height - unit * 0.3),
    "font-size": unit * (here ? 2.6 : 2.2), "text-anchor": right ? "start" : "end", class: "plan-place-name",
  }, label));
  return group;
}
