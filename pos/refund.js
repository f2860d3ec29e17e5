// Refunds and voids, by the receipt's number or its QR (RCPT:<no>).
// Lines and quantities come from what is left of the sale; the money goes back
// the way it came (the hub decides: card first, then cash). Over the hall's limit
// a supervisor's PIN is asked for; a void needs the PIN of the cashier who sold.
import { newId } from "/common/hall.js";
import { both, bothBy, num, say, t, won } from "./i18n.js";
import { dateTimeOf, errorText } from "./messages.js";
import { printKind, printStatus, showPreview } from "./pay.js";
import { $, h, pinDialog } from "./ui.js";

const PIN_ERRORS = new Set(["wrong_pin", "locked", "supervisor_required", "unknown_cashier", "wrong_cashier"]);

export class RefundScreen {
  constructor(pos) {
    this.pos = pos;
    this.sale = null;
    this.qty = new Map(); // line_no -> qty to refund
    this.attempt = null; // {id, key}: the same refund resent after a lost answer keeps its id
    this.result = null;
    $("refund-find").addEventListener("submit", (event) => {
      event.preventDefault();
      this.find($("refund-receipt").value);
    });
    $("refund-close").addEventListener("click", () => $("refund-dlg").close());
    $("refund-submit").addEventListener("click", () => this.submit());
    $("void-btn").addEventListener("click", () => this.voidSale());
    $("refund-reprint").addEventListener("click", () => this.reprint());
    $("refund-preview").addEventListener("click", () => showPreview(this.pos, this.pos.prints.get(this.result.receipt_no)));
    $("refund-lines").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-line]");
      if (!button) return;
      const lineNo = Number(button.dataset.line);
      const line = this.sale.lines.find((l) => l.line_no === lineNo);
      const left = line.qty - line.refunded;
      const now = this.qty.get(lineNo) || 0;
      const next = button.dataset.act === "all" ? (now === left ? 0 : left) : now + (button.dataset.act === "plus" ? 1 : -1);
      this.qty.set(lineNo, Math.max(0, Math.min(left, next)));
      this.renderLines();
    });
    $("refund-lines").addEventListener("change", (event) => {
      const input = event.target.closest("input[data-line]");
      if (!input) return;
      const lineNo = Number(input.dataset.line);
      const line = this.sale.lines.find((l) => l.line_no === lineNo);
      const value = Number(String(input.value).replace(/[^0-9]/g, "")) || 0;
      this.qty.set(lineNo, Math.max(0, Math.min(line.qty - line.refunded, value)));
      this.renderLines();
    });
    pos.prints.addEventListener("change", (event) => {
      if (this.result && event.detail.ref === this.result.receipt_no) this.renderPrint();
    });
  }

  open(receipt = "") {
    this.reset();
    $("refund-receipt").value = receipt;
    if (!$("refund-dlg").open) $("refund-dlg").showModal();
    $("refund-receipt").focus();
    if (receipt) this.find(receipt);
  }

  reset() {
    this.sale = null;
    this.result = null;
    this.qty.clear();
    this.attempt = null;
    $("refund-sale").hidden = true;
    $("refund-done").hidden = true;
    $("refund-done").replaceChildren();
    $("refund-submit").hidden = true;
    $("void-btn").hidden = true;
    $("refund-reprint").hidden = true;
    $("refund-preview").hidden = true;
    $("refund-find").hidden = false;
    say($("refund-msg"), null);
  }

  async find(raw) {
    const receiptNo = String(raw || "").trim().replace(/^RCPT:/i, "");
    this.reset();
    $("refund-receipt").value = receiptNo;
    if (!receiptNo) return say($("refund-msg"), both("refund.empty"), "error");
    if (!this.pos.connected()) return say($("refund-msg"), both("refund.needs_hub"), "error");
    say($("refund-msg"), both("refund.looking", { receipt: receiptNo }), "busy");
    try {
      this.sale = (await this.pos.link.command("sale_lookup", { receipt_no: receiptNo })).sale;
    } catch (err) {
      return say($("refund-msg"), errorText(err), "error");
    }
    say($("refund-msg"), null);
    this.render();
  }

  render() {
    const sale = this.sale;
    const pay = sale.payments.map((p) => (p.method === "card"
      ? `${t("pay.card")} ${won(p.amount)}${p.card_type ? " " + p.card_type : ""}` : `${t("pay.cash")} ${won(p.amount)}`)).join(" + ");
    $("refund-sale-head").textContent = [t("refund.head", { receipt: sale.receipt_no }), dateTimeOf(sale.at),
      sale.cashier || "-", `${t("pay.total")} ${won(sale.total)}`, pay].join(" · ");
    const earlier = sale.refunds.map((r) => `${r.kind === "void" ? t("refund.void") : t("refund.title_short")} ${r.receipt_no} ${won(r.total)}`);
    if (earlier.length) $("refund-sale-head").textContent += ` · ${t("refund.earlier")}: ${earlier.join(", ")}`;
    $("refund-sale").hidden = false;
    const left = sale.lines.some((l) => l.qty > l.refunded);
    $("refund-submit").hidden = !left;
    $("void-btn").hidden = !left;
    if (!left) say($("refund-msg"), both("err.already_refunded"), "warn");
    this.renderLines();
  }

  renderLines() {
    const body = $("refund-lines");
    body.replaceChildren();
    let total = 0;
    for (const line of this.sale.lines) {
      const left = line.qty - line.refunded;
      const qty = this.qty.get(line.line_no) || 0;
      total += qty * line.unit_price;
      const product = this.pos.catalog.bySku.get(line.sku);
      const name = product ? this.pos.productName(product) : line.name;
      body.append(h("tr", { dataset: { line: String(line.line_no) }, class: left ? "" : "spent" },
        h("td", {}, name),
        h("td", {}, won(line.unit_price)),
        h("td", {}, num(line.qty)),
        h("td", {}, num(left)),
        h("td", { class: "refund-qty" },
          h("button", { type: "button", class: "btn qty-btn", dataset: { line: String(line.line_no), act: "minus" },
                        disabled: !left, "aria-label": t("cart.less") }, "−"),
          h("input", { class: "qty-input", value: String(qty), inputmode: "numeric", dataset: { line: String(line.line_no) },
                       disabled: !left, "aria-label": t("refund.qty_of", { name }) }),
          h("button", { type: "button", class: "btn qty-btn", dataset: { line: String(line.line_no), act: "plus" },
                        disabled: !left, "aria-label": t("cart.more") }, "+"),
          h("button", { type: "button", class: "btn small", dataset: { line: String(line.line_no), act: "all" },
                        disabled: !left }, t("refund.all")))));
    }
    $("refund-total").textContent = won(total);
    $("refund-submit").disabled = total === 0;
  }

  chosen() {
    return [...this.qty.entries()].filter(([, qty]) => qty > 0).map(([line_no, qty]) => ({ line_no, qty }))
      .sort((a, b) => a.line_no - b.line_no);
  }

  refundId(payload) {
    const key = JSON.stringify(payload);
    if (!this.attempt || this.attempt.key !== key) this.attempt = { id: newId(), key };
    return this.attempt.id;
  }

  base() {
    const session = this.pos.session;
    const payload = { receipt_no: this.sale.receipt_no, sign_in: session.signIn };
    if (session.shift) payload.shift_id = session.shift.shift_id;
    const reason = $("refund-reason").value.trim();
    if (reason) payload.reason = reason;
    return payload;
  }

  async submit() {
    const lines = this.chosen();
    if (!lines.length) return say($("refund-msg"), both("refund.choose"), "error");
    if (!this.pos.connected()) return say($("refund-msg"), both("refund.needs_hub"), "error");
    const payload = { ...this.base(), lines };
    payload.refund_id = this.refundId(payload);
    say($("refund-msg"), both("status.working"), "busy");
    $("refund-submit").disabled = true;
    try {
      const answer = await this.pos.link.command("refund", payload);
      this.finished(answer.refund);
    } catch (err) {
      if (err.code === "approval_required") {
        say($("refund-msg"), errorText(err), "warn");
        await this.withApproval(payload, err);
      } else {
        say($("refund-msg"), errorText(err), "error");
      }
    } finally {
      $("refund-submit").disabled = false;
    }
  }

  async withApproval(payload, refusal) {
    const supervisors = this.pos.cashiers.filter((c) => c.supervisor);
    let failure = null;
    const approved = await pinDialog({
      title: bothBy("refund.approval", (lang) => ({ limit: won(refusal.details.limit || 0, lang) })),
      cashiers: supervisors.length ? supervisors : this.pos.cashiers,
      attempt: (cashierId, pin) => this.sendWithPin(
        "refund", { ...payload, supervisor_id: cashierId, supervisor_pin: pin }, (err) => { failure = err; }),
    });
    if (failure) say($("refund-msg"), errorText(failure), "error");
    else if (!approved) say($("refund-msg"), both("refund.not_approved"), "warn");
  }

  async voidSale() {
    if (!this.pos.connected()) return say($("refund-msg"), both("refund.needs_hub"), "error");
    const sale = this.sale;
    let failure = null;
    const base = this.base();
    await pinDialog({
      title: bothBy("refund.void_pin", () => ({ receipt: sale.receipt_no })),
      cashiers: this.pos.cashiers,
      preselect: sale.cashier || this.pos.session.cashier.cashier_id,
      attempt: (cashierId, pin) => {
        const payload = { ...base, cashier_id: cashierId };
        payload.refund_id = this.refundId({ ...payload, void: true });
        return this.sendWithPin("void", { ...payload, pin }, (err) => { failure = err; });
      },
    });
    if (failure) say($("refund-msg"), errorText(failure), "error");
  }

  // One try in a PIN dialog: a wrong or locked PIN is said in the dialog (and asked again); any other
  // refusal closes it and goes to `refused`. Resolves to the dialog's message, or null when it is done.
  async sendWithPin(command, payload, refused) {
    try {
      const answer = await this.pos.link.command(command, payload);
      this.finished(answer.refund);
      return null;
    } catch (err) {
      if (PIN_ERRORS.has(err.code)) return errorText(err);
      refused(err);
      return null;
    }
  }

  finished(refund) {
    this.result = refund;
    this.attempt = null;
    $("refund-sale").hidden = true;
    $("refund-submit").hidden = true;
    $("void-btn").hidden = true;
    const done = $("refund-done");
    done.replaceChildren();
    const title = h("p", { class: "msg big-msg" });
    say(title, bothBy(refund.kind === "void" ? "refund.voided" : "refund.done",
      (lang) => ({ receipt: refund.receipt_no, total: won(refund.total, lang) })), "ok");
    done.append(title);
    const cash = refund.payments.filter((p) => p.method === "cash").reduce((s, p) => s + p.amount, 0);
    for (const payment of refund.payments) {
      if (payment.method === "card") {
        done.append(h("p", { class: "refund-card" }, t("refund.card_back", { amount: won(payment.amount), approval: payment.approval_no || "-" })));
      }
    }
    if (cash > 0) done.append(h("div", { class: "cash-back" }, h("span", {}, t("refund.cash_back")), h("output", {}, won(cash))));
    if (refund.cash_receipt) {
      // The buyer's 현금영수증 shrinks by the cash given back: the cashier tells them, as the refund receipt prints.
      const cancelled = refund.cash_receipt;
      done.append(h("p", { class: "refund-cash-receipt" }, t("refund.cash_receipt_cancelled", {
        amount: won(cancelled.amount), number: maskedNumber(cancelled.number) })));
    }
    done.append(h("p", { class: "help" }, `${t("refund.original")}: ${refund.original_receipt_no}`));
    const print = h("p", { class: "msg", id: "refund-print", role: "status" });
    done.append(print);
    done.hidden = false;
    $("refund-reprint").hidden = false;
    $("refund-preview").hidden = false;
    say($("refund-msg"), null);
    this.renderPrint();
    $("refund-close").focus();
  }

  renderPrint() {
    const el = $("refund-print");
    if (!el || !this.result) return;
    const job = this.pos.prints.get(this.result.receipt_no);
    say(el, printStatus(job, "refund"), printKind(job));
  }

  async reprint() {
    try {
      await this.pos.link.command("reprint", { receipt_no: this.result.receipt_no });
      say($("refund-print"), both("print.reprint_queued"), "busy");
    } catch (err) {
      say($("refund-print"), errorText(err), "error");
    }
  }
}


/** A 현금영수증 number as the receipt prints it: the first three and last four digits, the rest hidden. */
function maskedNumber(number) {
  const digits = String(number).replace(/[^0-9]/g, "");
  if (digits.length <= 7) return "*".repeat(digits.length);
  return digits.slice(0, 3) + "*".repeat(digits.length - 7) + digits.slice(-4);
}
