// Demos: every slot of the chosen day with its booked, checked-in and free places and whether its no-shows
// were released; slot.changed patches a slot's row in place. Below, the check-in conflicts that offline
// scanners reported (the same ticket admitted at two doors). Read-only: booking is the kiosks' job.
import { clockShort, dayOf } from "/common/time.js";
import { lang, named, num, t, when } from "./i18n.js";
import { PanelStatus } from "./status.js";
import { h, setText, throttle } from "./util.js";

const $ = (id) => document.getElementById(id);
const COLUMNS = [["demos.col.time", ""], ["demos.col.demo", ""], ["demos.col.capacity", "num"],
  ["demos.col.booked", "num"], ["demos.col.checked_in", "num"], ["demos.col.available", "num"],
  ["demos.col.released", ""], ["demos.col.fill", ""]];

export class DemosPanel {
  constructor(app) {
    this.app = app;
    this.status = new PanelStatus($("demos-status"));
    this.demos = null; // demo_id → demo
    this.slots = new Map(); // slot_id → slot
    this.rows = new Map(); // slot_id → row element on screen
    this.conflicts = null;
    this.day = null;
    this.visible = false;
    this.dirty = true;
    this.reloadConflicts = throttle(() => this.loadConflicts(), 1000);
    $("demos-refresh").addEventListener("click", () => this.load());
    $("demos-day").addEventListener("change", (event) => {
      this.day = event.target.value;
      this.renderSlots();
    });
  }

  show() {
    this.visible = true;
    if (this.dirty || !this.demos) this.load();
  }

  hide() {
    this.visible = false;
  }

  async load() {
    this.dirty = false;
    if (!this.demos) this.status.loading("demos.what");
    try {
      const answer = await this.app.link.command("demos");
      this.demos = new Map(answer.demos.map((demo) => [demo.demo_id, demo]));
      this.slots = new Map(answer.demos.flatMap((demo) => demo.slots.map((slot) => [slot.slot_id, slot])));
      this.status.note(this.slots.size ? "demos.live" : "demos.none");
      this.render();
    } catch (err) {
      this.dirty = true;
      this.status.failed("demos.what", err, () => this.load());
    }
    await this.loadConflicts();
  }

  async loadConflicts() {
    try {
      this.conflicts = (await this.app.link.command("checkin_conflicts")).conflicts;
      this.renderConflicts();
    } catch (err) {
      $("demo-conflicts").replaceChildren(h("p", { class: "form-status error",
        text: t("status.failed", { what: t("demos.conflicts_what"), error: this.app.errorText(err) }) }));
    }
  }

  /** slot.changed: patch the slot and its row if shown. */
  slotChanged(data) {
    const slot = this.slots.get(data.slot_id);
    if (!slot) {
      this.dirty = true;
      return;
    }
    Object.assign(slot, data);
    const row = this.rows.get(data.slot_id);
    if (row) this.patch(row, slot);
    this.summarize();
  }

  /** demos.loaded, checkin.conflict and friends */
  changed(event) {
    if (event.type === "checkin.conflict") {
      if (this.visible) this.reloadConflicts();
      else this.dirty = true;
      return;
    }
    this.dirty = true;
    if (this.visible) this.load();
  }

  render() {
    const days = [...new Set([...this.slots.values()].map((slot) => slot.starts_at.slice(0, 10)))].sort();
    const today = this.app.today();
    if (!this.day || !days.includes(this.day)) this.day = days.includes(today) ? today : days[0] || today;
    $("demos-day").replaceChildren(...days.map((day) => h("option", { value: day,
      text: day === today ? t("sales.today_is", { day: dayOf(day, lang()) }) : dayOf(day, lang()) })));
    $("demos-day").value = this.day;
    this.renderSlots();
    this.renderConflicts();
  }

  renderSlots() {
    const table = $("demos-table");
    table.tHead.rows[0].replaceChildren(...COLUMNS.map(([key, cls]) => h("th", { scope: "col", class: cls,
      text: t(key) })));
    const slots = [...this.slots.values()].filter((slot) => slot.starts_at.startsWith(this.day))
      .sort((a, b) => a.starts_at.localeCompare(b.starts_at) || a.demo_id.localeCompare(b.demo_id));
    this.rows.clear();
    if (!slots.length) {
      table.tBodies[0].replaceChildren(h("tr", {}, h("td", { colspan: COLUMNS.length, class: "muted",
        text: t("demos.none_day") })));
      this.summarize();
      return;
    }
    table.tBodies[0].replaceChildren(...slots.map((slot) => {
      const demo = this.demos.get(slot.demo_id) || {};
      const cells = {
        booked: h("td", { class: "num", data: { field: "booked" } }),
        checked: h("td", { class: "num", data: { field: "checked_in" } }),
        available: h("td", { class: "num", data: { field: "available" } }),
        released: h("td", { data: { field: "released" } }),
        bar: h("span", { class: "fill-bar" }, h("span", { class: "booked" }), h("span", { class: "in" })),
        capacity: h("td", { class: "num", data: { field: "capacity" } }),
      };
      const row = h("tr", { data: { slot: slot.slot_id } },
        h("td", { class: "mono", text: `${clockShort(slot.starts_at)}–${clockShort(slot.ends_at)}` }),
        h("th", { scope: "row" }, h("span", { text: named(demo) }),
          h("span", { class: "l2", text: `${named(demo, "firm")} · ${demo.booth || ""}` })),
        cells.capacity, cells.booked, cells.checked, cells.available, cells.released, h("td", {}, cells.bar));
      row._cells = cells;
      this.rows.set(slot.slot_id, row);
      this.patch(row, slot);
      return row;
    }));
    this.summarize();
  }

  patch(row, slot) {
    const c = row._cells;
    setText(c.capacity, num(slot.capacity));
    setText(c.booked, num(slot.booked));
    setText(c.checked, num(slot.checked_in));
    setText(c.available, num(slot.available));
    c.available.dataset.value = slot.available;
    setText(c.released, slot.released_at ? t("demos.released_at", { time: clockShort(slot.released_at) }) : "—");
    const now = Date.now();
    const live = Date.parse(slot.starts_at) <= now && now < Date.parse(slot.ends_at);
    const state = live ? "now" : Date.parse(slot.ends_at) <= now ? "past" : slot.available <= 0 ? "full" : "";
    if (row.dataset.state !== state) row.dataset.state = state;
    const [booked, inside] = c.bar.children;
    booked.style.width = `${slot.capacity ? Math.min(100, (100 * slot.booked) / slot.capacity) : 0}%`;
    inside.style.width = `${slot.capacity ? Math.min(100, (100 * slot.checked_in) / slot.capacity) : 0}%`;
    c.bar.title = t("demos.bar", { booked: num(slot.booked), in: num(slot.checked_in), capacity: num(slot.capacity) });
  }

  summarize() {
    const slots = [...this.slots.values()].filter((slot) => slot.starts_at.startsWith(this.day || ""));
    const sum = (field) => slots.reduce((s, slot) => s + (slot[field] || 0), 0);
    $("demos-summary").textContent = slots.length ? t("demos.summary", { slots: num(slots.length),
      capacity: num(sum("capacity")), booked: num(sum("booked")), in: num(sum("checked_in")),
      released: num(slots.filter((slot) => slot.released_at).length) }) : "";
  }

  renderConflicts() {
    const box = $("demo-conflicts");
    if (!this.conflicts) return;
    if (!this.conflicts.length) {
      box.replaceChildren(h("p", { class: "muted", text: t("demos.no_conflicts") }));
      return;
    }
    box.replaceChildren(h("ul", { class: "conflicts" }, ...this.conflicts.map((conflict) => {
      const slot = this.slots.get(conflict.slot_id);
      const demo = slot ? this.demos.get(slot.demo_id) : null;
      return h("li", { class: "conflict", data: { ticket: conflict.ticket_id } },
        h("strong", { text: t("demos.conflict_head", { ticket: conflict.ticket_id, party: num(conflict.party),
          demo: demo ? named(demo) : conflict.slot_id, time: slot ? clockShort(slot.starts_at) : "" }) }),
        h("span", { class: "small", text: t("demos.conflict_doors", {
          first_at: when(conflict.first_at), first_door: conflict.first_door || "?",
          second_at: when(conflict.second_at), second_door: conflict.second_door || "?" }) }));
    })));
  }

  relabel() {
    this.status.render();
    if (this.demos) this.render();
  }
}
