// The hall plan: where is booth A-109? The hub lays the booths out from their codes and the hall's layout
// file (/api/hall-plan); this draws it as SVG with the asked booths marked, the hall and row in words, the
// firms there, and where this kiosk stands. Opened from a product card, the firm directory and a demo
// ticket; "back" returns to where the visitor was. Names from the layout and the catalog are only ever set
// with textContent.
import { korean, t } from "./i18n.js";
import { make } from "/common/dom.js";
import { BOOTH, closeUp, hallOf, pinIcon, planMap } from "/common/plan.js";

const $ = (id) => document.getElementById(id);

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
    return hallOf(this.plan, code);
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
    const label = marked.length ? t("plan.map_marked", { booth: marked.join(", ") }) : t("plan.title");
    const here = (place) => place.kind === "kiosk" && place.device === this.deviceName();
    $("plan-map").replaceChildren(planMap(this.plan, marked, { name, label, here, hereLabel: t("plan.you_are_here") }));
  }

  /** The stretch of the hall round the first marked booth (common/plan.js). */
  drawCloseUp(booth, name) {
    const box = $("plan-close");
    box.hidden = !booth;
    if (!booth) {
      box.replaceChildren();
      return;
    }
    const [, hallCode, row] = BOOTH.exec(booth);
    const label = t("plan.close_up", { booth, hall: name(this.hallOf(hallCode)), row: Number(row) });
    box.replaceChildren(closeUp(this.plan, booth, { name, label }));
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
