// The hall plan on the phone: the booth asked for marked on the whole hall, and the stretch round it large,
// drawn by common/plan.js from /api/hall-plan (kept by the service worker, so it shows with no connection).
import { BOOTH, closeUp, hallOf, planMap } from "/common/plan.js";
import { named, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

export class PlanView {
  /** firmsAt(booth): the firms at a booth, in the visitor's language. */
  constructor({ firmsAt }) {
    this.firmsAt = firmsAt;
    this.plan = undefined; // undefined: not read yet; null: the hall has none
    this.booth = "";
    $("plan-back").addEventListener("click", () => history.back());
  }

  async load() {
    if (this.plan !== undefined) return;
    try {
      const answer = await fetch("/api/hall-plan");
      if (answer.ok) this.plan = (await answer.json()).plan || null;
    } catch (err) {
      // Not read: said on the view; asked again when it is opened again.
    }
  }

  async open(booth) {
    this.booth = BOOTH.test(booth) ? booth : "";
    $("plan-back").hidden = !this.booth;
    this.render();
    await this.load();
    this.render();
  }

  render() {
    const plan = this.plan;
    const booth = plan && plan.booths[this.booth] ? this.booth : "";
    $("plan-view").dataset.booth = booth;
    $("plan-booth").textContent = this.booth ? t("plan.booth", { booth: this.booth }) : t("plan.whole");
    $("plan-firms").textContent = this.booth ? this.firmsAt(this.booth).join(" · ") : "";
    if (!plan) {
      $("plan-note").textContent = t(plan === null ? "plan.none" : "plan.loading");
      $("plan-map").replaceChildren();
      $("plan-close").replaceChildren();
      return;
    }
    $("plan-note").textContent = this.booth && !booth ? t("plan.not_on_plan", { booth: this.booth }) : "";
    const name = (entry) => named(entry);
    const marked = booth ? [booth] : [];
    const label = booth ? t("plan.map_marked", { booth }) : t("plan.title");
    $("plan-map").replaceChildren(planMap(plan, marked, { name, label }));
    if (booth) {
      const [, hall, row] = BOOTH.exec(booth);
      const closeLabel = t("plan.close_up", { booth, hall: name(hallOf(plan, hall)), row: Number(row) });
      $("plan-close").replaceChildren(closeUp(plan, booth, { name, label: closeLabel }));
    } else {
      $("plan-close").replaceChildren();
    }
  }
}
