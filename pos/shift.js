// Closing a shift: count the drawer, send shift_close (through the outbox, so it
// works offline too), then show the Z report and follow its printing.
import { both, bothBy, num, say, t, tCountIn, tIn, won } from "./i18n.js";
import { dateTimeOf, errorText, isoNow } from "./messages.js";
import { printKind, printStatus } from "./pay.js";
import { $, amountOf, h, setAmount } from "./ui.js";

export class ShiftClose {
  constructor(pos) {
    this.pos = pos;
    this.shift = null;
    this.busy = false;
    this.report = null;
    $("close-cancel").addEventListener("click", () => $("close-dlg").close());
    $("close-submit").addEventListener("click", () => this.submit());
    $("close-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    $("close-new").addEventListener("click", () => {
      $("close-dlg").close();
      pos.route();
    });
    $("close-signout").addEventListener("click", () => {
      $("close-dlg").close();
      pos.signOut();
    });
    $("close-dlg").addEventListener("cancel", (event) => {
      if (this.busy) event.preventDefault();
    });
    $("close-dlg").addEventListener("close", () => {
      // After a close the till has no shift: back to opening one (or signing in).
      if (this.report || this.savedOffline) pos.route();
    });
    pos.prints.addEventListener("change", (event) => {
      if (this.report && event.detail.ref === this.report.shift_id) this.renderPrint();
    });
  }

  async open() {
    const shift = this.pos.session.shift;
    if (!shift) return;
    this.shift = shift;
    this.report = null;
    this.savedOffline = false;
    $("close-count").hidden = false;
    $("z-report").hidden = true;
    $("close-print").hidden = true;
    $("close-submit").hidden = false;
    $("close-cancel").hidden = false;
    $("close-new").hidden = true;
    $("close-signout").hidden = true;
    setAmount($("close-cash"), null);
    say($("close-msg"), null);
    say($("close-expected"), bothBy("close.whose", (lang) => ({ name: shift.cashier_name || shift.cashier_id,
      time: dateTimeOf(shift.opened_at, lang), float: won(shift.float, lang) })));
    $("close-dlg").showModal();
    $("close-cash").focus();
    if (!this.pos.connected()) {
      say($("close-msg"), both("close.offline_note"), "warn");
      return;
    }
    if (this.pos.outbox.pendingCount) return; // the hub's figures would not have this till's pending sales yet
    try {
      const { report } = await this.pos.link.command("shift_report", { shift_id: shift.shift_id });
      const unbooked = report.unbooked?.cash || 0;
      const expected = (lang) => tCountIn(lang, "close.expected", report.sales_count, {
        expected: won(report.expected_cash, lang), float: won(report.float, lang), cash: won(report.cash_sales, lang),
        refunds: won(report.cash_refunds, lang),
        unbooked: unbooked ? tIn(lang, "close.expected_unbooked", { cash: won(unbooked, lang) }) : "" });
      say($("close-expected"), { ko: expected("ko"), en: expected("en") });
    } catch (err) {
      // An X report is a help, not a need: closing works without it.
    }
  }

  async submit() {
    if (this.busy || !this.shift) return;
    const counted = amountOf($("close-cash"));
    if (counted === null) {
      say($("close-msg"), both("close.count_needed"), "error");
      $("close-cash").focus();
      return;
    }
    const pos = this.pos;
    const payload = { shift_id: this.shift.shift_id, counted_cash: counted, sign_in: pos.session.signIn };
    const online = pos.connected();
    if (!online) payload.closed_at = isoNow();
    this.busy = true;
    $("close-submit").disabled = true;
    say($("close-msg"), both("status.working"), "busy");
    let entry;
    try {
      entry = await pos.outbox.add("shift_close", payload);
    } catch (err) {
      this.busy = false;
      $("close-submit").disabled = false;
      say($("close-msg"), both("status.storage_failed"), "error");
      return;
    }
    const outcome = online ? await pos.outbox.sendAndWait(entry) : { status: "pending" };
    this.busy = false;
    $("close-submit").disabled = false;
    if (outcome.status === "refused" && outcome.error.code !== "shift_closed") {
      say($("close-msg"), errorText(outcome.error), "error");
      return;
    }
    pos.session.shift = null;
    pos.saveSession();
    $("close-count").hidden = true;
    $("close-submit").hidden = true;
    $("close-cancel").hidden = true;
    $("close-new").hidden = false;
    $("close-signout").hidden = false;
    if (outcome.status === "done") {
      say($("close-msg"), null);
      this.showReport(outcome.answer.report);
    } else {
      this.savedOffline = true;
      say($("close-msg"), outcome.status === "refused" ? errorText(outcome.error) : both("close.saved_offline"), "warn");
    }
    $("close-new").focus();
  }

  showReport(report) {
    this.report = report;
    const rows = [
      ["close.terminal", report.terminal],
      ["close.cashier", `${report.cashier} (${report.cashier_id})`],
      ["close.opened", dateTimeOf(report.opened_at)],
      ["close.closed", dateTimeOf(report.closed_at)],
      ["close.sales", num(report.sales_count)],
      ["close.by_card", won(report.by_method.card)],
      ["close.refunds", `${num(report.refunds.count)} · ${won(report.refunds.amount || 0)}`],
      ["close.voids", `${num(report.voids.count)} · ${won(report.voids.amount || 0)}`],
      // The drawer's arithmetic, part by part, in the words the printed Z report uses.
      ["close.float", won(report.float)],
      ["close.by_cash", `+ ${won(report.cash_sales)}`],
      ["close.cash_refunds", `− ${won(report.cash_refunds)}`],
      ...(report.unbooked?.cash ? [["close.unbooked", `+ ${won(report.unbooked.cash)}`]] : []),
      ["close.expected_cash", `= ${won(report.expected_cash)}`],
      ["close.counted_cash", won(report.counted_cash)],
      ["close.difference", signedDifference(report.difference)],
    ];
    const table = h("table", { class: "z-table" });
    for (const [key, value] of rows) {
      const row = h("tr", {}, h("th", {}, t(key)), h("td", {}, value));
      if (key === "close.difference") row.dataset.kind = report.difference === 0 ? "ok" : "warn";
      table.append(row);
    }
    const title = h("h3", {}, t("close.z_title"));
    $("z-report").replaceChildren(title, table);
    $("z-report").hidden = false;
    $("close-print").hidden = false;
    this.renderPrint();
  }

  renderPrint() {
    if (!this.report) return;
    const job = this.pos.prints.get(this.report.shift_id);
    say($("close-print"), printStatus(job, "z"), printKind(job));
  }

  /** A shift closed offline reached the hub: its Z report is made and printed now. */
  landed(entry, report) {
    if ($("close-dlg").open && this.shift && this.shift.shift_id === report.shift_id) {
      say($("close-msg"), null);
      this.showReport(report);
    }
  }
}

/** "+12,000원 (과잉)", "-8,000원 (부족)", "0원 (일치)": a shortage must never read like cash on hand. */
function signedDifference(difference) {
  const kind = difference > 0 ? "over" : difference < 0 ? "short" : "even";
  return `${difference > 0 ? "+" : ""}${won(difference)} (${t(`close.${kind}`)})`;
}
