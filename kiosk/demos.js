// Demo booking at the kiosk: the demo program with its slots (kept live from slot.changed), a slot and a party
// size, `book` (one booking_id per attempt, kept for a retry after a lost answer), and the ticket: its QR, short
// code, print status (print.* with kind demo_ticket, ref = ticket_id) and cancelling (ticket_cancel).
// Exhibitors' text is only ever set with textContent.
import { newId } from "/common/hall.js";
import { make } from "/common/dom.js";
import { dayOf, dayWord, daysAhead, timeOf, todayText, whenText } from "./days.js";
import { has, korean, number, setBoth, t, tCount } from "./i18n.js";
import { pinIcon } from "/common/plan.js";

// storage_unavailable: the hub's disk takes no writes, so nothing was recorded; like an outage, try again.
const TRANSIENT = new Set(["offline", "timeout", "internal", "storage_unavailable", "writer_unreachable"]);
const NO_TICKET_PRINT_AFTER_MS = 6000;
const CONFIRM_MS = 5000;
const NEXT_SESSIONS = 6; // the soonest sessions across demos, above the program
const $ = (id) => document.getElementById(id);

const startOf = (slot) => Date.parse(slot.starts_at);
const byStart = (a, b) => startOf(a) - startOf(b) || a.slot_id.localeCompare(b.slot_id);

export class DemoBooking {
  /**
   * link: the HallLink; maxParty(): the hall's largest party; onShow(): put the demo screen up;
   * firmName(firm): a firm's name in the visitor's language; onBoothPlan(booth): what shows the booth on
   * the hall plan, or null when the plan cannot.
   */
  constructor({ link, maxParty, onShow, firmName, onBoothPlan }) {
    this.link = link;
    this.firmName = firmName;
    this.onBoothPlan = onBoothPlan;
    this.maxParty = maxParty;
    this.onShow = onShow;
    this.demos = []; // as the `demos` answer, slots patched in place
    this.slots = new Map(); // slot_id → slot (with .seq, the last change applied)
    this.prints = new Map(); // ticket_id → latest print event data
    this.visit = 0;
    this.printTimer = 0;
    this.confirmTimer = 0;
    this.reset();
    $("demo-book").addEventListener("click", () => this.book());
    $("demo-minus").addEventListener("click", () => this.setParty(this.party - 1));
    $("demo-plus").addEventListener("click", () => this.setParty(this.party + 1));
    $("demo-change").addEventListener("click", () => this.showList());
    $("demo-cancel").addEventListener("click", () => this.cancel());
  }

  reset() {
    this.view = "list";
    this.slotId = null;
    this.party = 1;
    this.attempt = null; // {id, key, uncertain}
    this.booking = false;
    this.ticket = null; // with .status: active | cancelled
    this.error = null; // {key, vars}
    this.confirming = false;
    this.cancelling = false;
    this.cancelError = null;
  }

  /** Forget the visitor: the next one sees the program and nothing of this one's slot, party or ticket. */
  clear() {
    this.visit += 1;
    clearTimeout(this.printTimer);
    clearTimeout(this.confirmTimer);
    this.reset();
    $("demo-qr").removeAttribute("src");
    $("demo-ticket").removeAttribute("data-qr");
    $("demo-ticket").removeAttribute("data-ticket-id");
    for (const id of ["demo-code", "demo-ticket-facts", "demo-print", "demo-ticket-note", "demo-status",
      "demo-cancel-status", "demo-chosen"]) {
      $(id).textContent = "";
    }
    $("demo-list").scrollTop = 0;
    this.render();
  }

  async load() {
    try {
      const answer = await this.link.command("demos");
      this.demos = answer.demos || [];
      this.slots = new Map();
      for (const demo of this.demos) {
        for (const slot of demo.slots) {
          slot.seq = answer.seq || 0;
          this.slots.set(slot.slot_id, slot);
        }
      }
      this.render();
    } catch (err) {
      // The next reconnect asks again.
    }
    this.renderEntries();
  }

  renderEntries() {
    for (const id of ["attract-demos", "demos-btn"]) $(id).hidden = !this.known;
  }

  get known() {
    return this.demos.length > 0;
  }

  onSlotChanged(event) {
    const { data, seq } = event.detail;
    const slot = this.slots.get(data.slot_id);
    if (!slot || (slot.seq || 0) >= seq) return;
    Object.assign(slot, data, { seq });
    // A session may be on screen twice: among the next sessions and under its demo.
    for (const button of document.querySelectorAll(`#demo-list-view [data-slot-id="${CSS.escape(slot.slot_id)}"]`)) {
      this.updateSlotButton(button, slot);
    }
    if (this.slotId === slot.slot_id && this.view === "party") this.renderParty();
  }

  onPrint(event) {
    const { type, data } = event.detail;
    if (data.kind !== "demo_ticket") return;
    this.prints.delete(data.ref);
    this.prints.set(data.ref, { state: type.slice("print.".length), ...data });
    if (this.prints.size > 200) this.prints.delete(this.prints.keys().next().value);
    if (this.ticket && this.ticket.ticket_id === data.ref) this.renderPrint();
  }

  // ------------------------------------------------------------ views

  open() {
    if (this.view !== "ticket") this.showList();
    this.onShow();
  }

  showList() {
    this.view = "list";
    this.slotId = null;
    this.error = null;
    this.attempt = null;
    this.render();
  }

  choose(slotId) {
    const slot = this.slots.get(slotId);
    if (!slot || !this.bookable(slot)) return;
    this.view = "party";
    this.slotId = slotId;
    this.party = 1;
    this.error = null;
    this.attempt = null;
    this.render();
    $("demo-book").focus();
  }

  bookable(slot) {
    return slot.available > 0 && !this.finished(slot);
  }

  finished(slot) {
    const ends = Date.parse(slot.ends_at);
    return Number.isFinite(ends) && ends <= Date.now();
  }

  /** The firms whose demos are at a booth, as the program names them. */
  firmsAt(booth) {
    return this.demos.filter((demo) => demo.booth === booth).map((demo) => demo.firm);
  }

  demoOf(slot) {
    return this.demos.find((demo) => demo.demo_id === slot.demo_id);
  }

  render() {
    $("demos-screen").dataset.view = this.view;
    $("demo-list-view").hidden = this.view !== "list";
    $("demo-party-view").hidden = this.view !== "party";
    $("demo-ticket-view").hidden = this.view !== "ticket";
    if (this.view === "list") this.renderList();
    if (this.view === "party") this.renderParty();
    if (this.view === "ticket") this.renderTicket();
  }

  demoName(demo) {
    return korean() ? demo.name : demo.name_en || demo.name;
  }

  /** The soonest sessions of every demo first, then each demo (the soonest first) with its sessions by day. */
  renderList() {
    const today = todayText();
    const coming = [...this.slots.values()].filter((slot) => !this.finished(slot)).sort(byStart);
    const next = coming.slice(0, NEXT_SESSIONS);
    $("demo-next-list").replaceChildren(...next.map((slot) => this.nextButton(slot)));
    $("demo-next").hidden = next.length === 0;
    $("demo-all-title").hidden = !this.known;
    const firstComing = new Map();
    for (const slot of coming) if (!firstComing.has(slot.demo_id)) firstComing.set(slot.demo_id, startOf(slot));
    const soonest = (demo) => firstComing.get(demo.demo_id) ?? Infinity;
    const demos = [...this.demos].sort((a, b) => soonest(a) - soonest(b) || a.demo_id.localeCompare(b.demo_id));
    $("demo-list").replaceChildren(...demos.map((demo) => {
      const box = make("section", "demo");
      box.dataset.demoId = demo.demo_id;
      box.append(make("h3", "demo-name", this.demoName(demo)));
      box.append(make("p", "demo-meta", t("demos.firm_booth", { firm: this.firmName(demo.firm), booth: demo.booth })));
      const description = korean() ? demo.description : demo.description_en || demo.description;
      if (description) box.append(make("p", "demo-desc", description));
      // One grid of equal buttons; a day is a heading across it, so a later day's times do not grow wider.
      const slots = make("div", "slots");
      slots.setAttribute("role", "group");
      slots.setAttribute("aria-label", this.demoName(demo));
      let day = null;
      for (const slot of [...demo.slots].sort(byStart)) {
        if (dayOf(slot.starts_at) < today) continue; // earlier days are history
        if (dayOf(slot.starts_at) !== day) {
          day = dayOf(slot.starts_at);
          const heading = make("p", "slot-day", dayWord(slot.starts_at));
          heading.dataset.day = day;
          slots.append(heading);
        }
        const button = this.slotButton(slot, "btn slot", whenText(slot.starts_at));
        button.querySelector(".slot-time").textContent = timeOf(slot.starts_at);
        slots.append(button);
      }
      if (!slots.children.length) slots.append(make("p", "demo-meta", t("demos.no_slots")));
      box.append(slots);
      return box;
    }));
    $("demo-empty").hidden = this.known;
  }

  slotButton(slot, className, when) {
    const button = make("button", className);
    button.type = "button";
    button.dataset.slotId = slot.slot_id;
    button.dataset.when = when;
    button.addEventListener("click", () => this.choose(slot.slot_id));
    button.append(make("span", "slot-time", when), make("span", "slot-left"));
    this.updateSlotButton(button, slot);
    return button;
  }

  /** One of the next sessions: when, which demo, where, and the places left. */
  nextButton(slot) {
    const demo = this.demoOf(slot) || {};
    const button = this.slotButton(slot, "btn next-slot", whenText(slot.starts_at));
    button.dataset.demo = this.demoName(demo);
    const about = make("span", "next-about");
    about.append(make("span", "next-name", this.demoName(demo)),
      make("span", "next-meta", t("demos.firm_booth", { firm: this.firmName(demo.firm || ""), booth: demo.booth || "" })));
    button.querySelector(".slot-time").after(about);
    this.updateSlotButton(button, slot);
    return button;
  }

  updateSlotButton(button, slot) {
    const finished = this.finished(slot);
    const full = !finished && slot.available <= 0;
    const left = finished ? t("demos.finished") : full ? t("demos.full")
      : tCount("demos.places_left", slot.available);
    button.querySelector(".slot-left").textContent = left;
    button.disabled = finished || full;
    button.dataset.state = finished ? "finished" : full ? "full" : "open";
    button.dataset.available = String(slot.available);
    const { when, demo } = button.dataset;
    button.setAttribute("aria-label", demo ? t("demos.next_label", { when, demo, left })
      : t("demos.slot_label", { when, left }));
  }

  renderParty() {
    const slot = this.slots.get(this.slotId);
    if (!slot) return;
    const demo = this.demoOf(slot) || {};
    const most = Math.max(1, Math.min(this.maxParty(), slot.available));
    if (!this.booking && this.party > most) this.party = most;
    $("demo-chosen").textContent = t("demos.chosen", {
      demo: this.demoName(demo), booth: demo.booth || "", time: whenText(slot.starts_at),
      left: tCount("demos.places_left", Math.max(0, slot.available)),
    });
    $("demo-party").textContent = number(this.party);
    $("demo-minus").disabled = this.booking || this.party <= 1;
    $("demo-plus").disabled = this.booking || this.party >= most;
    const online = this.link.state === "online";
    const book = $("demo-book");
    book.disabled = this.booking || !online || !this.bookable(slot);
    book.textContent = this.booking ? t("demos.booking")
      : this.attempt && this.attempt.uncertain ? tCount("demos.book_again", this.party) : tCount("demos.book", this.party);
    const status = $("demo-status");
    let error = this.error;
    if (!error && !online) error = { key: "demos.error.offline" };
    if (!error && !this.bookable(slot)) {
      error = { key: this.finished(slot) ? "demos.error.slot_closed" : "demos.error.slot_full_none" };
    }
    const said = error && (error.text ? error.text() : t(error.key, error.vars));
    status.textContent = error ? said : this.booking ? t("demos.booking") : "";
    status.classList.toggle("error", Boolean(error));
    status.dataset.error = error ? error.key.split(".").pop() : "";
  }

  setParty(n) {
    const slot = this.slots.get(this.slotId);
    if (!slot || this.booking) return;
    const most = Math.max(1, Math.min(this.maxParty(), slot.available));
    this.party = Math.max(1, Math.min(most, n));
    this.error = null;
    this.renderParty();
  }

  linkChanged() {
    if (this.view === "party") this.renderParty();
  }

  async book() {
    const slot = this.slots.get(this.slotId);
    if (!slot || this.booking) return;
    const key = `${slot.slot_id}|${this.party}`;
    // A retry after a lost answer keeps the same booking_id: the hub books once.
    if (!this.attempt || this.attempt.key !== key) this.attempt = { id: newId(), key, uncertain: false };
    this.booking = true;
    this.error = null;
    this.renderParty();
    const visit = this.visit;
    try {
      const answer = await this.link.command(
        "book", { booking_id: this.attempt.id, slot_id: slot.slot_id, party: this.party }, { timeout: 10000 });
      if (visit !== this.visit) return; // that visitor has gone
      this.booking = false;
      this.attempt = null;
      this.showTicket(answer.ticket);
    } catch (err) {
      if (visit !== this.visit) return;
      this.booking = false;
      if (err.code === "slot_full") {
        const available = Number(err.details.available ?? 0);
        // Said when shown, so a language change re-says it.
        this.error = available > 0
          ? { key: "demos.error.slot_full", text: () => tCount("demos.error.slot_full", available) }
          : { key: "demos.error.slot_full_none" };
        this.attempt = null;
      } else if (err.code === "slot_closed") {
        this.error = { key: "demos.error.slot_closed" };
        this.attempt = null;
      } else if (TRANSIENT.has(err.code)) {
        this.attempt.uncertain = true;
        this.error = { key: "demos.error.offline" };
      } else {
        this.error = { key: "demos.error.other", vars: { code: err.code } };
        this.attempt = null;
      }
      this.renderParty();
    }
  }

  showTicket(ticket) {
    this.ticket = { ...ticket, status: "active", shownAt: performance.now() };
    this.view = "ticket";
    this.confirming = false;
    this.cancelError = null;
    this.render();
    clearTimeout(this.printTimer);
    this.printTimer = setTimeout(() => this.renderPrint(), NO_TICKET_PRINT_AFTER_MS + 100);
    $("demo-done").focus();
  }

  renderTicket() {
    const ticket = this.ticket;
    if (!ticket) return;
    const active = ticket.status === "active";
    const box = $("demo-ticket");
    box.dataset.qr = ticket.qr;
    box.dataset.ticketId = ticket.ticket_id;
    box.dataset.status = ticket.status;
    $("demo-ticket-title").textContent = t(active ? "demos.ticket_title" : "demos.ticket_cancelled");
    const qr = $("demo-qr");
    qr.hidden = !active;
    const src = `/api/qr.svg?data=${encodeURIComponent(ticket.qr)}`;
    if (qr.getAttribute("src") !== src) qr.src = src;
    qr.alt = t("demos.qr_alt", { code: ticket.short_code });
    const code = $("demo-code");
    code.textContent = ticket.short_code;
    code.classList.toggle("void", !active);
    const demo = ticket.demo || {};
    const facts = $("demo-ticket-facts");
    facts.replaceChildren(
      make("li", "", korean() ? demo.name : demo.name_en || demo.name),
      make("li", "", t("demos.booth", { booth: demo.booth })),
      make("li", "", daysAhead(ticket.starts_at) === 0
        ? t("demos.time", { from: timeOf(ticket.starts_at), to: timeOf(ticket.ends_at) })
        : t("demos.time_day", { day: dayWord(ticket.starts_at), from: timeOf(ticket.starts_at), to: timeOf(ticket.ends_at) })),
      make("li", "", tCount("demos.party", ticket.party)));
    const note = $("demo-ticket-note");
    if (active) setBoth(note, "demos.show_at_booth");
    else note.textContent = "";
    const where = $("demo-where");
    const showBooth = demo.booth ? this.onBoothPlan(demo.booth) : null;
    where.hidden = !showBooth;
    where.onclick = showBooth;
    const whereText = document.createElement("span");
    whereText.textContent = t("demos.where", { booth: demo.booth || "" });
    where.replaceChildren(pinIcon(), whereText);
    const cancel = $("demo-cancel");
    cancel.hidden = !active;
    cancel.disabled = this.cancelling;
    cancel.textContent = t(this.confirming ? "demos.cancel_confirm" : "demos.cancel");
    cancel.classList.toggle("confirming", this.confirming);
    const status = $("demo-cancel-status");
    status.textContent = this.cancelling ? t("demos.cancelling") : this.cancelError ? t(this.cancelError) : "";
    status.classList.toggle("error", Boolean(this.cancelError));
    this.renderPrint();
  }

  /** The paper ticket: waiting, queued, printed, failed (with why), or none at all. */
  renderPrint() {
    const ticket = this.ticket;
    const node = $("demo-print");
    if (!ticket || this.view !== "ticket") return;
    node.hidden = ticket.status !== "active";
    const job = this.prints.get(ticket.ticket_id);
    let shown;
    let text;
    if (!job) {
      shown = performance.now() - ticket.shownAt > NO_TICKET_PRINT_AFTER_MS ? "none" : "waiting";
      text = t(`demos.print.${shown}`);
    } else if (job.state === "failed") {
      shown = "failed";
      const reason = `print.reason.${job.reason}`;
      text = t("demos.print.failed", { reason: has(reason) ? t(reason) : job.reason });
    } else {
      shown = job.state;
      text = t(`demos.print.${shown}`);
    }
    node.dataset.state = shown;
    node.textContent = text;
    node.className = `order-print print-${shown}`;
  }

  async cancel() {
    const ticket = this.ticket;
    if (!ticket || ticket.status !== "active" || this.cancelling) return;
    if (!this.confirming) {
      // A second touch confirms: a stray tap does not give the places away.
      this.confirming = true;
      this.renderTicket();
      clearTimeout(this.confirmTimer);
      this.confirmTimer = setTimeout(() => {
        this.confirming = false;
        if (this.ticket === ticket) this.renderTicket();
      }, CONFIRM_MS);
      return;
    }
    clearTimeout(this.confirmTimer);
    this.confirming = false;
    this.cancelling = true;
    this.cancelError = null;
    this.renderTicket();
    const visit = this.visit;
    try {
      await this.link.command("ticket_cancel", { ticket_id: ticket.ticket_id });
      if (visit !== this.visit) return;
      ticket.status = "cancelled";
    } catch (err) {
      if (visit !== this.visit) return;
      this.cancelError = TRANSIENT.has(err.code) ? "demos.error.offline" : "demos.cancel_failed";
    }
    this.cancelling = false;
    if (this.ticket === ticket) this.renderTicket();
  }
}
