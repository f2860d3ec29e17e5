// Visitors' phones: the orders and demo bookings heard since this screen opened, a visitor's phone marked as
// such beside the kiosks' own, and the recent visitor sessions (anonymous: an id, no name or number), each
// with a revoke that drops the phone at once, releases its open orders and keeps its tickets.
import { named, t, tCount, when } from "./i18n.js";
import { LazyPanel } from "./panel.js";
import { PanelStatus } from "./status.js";
import { h } from "./util.js";

const $ = (id) => document.getElementById(id);
const FEED_MAX = 40;
const COLUMNS = ["visitors.col.visitor", "visitors.col.started", "visitors.col.last_seen",
  "visitors.col.orders", "visitors.col.tickets", "visitors.col.state", ""];
const HOLD_ENDS = { "hold.consumed": "paid", "hold.expired": "expired", "hold.released": "released" };

/** The mark a hold or ticket made on a visitor's own phone carries wherever it is listed. */
export function phoneBadge() {
  return h("span", { class: "tag phone", data: { made: "phone" }, text: t("visitors.badge") });
}

export class VisitorsPanel extends LazyPanel {
  constructor(app) {
    super(1000);
    this.app = app;
    this.status = new PanelStatus($("visitors-status"));
    this.data = null;
    this.feed = []; // newest first: {kind: "order" | "booking", id, label, device, visitor, at, state}
    $("visitors-refresh").addEventListener("click", () => this.load());
    $("visitors-table").tBodies[0].addEventListener("click", (event) => {
      const button = event.target.closest("button[data-revoke]");
      if (button) this.revoke(button.dataset.revoke);
    });
  }

  async load() {
    this.dirty = false;
    // A booking names its demo from the program the Demos panel reads; read it now if that panel has not.
    if (!this.app.demos.demos) this.app.demos.load().then(() => this.renderFeed());
    if (!this.data) this.status.loading("visitors.what");
    try {
      this.data = await this.app.link.command("visitors", { limit: 100 });
      const n = this.data.visitors.length;
      this.status.note(n ? "visitors.count" : "visitors.none", { n });
      this.render();
    } catch (err) {
      this.dirty = true;
      this.status.failed("visitors.what", err, () => this.load());
    }
  }

  /** hold.* and ticket.* events: the feed, marked by who made each, and the sessions' counts. */
  heard(event) {
    const data = event.data || {};
    if (event.type === "hold.created") {
      this.remember({ kind: "order", id: data.hold_id, code: data.code, lines: data.lines || [],
        device: data.device, visitor: Boolean(data.visitor), at: event.at, state: "waiting" });
    } else if (event.type === "ticket.booked") {
      this.remember({ kind: "booking", id: data.ticket_id, slot: data.slot_id, party: data.party,
        device: data.device, visitor: Boolean(data.visitor), at: event.at, state: "booked" });
    } else {
      const id = event.type.startsWith("hold.") ? data.hold_id : data.ticket_id;
      const entry = this.feed.find((item) => item.id === id);
      if (entry) entry.state = HOLD_ENDS[event.type] || "cancelled";
    }
    this.renderFeed();
    if (data.visitor || event.type !== "hold.created") this.changed();
  }

  remember(entry) {
    this.feed = [entry, ...this.feed.filter((item) => item.id !== entry.id)].slice(0, FEED_MAX);
  }

  render() {
    this.renderFeed();
    if (!this.data) return;
    const table = $("visitors-table");
    table.tHead.rows[0].replaceChildren(...COLUMNS.map((key, i) => h("th", { scope: "col",
      class: i === 3 || i === 4 ? "num" : "", text: key ? t(key) : "" })));
    const rows = this.data.visitors.map((v) => {
      const state = v.revoked_at ? "revoked" : "active";
      return h("tr", { class: `visitor ${state}`, data: { visitor: v.visitor, state } },
        h("th", { scope: "row" }, h("code", { text: v.visitor })),
        h("td", { text: when(v.created_at) }),
        h("td", { text: v.last_seen ? when(v.last_seen) : "—" }),
        h("td", { class: "num", data: { field: "orders" }, text: tCount("visitors.orders_n", v.open_orders) }),
        h("td", { class: "num", data: { field: "tickets" }, text: tCount("visitors.tickets_n", v.tickets) }),
        h("td", {}, t(`visitors.state_${state}`),
          v.revoked_at ? h("span", { class: "l2", text: when(v.revoked_at) }) : null),
        h("td", {}, v.revoked_at ? null : h("button", { type: "button", class: "btn small danger",
          data: { revoke: v.visitor }, text: t("visitors.revoke") })));
    });
    table.tBodies[0].replaceChildren(...(rows.length ? rows : [h("tr", {},
      h("td", { colspan: COLUMNS.length, class: "muted", text: t("visitors.none") }))]));
  }

  renderFeed() {
    const list = $("visitor-feed");
    if (!this.feed.length) {
      list.replaceChildren(h("li", { class: "muted", text: t("visitors.feed_none") }));
      return;
    }
    list.replaceChildren(...this.feed.map((item) => h("li", { class: `feed ${item.kind}`,
      data: { id: item.id, made: item.visitor ? "phone" : "screen", state: item.state } },
    h("span", { class: "feed-time", text: when(item.at) }),
    h("strong", { text: item.kind === "order" ? t("visitors.feed_order", { code: item.code })
      : t("visitors.feed_booking", { ticket: item.id }) }),
    h("span", { class: "feed-what", text: this.describe(item) }),
    item.visitor ? phoneBadge() : null,
    h("span", { class: "muted small", text: item.visitor ? item.device : t("visitors.from_screen", { device: item.device }) }),
    h("span", { class: `feed-state ${item.state}`, text: t(`visitors.feed_state.${item.state}`) }))));
  }

  describe(item) {
    if (item.kind === "booking") {
      const slot = this.app.demos?.slots?.get(item.slot);
      const demo = slot && this.app.demos.demos?.get(slot.demo_id);
      return [demo ? named(demo) : item.slot, tCount("visitors.party_n", item.party)].join(" · ");
    }
    const units = item.lines.reduce((sum, line) => sum + line.qty, 0);
    const first = item.lines[0];
    return [first ? named(first) : "", tCount("visitors.units_n", units)].filter(Boolean).join(" · ");
  }

  async revoke(visitor) {
    const found = this.data?.visitors.find((v) => v.visitor === visitor);
    const counts = { orders: tCount("visitors.orders_n", found?.open_orders || 0),
      tickets: tCount("visitors.tickets_n", found?.tickets || 0) };
    const ok = await this.app.confirm(t("visitors.revoke_title", { visitor }), t("visitors.revoke_body", counts),
      t("visitors.revoke"));
    if (!ok) return;
    try {
      await this.app.command("visitor_revoke", { visitor });
      this.app.toast(t("visitors.revoked", { visitor, ...counts }), "ok");
      this.load();
    } catch (err) {
      this.app.toast(t("visitors.revoke_failed", { visitor, error: this.app.errorText(err) }), "bad");
    }
  }

  relabel() {
    this.status.render();
    this.render();
  }
}
