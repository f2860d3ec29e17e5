// Payment: cash with quick bills and change, card with the card terminal's
// approval number, or both; a 현금영수증 when the buyer asks (from ₩100,000 in
// cash the cashier must ask and choose). Then the sale goes through the outbox,
// and the receipt's printing is followed on screen.
import { newId } from "/common/hall.js";
import { clock } from "/common/time.js";
import { both, bothBy, say, t, won } from "./i18n.js";
import { errorText, isoNow } from "./messages.js";
import { previewUrl } from "./printing.js";
import { $, amountOf, setAmount } from "./ui.js";

const RECEIPT_PROMPT_FROM = 100000;

/** Korea's 사업자등록번호 check digit, as the hub checks it. */
export function businessNumberValid(digits) {
  if (!/^[0-9]{10}$/.test(digits)) return false;
  const weights = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  let total = 0;
  for (let i = 0; i < 9; i++) total += Number(digits[i]) * weights[i];
  total += Math.floor((Number(digits[8]) * 5) / 10);
  return (10 - (total % 10)) % 10 === Number(digits[9]);
}

export class PayScreen {
  constructor(pos) {
    this.pos = pos;
    this.method = "cash";
    this.receiptKind = null; // null: not chosen yet; "none" | "phone" | "business"
    this.receiptMissed = false; // 결제 완료 was pressed at an amount that needs the choice, without one
    this.problemShown = false; // the message under the form is about what the cashier typed or chose
    this.busy = false;
    this.done = null; // the sale on the done screen: {entryId, receiptNo, ...}
    this.mySales = new Set();
    this.previewUrl = null;
    const dialog = $("pay-dlg");
    for (const button of dialog.querySelectorAll(".method")) {
      button.addEventListener("click", () => {
        this.edited();
        this.setMethod(button.dataset.method);
      });
    }
    for (const button of dialog.querySelectorAll("[data-add]")) {
      button.addEventListener("click", () => {
        this.edited();
        this.quick(button.dataset.add);
      });
    }
    for (const button of dialog.querySelectorAll(".receipt-kinds .chip")) {
      button.addEventListener("click", () => this.setReceiptKind(button.dataset.kind));
    }
    for (const id of ["cash-tendered", "card-amount", "card-approval", "receipt-number", "card-last4"]) {
      $(id).addEventListener("input", () => {
        this.edited();
        this.render();
      });
    }
    $("pay-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.complete();
    });
    $("pay-cancel").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      if (!this.busy) say($("pay-msg"), null);
    });
    dialog.addEventListener("cancel", (event) => {
      if (this.busy) event.preventDefault(); // a sale on its way is not abandoned with Escape
    });
    $("card-amount").addEventListener("focus", () => { $("pay-keypad").dataset.target = "card-amount"; });
    $("cash-tendered").addEventListener("focus", () => { $("pay-keypad").dataset.target = "cash-tendered"; });
    $("receipt-number").addEventListener("focus", () => { $("pay-keypad").dataset.target = "receipt-number"; });
    $("card-approval").addEventListener("focus", () => { $("pay-keypad").dataset.target = "card-approval"; });

    $("done-next").addEventListener("click", () => this.closeDone());
    $("done-reprint").addEventListener("click", () => this.reprint());
    $("done-preview").addEventListener("click", () => this.preview());
    $("done-dlg").addEventListener("close", () => {
      this.done = null;
      if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    });
    $("preview-close").addEventListener("click", () => $("preview-dlg").close());
    pos.prints.addEventListener("change", (event) => {
      if (this.done && event.detail.ref === this.done.receiptNo) this.renderPrint();
    });
  }

  get total() {
    return this.pos.cart.total;
  }

  open() {
    this.method = "cash";
    this.receiptKind = null;
    this.receiptMissed = false;
    this.problemShown = false;
    setAmount($("cash-tendered"), null);
    setAmount($("card-amount"), null);
    $("card-approval").value = "";
    $("card-last4").value = "";
    $("receipt-number").value = "";
    say($("pay-msg"), null);
    this.setMethod("cash");
    $("pay-dlg").showModal();
    $("cash-tendered").focus();
  }

  setMethod(method) {
    this.method = method;
    for (const button of $("pay-dlg").querySelectorAll(".method")) {
      button.setAttribute("aria-checked", button.dataset.method === method ? "true" : "false");
    }
    if (method === "card") setAmount($("card-amount"), this.total);
    if (method === "split" && amountOf($("card-amount")) === this.total) setAmount($("card-amount"), null);
    $("card-amount").readOnly = method === "card";
    this.render();
    if (method === "card") $("card-approval").focus();
    else if (method === "split") $("card-amount").focus();
    else $("cash-tendered").focus();
  }

  setReceiptKind(kind) {
    this.receiptKind = kind;
    this.receiptMissed = false;
    this.edited();
    this.render();
    if (kind === "phone" || kind === "business") $("receipt-number").focus();
  }

  /** The cashier changed something: a complaint about what was there before no longer applies. */
  edited() {
    if (this.problemShown && !this.busy) {
      say($("pay-msg"), null);
      this.problemShown = false;
    }
  }

  /** From ₩100,000 in cash the buyer must be asked about a 현금영수증 (and the cashier must choose). */
  mustAsk() {
    return this.method !== "card" && this.cashDue() >= RECEIPT_PROMPT_FROM;
  }

  /** The 현금영수증 that will be sent: the cashier's choice, else "none" below the asking amount, else unknown. */
  receiptChoice() {
    return this.receiptKind || (this.mustAsk() ? null : "none");
  }

  quick(what) {
    const due = this.cashDue();
    const now = amountOf($("cash-tendered")) || 0;
    if (what === "exact") setAmount($("cash-tendered"), due);
    else if (what === "clear") setAmount($("cash-tendered"), null);
    else setAmount($("cash-tendered"), now + Number(what));
    $("cash-tendered").focus();
  }

  cardAmount() {
    if (this.method === "cash") return 0;
    if (this.method === "card") return this.total;
    return amountOf($("card-amount")) || 0;
  }

  cashDue() {
    return Math.max(0, this.total - this.cardAmount());
  }

  render() {
    if (!this.pos.cart) return;
    const total = this.total;
    const cash = this.method !== "card";
    const card = this.method !== "cash";
    $("pay-total").textContent = won(total);
    $("card-part").hidden = !card;
    $("cash-part").hidden = !cash;
    $("receipt-part").hidden = !cash;
    const due = this.cashDue();
    $("cash-due").textContent = won(due);
    const tendered = amountOf($("cash-tendered")) || 0;
    const change = cash ? Math.max(0, tendered - due) : 0;
    $("pay-change").textContent = won(change);
    $("change-box").dataset.kind = cash && tendered >= due && tendered > 0 ? "ok" : cash ? "short" : "none";
    $("change-box").hidden = !cash;
    const choice = this.receiptChoice();
    const waiting = cash && choice === null;
    const missed = waiting && this.receiptMissed;
    say($("receipt-prompt"), waiting ? both(missed ? "pay.receipt_needed" : "pay.receipt_prompt") : null,
        missed ? "error" : "warn");
    $("receipt-part").classList.toggle("needed", missed);
    for (const chip of $("pay-dlg").querySelectorAll(".receipt-kinds .chip")) {
      chip.setAttribute("aria-checked", chip.dataset.kind === choice ? "true" : "false");
    }
    $("receipt-number").hidden = !(this.receiptKind === "phone" || this.receiptKind === "business");
    $("receipt-number").placeholder = this.receiptKind === "business" ? "123-45-67890" : "010-1234-5678";
    this.renderWarning();
  }

  renderWarning() {
    const short = this.pos.stockKnown() ? this.pos.cart.shortLines() : [];
    if (!short.length) {
      say($("pay-warn"), null);
      return;
    }
    const names = (lang) => short.map((l) => {
      const product = this.pos.cart.product(l.sku);
      return lang === "en" ? product.name_en || product.name : product.name;
    }).join(", ");
    say($("pay-warn"), bothBy("pay.stock_warning", (lang) => ({ names: names(lang) })), "warn");
  }

  /** The payments to send, or a {ko, en} problem to show. */
  build() {
    const total = this.total;
    const payments = [];
    const card = this.cardAmount();
    if (this.method !== "cash") {
      if (this.method === "split" && (card <= 0 || card >= total)) return { problem: both("pay.split_amount") };
      const approval = $("card-approval").value.trim();
      if (!/^[0-9A-Za-z-]{4,20}$/.test(approval)) return { problem: both("pay.approval_needed"), focus: "card-approval" };
      const last4 = $("card-last4").value.trim();
      if (last4 && !/^[0-9]{4}$/.test(last4)) return { problem: both("pay.last4_format"), focus: "card-last4" };
      const payment = { method: "card", amount: card, approval_no: approval, card_type: $("card-type").value };
      if (last4) payment.card_masked = `****-****-****-${last4}`;
      payments.push(payment);
    }
    let receipt = null;
    if (this.method !== "card") {
      const due = this.cashDue();
      const tendered = amountOf($("cash-tendered")) || 0;
      if (tendered < due || tendered <= 0) {
        return { problem: bothBy("pay.cash_short", (lang) => ({ more: won(due - tendered, lang) })), focus: "cash-tendered" };
      }
      payments.unshift({ method: "cash", amount: tendered });
      if (this.receiptChoice() === null) return { receiptMissing: true };
      if (this.receiptKind === "phone" || this.receiptKind === "business") {
        const digits = $("receipt-number").value.replace(/[^0-9]/g, "");
        const ok = this.receiptKind === "phone" ? /^01[0-9]{8,9}$/.test(digits) : businessNumberValid(digits);
        if (!ok) return { problem: both(`pay.receipt_bad_${this.receiptKind}`), focus: "receipt-number" };
        receipt = { kind: this.receiptKind, number: digits };
      }
    }
    const paid = payments.reduce((sum, p) => sum + p.amount, 0);
    return { payments, receipt, paid, change: paid - total };
  }

  async complete() {
    if (this.busy) return;
    const pos = this.pos;
    const cart = pos.cart;
    if (cart.empty) return;
    const built = this.build();
    if (built.receiptMissing) {
      // Said once, where the choice is made, and the choice takes the focus.
      this.receiptMissed = true;
      this.edited();
      this.render();
      $("pay-dlg").querySelector(".receipt-kinds .chip").focus();
      return;
    }
    if (built.problem) {
      say($("pay-msg"), built.problem, "error");
      this.problemShown = true;
      if (built.focus) $(built.focus).focus();
      return;
    }
    const session = pos.session;
    const online = pos.connected();
    // Offline, the price on screen is the price charged: the hub books the sale at it (and flags a difference).
    const payload = { sale_id: newId(), payments: built.payments, sign_in: session.signIn, total: this.total,
                      lines: cart.lines.map((l) => (online ? { sku: l.sku, qty: l.qty }
                        : { sku: l.sku, qty: l.qty, unit_price: cart.product(l.sku)?.price })) };
    if (session.shift) payload.shift_id = session.shift.shift_id;
    if (cart.hold) payload.hold_code = cart.hold.code;
    if (built.receipt) payload.cash_receipt = built.receipt;
    if (!online) payload.offline_at = isoNow();
    const summary = { total: this.total, paid: built.paid, change: built.change };

    this.busy = true;
    $("pay-complete").disabled = true;
    say($("pay-msg"), online ? both("pay.sending") : both("pay.saving"), "busy");
    const started = performance.now();
    let entry;
    try {
      entry = await pos.outbox.add("checkout", payload, { summary });
    } catch (err) {
      // Not on disk, so not sold: the cashier must not hand over the goods.
      this.busy = false;
      $("pay-complete").disabled = false;
      say($("pay-msg"), both("status.storage_failed"), "error");
      return;
    }
    this.mySales.add(payload.sale_id);
    const outcome = online ? await pos.outbox.sendAndWait(entry) : { status: "pending" };
    (window.__posTimings ||= []).push({ kind: "pay", ms: performance.now() - started, status: outcome.status });
    this.busy = false;
    $("pay-complete").disabled = false;
    if (outcome.status === "refused") {
      this.mySales.delete(payload.sale_id);
      if (outcome.error.code === "sign_in_required") {
        $("pay-dlg").close();
        pos.signInAgain(outcome.error);
        return;
      }
      say($("pay-msg"), errorText(outcome.error, pos.catalog), "error");
      return;
    }
    say($("pay-msg"), null);
    $("pay-dlg").close();
    cart.clear();
    this.showDone(entry, summary, outcome.status === "done" ? outcome.answer.sale : null);
  }

  ownSale(saleId) {
    return this.mySales.has(saleId);
  }

  showDone(entry, summary, sale) {
    this.done = { entryId: entry.id, receiptNo: sale ? sale.receipt_no : null, summary };
    this.renderDone(sale);
    if (!$("done-dlg").open) $("done-dlg").showModal();
    $("done-next").focus();
  }

  renderDone(sale) {
    const done = this.done;
    const title = $("done-title");
    say(title, sale ? both("done.title") : both("done.saved_title"), sale ? "ok" : "warn");
    // Kept on the till: the hub out of reach, or reached but unable to save (its disk is full).
    const why = this.pos.outbox.hubCannotSave ? "done.storage_note" : "done.offline_note";
    say($("done-offline"), sale ? null : both(why), "warn");
    const figures = sale ? { total: sale.total, paid: sale.paid, change: sale.change } : done.summary;
    $("done-total").textContent = won(figures.total);
    $("done-paid").textContent = won(figures.paid);
    $("done-change").textContent = won(figures.change);
    $("done-receipt").textContent = done.receiptNo || t("done.no_receipt_yet");
    $("done-receipt").classList.toggle("pending", !done.receiptNo);
    $("done-reprint").disabled = !done.receiptNo;
    $("done-preview").disabled = !done.receiptNo;
    this.renderPrint();
  }

  renderPrint() {
    const done = this.done;
    const line = $("done-print");
    if (!done) return;
    if (!done.receiptNo) {
      say(line, both("print.after_replay"), "warn");
      return;
    }
    say(line, printStatus(this.pos.prints.get(done.receiptNo), "receipt"), printKind(this.pos.prints.get(done.receiptNo)));
    $("done-preview").disabled = !this.pos.prints.get(done.receiptNo);
  }

  /** A sale made offline reached the hub (it may be the one on screen). */
  landed(entry, sale) {
    if (this.done && this.done.entryId === entry.id) {
      this.done.receiptNo = sale.receipt_no;
      this.renderDone(sale);
    }
  }

  closeDone() {
    if ($("done-dlg").open) $("done-dlg").close();
  }

  async reprint() {
    const done = this.done;
    if (!done || !done.receiptNo) return;
    if (!this.pos.connected()) {
      say($("done-print"), both("print.reprint_needs_hub"), "error");
      return;
    }
    try {
      await this.pos.link.command("reprint", { receipt_no: done.receiptNo });
      say($("done-print"), both("print.reprint_queued"), "busy");
    } catch (err) {
      say($("done-print"), errorText(err), "error");
    }
  }

  async preview() {
    const done = this.done;
    const job = done && done.receiptNo && this.pos.prints.get(done.receiptNo);
    await showPreview(this.pos, job);
  }
}

/** The receipt picture in its dialog. */
export async function showPreview(pos, job) {
  const img = $("preview-img");
  if (pos.previewObjectUrl) URL.revokeObjectURL(pos.previewObjectUrl);
  pos.previewObjectUrl = null;
  img.removeAttribute("src");
  if (!$("preview-dlg").open) $("preview-dlg").showModal();
  if (!job) {
    say($("preview-msg"), both("preview.no_job"), "warn");
    return;
  }
  say($("preview-msg"), both("preview.loading"), "busy");
  try {
    pos.previewObjectUrl = await previewUrl(job.job_id, pos.link.token);
    img.src = pos.previewObjectUrl;
    img.alt = job.job_id;
    say($("preview-msg"), null);
  } catch (err) {
    say($("preview-msg"), errorText(err), "error");
  }
}

export function printKind(job) {
  if (!job) return "busy";
  return { queued: "busy", printed: "ok", failed: "error" }[job.state] || "";
}

/** What the printer is doing with a document, in both languages. */
export function printStatus(job, what) {
  if (!job) return both(`print.${what}_waiting`);
  if (job.state === "printed") return both(`print.${what}_printed`);
  if (job.state === "failed") {
    const reason = both(`print.reason_${job.reason}`);
    return bothBy(`print.${what}_failed`, (lang) => ({ reason: reason[lang], time: clock(job.retry_at) }));
  }
  return both(`print.${what}_queued`);
}
