// The day close: one day's money as the accountant reads it (day_report), closed and sealed (day_close) after
// asking once, with the seal checked again whenever a closed day is shown and the day as CSV.
import { dayOf, nowClock } from "/common/time.js";
import { lang, num, t, won } from "./i18n.js";
import { PanelStatus } from "./status.js";
import { authFetch, filenameFrom, h, localDay, saveBlob } from "./util.js";

const $ = (id) => document.getElementById(id);

export class DayClose {
  constructor(app) {
    this.app = app;
    this.status = new PanelStatus($("day-status"));
    this.answer = null;
    $("day-date").value = localDay(new Date());
    $("day-date").addEventListener("change", () => this.load());
    $("day-close").addEventListener("click", () => this.ask());
    $("day-close-cancel").addEventListener("click", () => this.ask(false));
    $("day-close-confirm").addEventListener("click", () => this.close());
    $("day-csv").addEventListener("click", () => this.download());
  }

  get day() {
    return $("day-date").value || localDay(new Date());
  }

  async load() {
    this.status.loading("day.what");
    try {
      this.answer = await this.app.link.command("day_report", { day: this.day }, { timeout: 20000 });
      this.status.note("day.as_of", { day: dayOf(this.answer.day, lang()), time: nowClock() });
      this.render();
    } catch (err) {
      this.status.failed("day.what", err, () => this.load());
    }
  }

  ask(show = true) {
    $("day-confirm").hidden = !show;
    if (!show || !this.answer) return;
    const open = this.answer.report.open_shifts.length;
    $("day-confirm-text").textContent = t(open ? "day.confirm_open" : "day.confirm",
      { day: dayOf(this.day, lang()), n: num(open) });
    $("day-close-cancel").focus(); // the safe choice takes the focus
  }

  async close() {
    $("day-confirm").hidden = true;
    this.status.loading("day.closing");
    try {
      await this.app.command("day_close", { day: this.day });
      this.app.toast(t("day.closed_toast", { day: dayOf(this.day, lang()) }), "ok");
      await this.load();
    } catch (err) {
      this.status.failed("day.closing", err, () => this.close());
    }
  }

  async download() {
    try {
      const response = await authFetch(`/api/exports/day.csv?day=${encodeURIComponent(this.day)}`, this.app.link.token);
      const blob = await response.blob();
      saveBlob(blob, filenameFrom(response, `day-${this.day}.csv`));
    } catch (err) {
      this.status.failed("day.what", err, () => this.download());
    }
  }

  render() {
    const { report, closed, verify } = this.answer;
    const row = (key, value, data = {}) => h("div", { data }, h("dt", { text: t(key) }), h("dd", { text: value }));
    const figures = h("dl", { class: "day-figures" },
      row("day.gross", `${won(report.gross)} (${num(report.sales)})`, { field: "gross" }),
      row("day.refunds", `${won(report.refunds ? -report.refunds : 0)} (${num(report.refund_count)})`),
      row("day.net", won(report.net), { field: "net" }),
      row("day.cash_net", won(report.by_method.cash.net)),
      row("day.card_net", won(report.by_method.card.net)),
      row("day.supply_vat", `${won(report.tax.supply)} / ${won(report.tax.vat)}`),
      row("day.tax_free", won(report.tax.tax_free)),
      row("day.cash_receipts", t("day.cash_receipts_value", { n: num(report.cash_receipts.count),
        cancelled: num(report.cash_receipts.cancelled), amount: won(report.cash_receipts.amount) })),
      row("day.offline", t("day.offline_value", { n: num(report.offline.sales), amount: won(report.offline.amount),
        repriced: num(report.offline.repriced), over: num(report.offline.discrepancies.length) }),
      { field: "offline" }),
      row("day.drawers", report.drawers.length
        ? report.drawers.map((d) => `${d.terminal} ${d.cashier}: ${signed(d.difference)}`).join(" · ")
        : t("day.no_drawers")));
    const parts = [figures];
    if (report.open_shifts.length) {
      parts.push(h("p", { class: "form-status warn", data: { field: "open-shifts" },
        text: t("day.open_shifts", { n: num(report.open_shifts.length),
          tills: report.open_shifts.map((s) => s.terminal).join(", ") }) }));
    }
    if (closed) {
      const seal = report.seal;
      parts.push(h("p", { class: verify.matches ? "form-status ok" : "form-status error", data: { field: "seal" },
        text: t(verify.matches ? "day.sealed_ok" : "day.sealed_changed", { time: seal.closed_at.slice(11, 16),
          by: seal.closed_by, n: num(seal.events) }) }));
      parts.push(h("code", { class: "digest", text: seal.digest }));
      if (verify.after_close) {
        parts.push(h("p", { class: "form-status warn", text: t("day.after_close", { n: num(verify.after_close) }) }));
      }
    }
    $("day-body").replaceChildren(...parts);
    $("day-close").hidden = closed;
  }

  relabel() {
    this.status.render();
    if (this.answer) this.render();
  }
}

function signed(difference) {
  const kind = difference > 0 ? "over" : difference < 0 ? "short" : "even";
  return `${difference > 0 ? "+" : ""}${won(difference)} (${t(`day.${kind}`)})`;
}
