// The hall plan: where is booth A-109? The hub lays the booths out from their codes and the hall's layout
// file (/api/hall-plan); this draws it as SVG with the asked booths marked, the hall and row in words, the
// firms there, and where this kiosk stands. Opened from a product card, the firm directory and a demo
// ticket; "back" returns to where the visitor was. Names from the layout and the catalog are only ever set
// with textContent.
import { korean, t } from "./i18n.js";
import { make } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const BOOTH = /^([A-Z][A-Z0-9]{0,3})-(\d)(\d\d)$/;
const $ = (id) => document.getElementById(id);

function svg(tag, attributes = {}, text) {
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

export class HallPlan {
  /**
   * onShow(): put the plan screen up; onBack(screen): go back to the screen it was opened from;
   * firmsAt(booth): the names of the firms at a booth, in the visitor's language; deviceName: this kiosk's.
   */
  constructor({ onShow, onBack, firmsAt, deviceName }) {
    this.onShow = onShow;
    this.onBack = onBack;
    this.firmsAt = firmsAt;
    this.deviceName = deviceName;
    this.plan = null;
    this.booths = [];
    this.from = "browse";
    this.isOpen = false;
    $("plan-back").addEventListener("click", () => {
      this.isOpen = false;
      this.onBack(this.from);
    });
  }

  /** Read the plan (the service worker keeps it for a reload during an outage). Resolves whether it is known. */
  async load() {
    try {
      const answer = await fetch("/api/hall-plan");
      if (answer.ok) this.plan = (await answer.json()).plan || null;
    } catch (err) {
      // No plan: the kiosk shows booth codes as text, as before there was a plan.
    }
    return this.known;
  }

  get known() {
    return Boolean(this.plan);
  }

  /** Whether the plan can show this booth. */
  has(booth) {
    return Boolean(this.plan && this.plan.booths[booth]);
  }

  /** Show the plan with `booths` marked; `from` is the screen to go back to. */
  open(booths, from) {
    this.booths = booths.filter(Boolean);
    this.from = from;
    this.isOpen = true;
    this.render();
    this.onShow();
    $("plan-back").focus();
  }

  clear() {
    this.booths = [];
    this.isOpen = false;
    $("plan-map").replaceChildren();
  }

  hallOf(code) {
    return this.plan.halls.find((hall) => hall.code === code);
  }

  render() {
    if (!this.plan || !this.isOpen) return;
    const name = (entry) => (korean() ? entry.name : entry.name_en || entry.name);
    const shown = this.booths.filter((booth) => this.has(booth));
    const missing = this.booths.filter((booth) => !this.has(booth));
    $("plan-screen").dataset.booths = this.booths.join(" ");
    $("plan-booth").textContent = this.booths.length
      ? t("plan.booth", { booth: this.booths.join(", ") }) : t("plan.whole");
    $("plan-firms").textContent = this.booths.flatMap((booth) => this.firmsAt(booth))
      .filter((firm, i, all) => all.indexOf(firm) === i).join(" · ");
    $("plan-hall").textContent = shown.map((booth) => {
      const [, hallCode, row] = BOOTH.exec(booth);
      return t("plan.hall_row", { hall: name(this.hallOf(hallCode)), row: Number(row) });
    }).filter((text, i, all) => all.indexOf(text) === i).join(" · ");
    const note = $("plan-note");
    note.hidden = missing.length === 0;
    note.textContent = missing.length ? t("plan.not_on_plan", { booth: missing.join(", ") }) : "";
    this.draw(shown, name);
    this.drawCloseUp(shown[0], name);
    this.renderLegend(name);
  }

  draw(marked, name) {
    const plan = this.plan;
    const map = svg("svg", {
      viewBox: `0 0 ${plan.width} ${plan.height}`, class: "plan-svg", role: "img",
      "aria-label": marked.length ? t("plan.map_marked", { booth: marked.join(", ") }) : t("plan.title"),
    });
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
    for (const place of plan.places) map.append(this.placeMark(place, unit, name));
    for (const booth of marked) map.append(this.boothMark(booth, unit));
    $("plan-map").replaceChildren(map);
  }

  /**
   * The stretch of the hall round the first marked booth, large, every booth with its number: what the
   * visitor will see on the booths' signs when they get there.
   */
  drawCloseUp(booth, name) {
    const box = $("plan-close");
    box.hidden = !booth;
    if (!booth) {
      box.replaceChildren();
      return;
    }
    const [, hallCode, row] = BOOTH.exec(booth);
    const hall = this.hallOf(hallCode);
    const [bx, , bw] = this.plan.booths[booth];
    const span = Math.min(hall.width, this.plan.width / 3);
    const x0 = Math.min(Math.max(bx + bw / 2 - span / 2, hall.x), hall.x + hall.width - span);
    const unit = span / 40;
    const top = hall.y - unit * 3;
    const map = svg("svg", {
      viewBox: `${fixed(x0)} ${fixed(top)} ${fixed(span)} ${fixed(hall.height + unit * 3.5)}`, class: "plan-svg plan-close-svg",
      role: "img", "aria-label": t("plan.close_up", { booth, hall: name(hall), row: Number(row) }),
    });
    map.append(svg("rect", { x: hall.x, y: hall.y, width: hall.width, height: hall.height, rx: unit * 0.6,
      class: "plan-hall-box plan-hall-marked" }));
    map.append(svg("text", { x: x0 + unit, y: hall.y - unit * 0.9, "font-size": unit * 1.4,
      class: "plan-hall-name" }, name(hall)));
    const prefix = `${hallCode}-`;
    for (const [code, [x, y, w, h]] of Object.entries(this.plan.booths)) {
      if (!code.startsWith(prefix) || x + w < x0 || x > x0 + span) continue;
      const marked = code === booth;
      map.append(svg("rect", { x, y, width: w * 0.9, height: h, class: marked ? "plan-mark-booth" : "plan-close-booth" }));
      map.append(svg("text", { x: x + (w * 0.9) / 2, y: y + h / 2 + unit * 0.28, "font-size": unit * 0.78,
        "text-anchor": "middle", class: marked ? "plan-mark-label" : "plan-close-number" }, code.slice(prefix.length)));
    }
    box.replaceChildren(map);
  }

  boothMark(booth, unit) {
    const [x, y, w, h] = this.plan.booths[booth];
    const mark = svg("g", { class: "plan-mark", "data-booth": booth });
    const cx = x + (w * 0.9) / 2;
    mark.append(svg("circle", { cx, cy: y + h / 2, r: unit * 3.2, class: "plan-mark-halo" }));
    mark.append(svg("rect", { x, y, width: w * 0.9, height: h, class: "plan-mark-booth" }));
    // The label above the booth, or below it when the booth is at the top of the plan.
    const above = y > unit * 9;
    const labelY = above ? y - unit * 4.4 : y + h + unit * 1.6;
    const width = unit * (2.2 + booth.length * 1.75);
    const left = Math.min(Math.max(cx - width / 2, 0), this.plan.width - width);
    mark.append(svg("path", {
      d: above ? `M${cx} ${y - unit * 0.3}L${cx - unit} ${labelY + unit * 3.6}H${cx + unit}Z`
        : `M${cx} ${y + h + unit * 0.3}L${cx - unit} ${labelY}H${cx + unit}Z`, class: "plan-mark-label-box" }));
    mark.append(svg("rect", { x: left, y: labelY, width, height: unit * 3.6, rx: unit * 0.8,
      class: "plan-mark-label-box" }));
    mark.append(svg("text", { x: left + width / 2, y: labelY + unit * 2.7, "font-size": unit * 2.8,
      class: "plan-mark-label", "text-anchor": "middle" }, booth));
    return mark;
  }

  placeMark(place, unit, name) {
    const here = place.kind === "kiosk" && place.device === this.deviceName();
    const group = svg("g", { class: `plan-place plan-${place.kind}${here ? " plan-here" : ""}`,
      "data-kind": place.kind });
    const label = here ? t("plan.you_are_here") : name(place);
    if (place.width > 0 && place.height > 0) {
      group.append(svg("rect", { x: place.x, y: place.y, width: place.width, height: place.height,
        rx: unit * 0.6, class: "plan-place-box" }));
      group.append(svg("text", { x: place.x + place.width / 2, y: place.y + place.height / 2 + unit * 0.9,
        "font-size": unit * 2.4, "text-anchor": "middle", class: "plan-place-name" }, label));
      return group;
    }
    group.append(svg("circle", { cx: place.x, cy: place.y, r: unit * (here ? 1.6 : 1.1), class: "plan-place-dot" }));
    // A point's name beside it, on whichever side has room.
    const right = place.x < this.plan.width * 0.75;
    group.append(svg("text", {
      x: place.x + (right ? unit * 2 : -unit * 2), y: Math.min(place.y + unit * 0.9, this.plan.height - unit * 0.3),
      "font-size": unit * (here ? 2.6 : 2.2), "text-anchor": right ? "start" : "end", class: "plan-place-name",
    }, label));
    return group;
  }

  renderLegend(name) {
    const kinds = [...new Set(this.plan.places.map((place) => place.kind))];
    const items = [];
    if (this.booths.some((booth) => this.has(booth))) {
      const item = make("li", "plan-legend-marked");
      item.append(pinIcon(), make("span", "", t("plan.legend_marked")));
      items.push(item);
    }
    for (const kind of kinds) {
      const places = this.plan.places.filter((place) => place.kind === kind);
      const item = make("li", `plan-legend-${kind}`);
      item.dataset.kind = kind;
      item.append(make("span", "plan-legend-swatch"), make("span", "", t(`plan.kind.${kind}`)));
      if (kind !== "kiosk") item.append(make("span", "plan-legend-names", places.map(name).join(", ")));
      items.push(item);
    }
    $("plan-legend").replaceChildren(...items);
  }
}
