// The demo program on the phone: the coming sessions (read by HTTP, /api/visit/program, with live places from
// the watch for the sessions on screen), booking one (a booking_id per attempt, kept and sent again with the
// same id until the hub answers), and the ticket: its QR kept on the phone so it shows at the door with no
// connection. Exhibitors' text is only ever set with textContent.
import { newId } from "/common/hall.js";
import { make } from "/common/dom.js";
import { pinIcon } from "/common/plan.js";
import { clockShort, dayOf } from "/common/time.js";
import { errorText, language, named, t, tCount } from "./i18n.js";
import { keep, qrAddress, showQr } from "./keep.js";
import { TRANSIENT } from "./orders.js";

const SHOWN = 40; // the soonest sessions, as many as one watch may follow
const $ = (id) => document.getElementById(id);
const startOf = (slot) => Date.parse(slot.starts_at);

/** The sessions of the program, each with its demo, in time order, from either shape the hub may give. */
export function sessionsOf(program) {
  const demos = program.demos || [];
  const byId = new Map(demos.map((demo) => [demo.demo_id, demo]));
  const slots = program.slots || demos.flatMap((demo) => (demo.slots || []).map((slot) => ({ ...slot, demo_id: demo.demo_id })));
  return slots.map((slot) => ({ ...slot, demo: byId.get(slot.demo_id) || slot.demo || {} }))
    .sort((a, b) => startOf(a) - startOf(b) || a.slot_id.localeCompare(b.slot_id));
}

export function placesText(live) {
  if (!live) return { text: t("demos.places_checking"), state: "unknown" };
  if (live.available <= 0) return { text: t("demos.full"), state: "sold-out" };
  return { text: tCount("demos.places_left", live.available), state: live.available <= 3 ? "few" : "ok" };
}

const when = (iso) => `${dayOf(iso, language.current)} ${clockShort(iso)}`;

export class Demos extends EventTarget {
  /** link, watcher; go(path); maxParty(): the hall's largest party. */
  constructor({ link, watcher, go, maxParty }) {
    super();
    this.link = link;
    this.watcher = watcher;
    this.go = go;
    this.maxParty = maxParty;
    this.sessions = [];
    this.loaded = false;
    this.tickets = keep.tickets();
    this.slotId = null; // the book view's
    this.party = 1;
    this.ticketId = null; // the ticket view's
    this.view = "";
    this.sending = false;
    $("party-minus").addEventListener("click", () => this.setParty(this.party - 1));
    $("party-plus").addEventListener("click", () => this.setParty(this.party + 1));
    $("book-btn").addEventListener("click", () => this.book());
    $("book-back").addEventListener("click", () => history.back());
    $("ticket-back").addEventListener("click", () => history.back());
    $("ticket-cancel").addEventListener("click", () => this.cancel());
    $("ticket-booth").addEventListener("click", () => this.go(`/plan/${this.ticket()?.demo?.booth || ""}`));
    link.addEventListener("ready", () => this.resend());
  }

  async load() {
    const answer = await fetch("/api/visit/program");
    if (!answer.ok) throw new Error(`program ${answer.status}`);
    this.sessions = sessionsOf(await answer.json());
    this.loaded = true;
    this.render();
  }

  slot(slotId) {
    return this.sessions.find((slot) => slot.slot_id === slotId);
  }

  upcoming() {
    const now = Date.now();
    return this.sessions.filter((slot) => Date.parse(slot.ends_at || slot.starts_at) > now).slice(0, SHOWN);
  }

  /** The sessions this view shows, for the watch. */
  watched(view) {
    if (view === "demos") return this.upcoming().map((slot) => slot.slot_id);
    if (view === "book" && this.slotId) return [this.slotId];
    if (view === "ticket") return this.ticket() ? [this.ticket().slot_id] : [];
    return [];
  }

  render() {
    if (this.view === "demos") this.renderList();
    if (this.view === "book") this.renderBook();
  }

  onSlots() {
    this.render();
  }

  renderList() {
    const shown = this.upcoming();
    this.watcher.refresh(); // the program may have come after the view opened: watch what it shows now
    $("demos-note").textContent = !this.loaded ? t("demos.loading") : shown.length ? "" : t("demos.none");
    $("demo-list").replaceChildren(...shown.map((slot) => {
      const item = make("li", "slot");
      item.dataset.slotId = slot.slot_id;
      const button = make("button", "slot-open");
      button.type = "button";
      const live = placesText(this.watcher.slots.get(slot.slot_id));
      const left = make("span", "slot-left stock", live.text);
      left.dataset.state = live.state;
      button.append(make("span", "slot-time", when(slot.starts_at)), make("span", "slot-name", named(slot.demo)),
        make("span", "slot-where", `${named(slot.demo, "firm")} · ${slot.demo.booth || ""}`), left);
      button.addEventListener("click", () => this.go(`/book/${encodeURIComponent(slot.slot_id)}`));
      item.append(button);
      return item;
    }));
  }

  openList() {
    this.view = "demos";
    this.renderList();
  }

  openBook(slotId) {
    if (this.slotId !== slotId) this.party = 1;
    this.view = "book";
    this.slotId = slotId;
    $("book-error").textContent = "";
    this.renderBook();
  }

  setParty(party) {
    this.party = Math.max(1, Math.min(party, this.maxParty()));
    this.renderBook();
  }

  renderBook() {
    const slot = this.slot(this.slotId);
    $("book-title").textContent = slot ? named(slot.demo) : t(this.loaded ? "demos.unknown" : "demos.loading");
    $("book-when").textContent = slot ? `${when(slot.starts_at)} · ${named(slot.demo, "firm")} · ${slot.demo.booth || ""}` : "";
    const live = this.watcher.slots.get(this.slotId);
    const places = placesText(live);
    $("book-left").textContent = places.text;
    $("book-left").dataset.state = places.state;
    $("party-value").textContent = tCount("demos.party", this.party);
    $("party-minus").disabled = this.party <= 1;
    const most = Math.min(this.maxParty(), live ? Math.max(1, live.available) : this.maxParty());
    $("party-plus").disabled = this.party >= most;
    const pending = keep.pending().book;
    const button = $("book-btn");
    button.disabled = !slot || this.sending || places.state === "sold-out";
    button.textContent = pending ? t("demos.send_again") : tCount("demos.book_for", this.party);
  }

  /** Book the chosen session (or send again the booking not yet acknowledged, with its booking_id). */
  async book() {
    let pending = keep.pending().book;
    if (!pending || pending.slot_id !== this.slotId) {
      pending = { booking_id: newId(), slot_id: this.slotId, party: this.party };
      keep.setPending({ ...keep.pending(), book: pending });
    }
    this.sending = true;
    $("book-error").textContent = "";
    $("book-btn").textContent = t("demos.sending");
    try {
      const { ticket } = await this.link.command("book", pending, { timeout: 10000 });
      this.settle();
      this.keepTicket({ ...ticket, status: "booked" });
      qrAddress(ticket.qr).catch(() => {}); // kept now, so the ticket shows at the door with no connection
      this.go(`/ticket/${ticket.ticket_id}`);
    } catch (err) {
      if (TRANSIENT.has(err.code)) {
        $("book-error").textContent = t("demos.not_sent");
      } else {
        this.settle();
        $("book-error").textContent = err.code === "slot_full"
          ? tCount("error.slot_full_left", err.details.available ?? 0) : errorText(err);
      }
    } finally {
      this.sending = false;
      if (this.view === "book") this.renderBook();
    }
  }

  settle() {
    const pending = keep.pending();
    delete pending.book;
    keep.setPending(pending);
  }

  resend() {
    const pending = keep.pending().book;
    if (pending && !this.sending) {
      this.slotId = pending.slot_id;
      this.book();
    }
  }

  keepTicket(ticket) {
    const others = this.tickets.filter((kept) => kept.ticket_id !== ticket.ticket_id);
    this.tickets = [ticket, ...others].slice(0, 20);
    keep.setTickets(this.tickets);
    this.dispatchEvent(new CustomEvent("tickets"));
  }

  ticket(id = this.ticketId) {
    return this.tickets.find((ticket) => ticket.ticket_id === id);
  }

  /** The hub's word on the phone's tickets (the `mine` read). */
  merge(tickets) {
    for (const ticket of tickets) this.keepTicket({ ...this.ticket(ticket.ticket_id), ...ticket });
    if (this.view === "ticket") this.renderTicket();
  }

  onMine({ type, data }) {
    const status = { "ticket.cancelled": "cancelled", "checkin.recorded": "checked_in" }[type];
    const ticket = status && this.ticket(data.ticket_id);
    if (!ticket) return;
    this.keepTicket({ ...ticket, status });
    if (this.view === "ticket") this.renderTicket();
  }

  openTicket(id) {
    this.view = "ticket";
    this.ticketId = id;
    $("ticket-error").textContent = "";
    this.renderTicket();
  }

  renderTicket() {
    const ticket = this.ticket();
    const view = $("ticket-view");
    if (!ticket) {
      view.dataset.status = "";
      $("ticket-title").textContent = t("ticket.unknown");
      return;
    }
    const active = ticket.status === "booked";
    view.dataset.status = ticket.status;
    view.dataset.ticket = ticket.ticket_id;
    $("ticket-title").textContent = named(ticket.demo);
    $("ticket-status").textContent = t(`ticket.status_${ticket.status}`);
    const qr = $("ticket-qr");
    qr.hidden = !active;
    qr.alt = t("ticket.qr_alt", { code: ticket.ticket_id });
    if (active && qr.dataset.ticket !== ticket.ticket_id) {
      qr.dataset.ticket = ticket.ticket_id;
      qrAddress(ticket.qr).then((src) => { showQr(qr, src); }).catch(() => {
        qr.dataset.ticket = "";
        $("ticket-error").textContent = t("ticket.qr_missing");
      });
    }
    $("ticket-code").textContent = ticket.ticket_id;
    $("ticket-facts").replaceChildren(
      make("li", "", when(ticket.starts_at)),
      make("li", "", named(ticket.demo, "firm")),
      make("li", "", tCount("demos.party", ticket.party)));
    const booth = $("ticket-booth");
    booth.replaceChildren(pinIcon(), make("span", "", t("find.booth", { booth: ticket.demo.booth })));
    $("ticket-cancel").hidden = !active;
  }

  async cancel() {
    const ticket = this.ticket();
    if (!ticket || ticket.status !== "booked") return;
    $("ticket-cancel").disabled = true;
    $("ticket-error").textContent = "";
    try {
      await this.link.command("ticket_cancel", { ticket_id: ticket.ticket_id });
      this.keepTicket({ ...ticket, status: "cancelled" });
    } catch (err) {
      $("ticket-error").textContent = TRANSIENT.has(err.code) ? t("ticket.cancel_not_sent") : errorText(err);
    } finally {
      $("ticket-cancel").disabled = false;
    }
    this.renderTicket();
  }
}
