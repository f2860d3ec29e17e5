// Alerts: low stock, sold out, a printer in trouble, a terminal gone silent, an offline sale the hub
// refused, the hub's disk running low or refusing writes, a visitor calling from a kiosk. New ones arrive live; each can be acknowledged; the
// count stays in the top bar on every panel. Refused offline sales are listed apart with a note field, since
// staff must settle them (replay_resolve). An alert the hub could not write yet (its disk takes no writes) is
// shown from the hub's memory, and told once: its written copy, when it comes, does not sound again.
import { clockShort } from "/common/time.js";
import { errorText, has, named, num, t, tCount, when, won } from "./i18n.js";
import { reasonName } from "./printers.js";
import { PanelStatus } from "./status.js";
import { h, throttle } from "./util.js";

const $ = (id) => document.getElementById(id);

export class AlertsPanel {
  constructor(app) {
    this.app = app;
    this.status = new PanelStatus($("alerts-status"));
    this.open = new Map(); // alert_id → alert, the unacknowledged ones (the badge)
    this.unwritten = []; // alerts the hub keeps in memory until its disk takes writes (no id, no ack yet)
    this.fromMemory = new Set(); // kind:subject of those already told, so their written copy is not told again
    this.all = null; // the newest 300, when "all" is shown
    this.failures = null;
    this.showAll = false;
    this.visible = false;
    this.loaded = false;
    this.discrepancies = null;
    this.reloadFailures = throttle(() => this.loadFailures(), 500);
    this.reloadDiscrepancies = throttle(() => this.loadDiscrepancies(), 500);
    $("alerts-refresh").addEventListener("click", () => this.load());
    $("alert-badge").addEventListener("click", () => this.app.showPanel("alerts"));
    for (const button of document.querySelectorAll("#panel-alerts [data-show]")) {
      button.addEventListener("click", () => {
        this.showAll = button.dataset.show === "all";
        for (const b of document.querySelectorAll("#panel-alerts [data-show]")) {
          b.setAttribute("aria-pressed", String(b === button));
        }
        this.load();
      });
    }
    $("alert-list").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-alert]");
      if (!button) return;
      if (button.dataset.do === "ack") this.acknowledge(Number(button.dataset.alert));
      else if (button.dataset.do === "restock") this.app.stockDialog.open("restock", button.dataset.sku);
      else if (button.dataset.do === "product") this.app.openProduct(button.dataset.sku);
      else if (button.dataset.do === "demos") this.app.showPanel("demos");
      else if (button.dataset.do === "unlock") this.unlock(Number(button.dataset.alert));
    });
  }

  show() {
    this.visible = true;
    this.load();
  }

  hide() {
    this.visible = false;
  }

  async load() {
    if (!this.loaded) this.status.loading("alerts.what");
    try {
      const [openOnly, everything] = await Promise.all([
        this.app.link.command("alerts", { open_only: true }),
        this.showAll ? this.app.link.command("alerts", {}) : Promise.resolve(null),
      ]);
      this.open = new Map(openOnly.alerts.map((alert) => [alert.alert_id, alert]));
      this.all = everything ? everything.alerts : null;
      this.unwrittenChanged(openOnly.unwritten || [], false);
      this.loaded = true;
      this.status.clear();
      this.badge();
      this.render();
    } catch (err) {
      this.status.failed("alerts.what", err, () => this.load());
    }
    if (this.visible) await Promise.all([this.loadFailures(), this.loadDiscrepancies()]);
  }

  async loadDiscrepancies() {
    try {
      this.discrepancies = (await this.app.link.command("discrepancies")).discrepancies;
      this.renderDiscrepancies();
    } catch (err) {
      $("discrepancy-list").replaceChildren(h("p", { class: "form-status error",
        text: t("status.failed", { what: t("discrepancies.what"), error: this.app.errorText(err) }) }));
    }
  }

  /** stock.oversold and stock.discrepancy_settled: the list follows them live. */
  discrepancyChanged() {
    if (this.visible) this.reloadDiscrepancies();
  }

  renderDiscrepancies() {
    const box = $("discrepancy-list");
    if (!this.discrepancies) return;
    if (!this.discrepancies.length) {
      box.replaceChildren(h("p", { class: "muted", text: t("discrepancies.none") }));
      return;
    }
    box.replaceChildren(h("ul", { class: "replays" }, ...this.discrepancies.map((found) => {
      const product = this.app.stock.products.get(found.sku);
      const note = h("input", { type: "text", maxlength: 200, class: "grow",
        placeholder: t("discrepancies.note_placeholder"), "aria-label": t("discrepancies.note") });
      const error = h("span", { class: "form-status error", role: "alert" });
      const form = h("form", { class: "row", novalidate: true }, note,
        h("button", { type: "submit", class: "btn small primary", text: t("discrepancies.settle") }), error);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.settle(found, note.value.trim(), error);
      });
      return h("li", { class: "discrepancy", data: { discrepancy: found.discrepancy_id } },
        h("strong", { text: t("discrepancies.head", { name: product ? named(product) : found.name, sku: found.sku,
          n: num(found.qty), device: found.device, receipt: found.receipt_no || "-", time: when(found.at) }) }),
        form);
    })));
  }

  async settle(found, note, errorOut) {
    if (!note) {
      errorOut.textContent = t("replays.note_required");
      return;
    }
    errorOut.textContent = t("dialog.saving");
    try {
      await this.app.command("discrepancy_settle", { discrepancy_id: found.discrepancy_id, note });
      // The product's alert goes once none of its discrepancies is left open.
      const left = (this.discrepancies || []).some((d) => d.sku === found.sku && d !== found);
      const alert = [...this.open.values()].find((a) => a.kind === "oversold" && a.subject === found.sku);
      if (alert && !left) await this.app.command("alert_ack", { alert_id: alert.alert_id }).catch(() => {});
      this.app.toast(t("discrepancies.settled"), "ok");
      this.loadDiscrepancies();
    } catch (err) {
      errorOut.textContent = this.app.errorText(err);
    }
  }

  async loadFailures() {
    try {
      const answer = await this.app.link.command("replay_failures");
      this.failures = answer.failures.filter((f) => !f.resolved_at);
      this.renderFailures();
    } catch (err) {
      $("replay-list").replaceChildren(h("p", { class: "form-status error",
        text: t("status.failed", { what: t("replays.what"), error: this.app.errorText(err) }) }));
    }
  }

  /** alert.raised */
  raised(event) {
    const alert = event.data;
    if (this.open.has(alert.alert_id)) return;
    this.open.set(alert.alert_id, alert);
    if (this.all) this.all.unshift(alert);
    // The written copy of an alert shown from the hub's memory replaces it, quietly.
    const told = this.fromMemory.delete(memoryKey(alert));
    this.unwritten = this.unwritten.filter((a) => memoryKey(a) !== memoryKey(alert));
    this.badge(!told);
    if (this.visible) this.render();
    if (!told) this.app.toast(`${kindName(alert.kind)} — ${message(alert, this.app.stock.products)}`, "bad", { alert: alert.alert_id });
    if (alert.kind === "replay_refused") this.reloadFailures();
  }

  /** The alerts the hub keeps in memory (the `health` push, or the `alerts` answer); new ones are told once. */
  unwrittenChanged(list, render = true) {
    const fresh = list.filter((alert) => !this.fromMemory.has(memoryKey(alert)));
    this.unwritten = list;
    for (const alert of fresh) {
      this.fromMemory.add(memoryKey(alert));
      this.app.toast(`${t(`alert.kind.${alert.kind}`)} — ${message(alert, this.app.stock.products)}`, "bad");
    }
    this.badge(fresh.length > 0);
    if (render && this.visible) this.render();
  }

  /** alert.acked */
  acked(event) {
    const { alert_id: id, by, at } = event.data;
    this.open.delete(id);
    const listed = this.all?.find((a) => a.alert_id === id);
    if (listed) Object.assign(listed, { acked_at: at, acked_by: by });
    this.badge();
    if (this.visible) this.render();
  }

  badge(pulse = false) {
    const n = this.open.size + this.unwritten.length;
    const badge = $("alert-badge");
    badge.dataset.count = String(n);
    $("alert-count").textContent = num(n);
    $("nav-alert-count").textContent = n ? num(n) : "";
    badge.title = tCount("alerts.badge_label", n);
    if (pulse) badge.animate([{ transform: "scale(1.15)" }, { transform: "scale(1)" }], 500);
  }

  render() {
    const list = $("alert-list");
    const written = this.showAll ? (this.all || []) : [...this.open.values()].sort((a, b) => b.alert_id - a.alert_id);
    const alerts = [...this.unwritten, ...written];
    if (!alerts.length) {
      list.replaceChildren(h("li", { class: "muted empty", text: t(this.showAll ? "alerts.none_all" : "alerts.none") }));
      return;
    }
    list.replaceChildren(...alerts.map((alert) => {
      const sku = alert.data?.sku;
      const product = sku ? this.app.stock.products.get(sku) : null;
      const acked = Boolean(alert.acked_at);
      if (alert.unwritten) {
        return h("li", { class: `alert ${alert.kind} unwritten`, data: { kind: alert.kind, unwritten: "true" } },
          h("span", { class: "kind", text: t(`alert.kind.${alert.kind}`) }),
          h("span", { class: "msg", text: message(alert, this.app.stock.products) }),
          h("span", { class: "muted small", text: t("alerts.unwritten", { time: when(alert.raised_at) }) }));
      }
      return h("li", { class: `alert ${alert.kind}${acked ? " acked" : ""}`,
        data: { alert: alert.alert_id, kind: alert.kind } },
      h("span", { class: "kind", text: kindName(alert.kind) }),
      h("span", { class: "msg", text: message(alert, this.app.stock.products) }),
      h("span", { class: "muted small", text: acked
        ? t("alerts.acked_by", { time: when(alert.raised_at), at: when(alert.acked_at), by: alert.acked_by || "" })
        : t("alerts.raised_at", { time: when(alert.raised_at) }) }),
      h("span", { class: "buttons" },
        product ? h("button", { type: "button", class: "btn small", text: t("stock.restock"),
          data: { alert: alert.alert_id, do: "restock", sku } }) : null,
        product ? h("button", { type: "button", class: "btn small", text: t("stock.history"),
          data: { alert: alert.alert_id, do: "product", sku } }) : null,
        alert.kind === "checkin_conflict" ? h("button", { type: "button", class: "btn small",
          text: t("nav.demos"), data: { alert: alert.alert_id, do: "demos" } }) : null,
        alert.kind === "sign_in_locked" && !acked ? h("button", { type: "button", class: "btn small",
          text: t("alerts.unlock"), data: { alert: alert.alert_id, do: "unlock" } }) : null,
        acked ? null : h("button", { type: "button", class: "btn small primary", text: t("alerts.ack"),
          data: { alert: alert.alert_id, do: "ack" } })));
    }));
  }

  renderFailures() {
    const box = $("replay-list");
    if (!this.failures) return;
    if (!this.failures.length) {
      box.replaceChildren(h("p", { class: "muted", text: t("replays.none") }));
      return;
    }
    box.replaceChildren(h("ul", { class: "replays" }, ...this.failures.map((failure) => {
      const lines = (failure.payload?.lines || []).map((line) => {
        const product = this.app.stock.products.get(line.sku);
        return `${product ? named(product) : line.sku} × ${num(line.qty)}`;
      }).join(", ");
      const paid = (failure.payload?.payments || []).reduce((s, p) => s + (p.amount || 0), 0);
      const note = h("input", { type: "text", maxlength: 200, class: "grow",
        placeholder: t("replays.note_placeholder"), "aria-label": t("replays.note") });
      const error = h("span", { class: "form-status error", role: "alert" });
      const form = h("form", { class: "row", novalidate: true }, note,
        h("button", { type: "submit", class: "btn small primary", text: t("replays.resolve") }), error);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.resolve(failure.sale_id, note.value.trim(), error);
      });
      return h("li", { class: "replay", data: { sale: failure.sale_id } },
        h("strong", { text: t("replays.head", { device: failure.device, time: when(failure.at),
          code: errorText({ code: failure.error_code, details: failure.details || {}, message: failure.error }) }) }),
        h("span", { class: "small", text: lines }),
        h("span", { class: "muted small", text: [t("replays.paid", { amount: won(paid) }),
          failure.payload?.offline_at ? t("replays.offline_at", { time: when(failure.payload.offline_at) }) : ""]
          .filter(Boolean).join(" · ") }),
        form);
    })));
  }

  async resolve(saleId, note, errorOut) {
    if (!note) {
      errorOut.textContent = t("replays.note_required");
      return;
    }
    errorOut.textContent = t("dialog.saving");
    try {
      await this.app.command("replay_resolve", { sale_id: saleId, note });
      // Settling the sale settles its alert too.
      const alert = [...this.open.values()].find((a) => a.kind === "replay_refused" && a.subject === saleId);
      if (alert) await this.app.command("alert_ack", { alert_id: alert.alert_id }).catch(() => {});
      this.app.toast(t("replays.resolved"), "ok");
      this.loadFailures();
    } catch (err) {
      errorOut.textContent = this.app.errorText(err);
    }
  }

  /** Lift a lock at the device it holds (the person may be at the till, waiting), then settle its alert. */
  async unlock(id) {
    const alert = this.open.get(id);
    if (!alert) return;
    const data = alert.data;
    const kind = data.cashier_id ? "cashier" : "staff";
    try {
      await this.app.command("sign_in_unlock", { kind, person: data.cashier_id || data.name, device: data.device });
      this.app.toast(t("alerts.unlocked", { person: data.cashier_id || data.name, device: data.device }), "ok");
      await this.acknowledge(id);
    } catch (err) {
      this.app.toast(this.app.errorText(err), "bad");
    }
  }

  async acknowledge(id) {
    try {
      await this.app.command("alert_ack", { alert_id: id });
      this.acked({ data: { alert_id: id, by: this.app.person, at: new Date().toISOString() } });
    } catch (err) {
      this.app.toast(t("alerts.ack_failed", { error: this.app.errorText(err) }), "bad");
    }
  }

  relabel() {
    this.status.render();
    this.badge();
    if (this.loaded) this.render();
    if (this.failures) this.renderFailures();
  }
}

/** An alert in the screen's language, built from its data (the hub's message is English). */
export function message(alert, products) {
  const d = alert.data || {};
  // The alert carries the Korean names; the catalog has the English ones.
  const product = d.sku && products ? products.get(d.sku) : null;
  const name = product ? named(product) : d.name;
  const firm = product ? named(product, "firm") : d.firm;
  switch (alert.kind) {
    case "low_stock":
      return t("alert.msg.low_stock", { name, firm, n: num(d.available), threshold: num(d.threshold) });
    case "sold_out":
      return t("alert.msg.sold_out", { name, firm });
    case "printer":
      return t("alert.msg.printer", { printer: d.printer, status: t(`printer.status.${d.status}`),
        detail: d.detail ? ` (${reasonName(d.detail)})` : "" });
    case "time_claim":
      return t("alert.msg.time_claim", { device: d.device, what: d.what, ref: d.ref, claimed: clockShort(d.claimed),
        reason: t(`alert.claim.${d.reason}`), recorded: clockShort(d.recorded_at) });
    case "sign_in_locked":
      return t("alert.msg.sign_in_locked", { person: d.cashier_id || d.name, device: d.device,
        until: clockShort(d.until) });
    case "pairing_guesses":
      return t("alert.msg.pairing_guesses", { address: d.address });
    case "terminal_silent":
      return t("alert.msg.terminal_silent", { device: d.device, time: clockShort(d.last_seen) });
    case "checkin_conflict":
      return t("alert.msg.checkin_conflict", { ticket: d.ticket_id, first: d.first_door || "?",
        second: d.second_door || "?" });
    case "replay_refused":
      return t("alert.msg.replay_refused", { device: d.device,
        reason: errorText({ code: d.code, details: d.details || {}, message: d.message }) });
    case "storage":
      return t(d.until ? "alert.msg.storage_until" : "alert.msg.storage", { reason: t(`alert.storage.${d.reason}`),
        time: clockShort(d.since), until: clockShort(d.until) });
    case "disk_low":
      return t("alert.msg.disk_low", { free: num(d.free_mb), warn: num(d.warn_mb) });
    case "oversold":
      return t("alert.msg.oversold", { name, sku: d.sku, n: num(d.qty), device: d.device, receipt: d.receipt_no });
    case "price_differs":
      return t("alert.msg.price_differs", { device: d.device, receipt: d.receipt_no,
        lines: (d.lines || []).map((line) => {
          const item = products ? products.get(line.sku) : null;
          return t("alert.price_line", { name: item ? named(item) : line.name, charged: won(line.charged),
            listed: won(line.listed) });
        }).join(", ") });
    case "help":
      // The kiosk's place in the screen's language, and the language the visitor chose, so staff know who to look for.
      return t("alert.msg.help", { device: d.device, place: d.place ? named(d.place) : d.device,
        lang: t(`alert.help.lang.${d.lang === "en" ? "en" : "ko"}`) });
    default:
      // A kind this screen has no words for yet: its name, never the hub's English sentence.
      return t("alert.msg.other", { kind: alert.kind });
  }
}

function memoryKey(alert) {
  return `${alert.kind}:${alert.subject}`;
}

/** An alert kind's name in the screen's language. */
export function kindName(kind) {
  return has(`alert.kind.${kind}`) ? t(`alert.kind.${kind}`) : kind;
}

