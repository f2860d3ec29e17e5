// The order screen after a successful hold: the code large, its QR, the time to pay by and a countdown,
// the slip's printing (from print.* events for this code), cancelling (hold_release) and expiry.
import { has, korean, number, t, won } from "./i18n.js";

const NO_SLIP_AFTER_MS = 6000; // no print.queued by then: this kiosk has no slip printer (or it is far behind)
// storage_unavailable: the hub's disk takes no writes, so nothing was recorded; like an outage, try again.
const TRANSIENT = new Set(["offline", "timeout", "internal", "storage_unavailable", "writer_unreachable"]);
const $ = (id) => document.getElementById(id);

function item(text, amount) {
  const line = document.createElement("li");
  line.className = "order-line";
  const name = document.createElement("span");
  name.textContent = text;
  const price = document.createElement("span");
  price.textContent = amount;
  line.append(name, price);
  return line;
}

export class OrderScreen {
  /** link: the HallLink; prints: hold code → latest print event; holdMinutes(): the hall's hold time. */
  constructor({ link, prints, holdMinutes, onCountdown = () => {} }) {
    this.link = link;
    this.onCountdown = onCountdown;
    this.prints = prints;
    this.holdMinutes = holdMinutes;
    this.order = null;
    this.timer = 0;
    $("order-cancel").addEventListener("click", () => $("cancel-dialog").showModal());
    $("cancel-no").addEventListener("click", () => $("cancel-dialog").close());
    $("cancel-yes").addEventListener("click", () => this.cancel());
  }

  get code() {
    return this.order ? this.order.code : null;
  }

  open(hold) {
    const holdMs = Math.round(this.holdMinutes() * 60000);
    const hubLeft = Date.parse(hold.expires_at) - Date.now();
    // This machine's clock is trusted only while it agrees with the hub's hold time; else count from now.
    const left = Number.isFinite(hubLeft) && Math.abs(hubLeft - holdMs) < 120000 ? hubLeft : holdMs;
    this.order = { ...hold, status: "active", deadline: performance.now() + left, shownAt: performance.now() };
    $("order-cancel-status").textContent = "";
    this.render();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), 250);
  }

  /** Forget the order: nothing of it stays on screen (the hold itself stays until paid or expired). */
  clear() {
    clearInterval(this.timer);
    this.order = null;
    for (const id of ["order-code", "order-title", "order-lead", "order-payby", "order-countdown", "order-print",
      "order-state", "order-total", "order-cancel-status"]) {
      $(id).textContent = "";
    }
    $("order-lines").replaceChildren();
    $("order-qr").removeAttribute("src");
    $("order-print").dataset.state = "";
    $("order-screen").dataset.status = "";
  }

  render() {
    const order = this.order;
    if (!order) return;
    const active = order.status === "active";
    $("order-screen").dataset.status = order.status;
    $("order-title").textContent = t(`order.title_${order.status}`);
    $("order-lead").textContent = active ? t("order.lead") : "";
    const code = $("order-code");
    code.textContent = order.code;
    code.classList.toggle("void", !active);
    const qr = $("order-qr");
    qr.hidden = !active;
    const src = `/api/qr.svg?data=${encodeURIComponent(`HOLD:${order.code}`)}`;
    if (qr.getAttribute("src") !== src) qr.src = src;
    qr.alt = t("order.qr_alt", { code: order.code });
    $("order-payby").textContent = t("order.pay_by", { time: order.expires_at.slice(11, 16) });
    $("order-payby").hidden = !active;
    $("order-countdown").hidden = !active;
    const note = $("order-state");
    note.hidden = active;
    note.textContent = active ? "" : t(`order.note_${order.status}`);
    note.className = `notice ${order.status === "expired" ? "notice-warn" : ""}`;
    $("order-lines").replaceChildren(...order.lines.map((line) => item(
      korean() ? line.name : line.name_en || line.name,
      t("cart.line_price", { price: won(line.unit_price), n: number(line.qty), amount: won(line.amount) }))));
    $("order-total").textContent = won(order.total);
    $("order-cancel").hidden = !active;
    this.tick();
    this.renderPrint(true);
  }

  tick() {
    const order = this.order;
    if (!order) return;
    const left = order.deadline - performance.now();
    if (order.status === "active" && left <= 0) {
      order.status = "expired";
      if ($("cancel-dialog").open) $("cancel-dialog").close();
      this.render();
      return;
    }
    if (order.status === "active") {
      const seconds = Math.max(0, Math.ceil(left / 1000));
      if (seconds !== order.lastSecond) {
        order.lastSecond = seconds;
        this.onCountdown(seconds);
      }
      const countdown = $("order-countdown");
      countdown.textContent = t("order.countdown", {
        time: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}` });
      countdown.classList.toggle("urgent", seconds <= 60);
    }
    if (!this.prints.has(order.code)) this.renderPrint();
  }

  /** The slip: waiting, queued, printed, failed (with why), or none at all. */
  renderPrint(force = false) {
    const order = this.order;
    if (!order) return;
    const node = $("order-print");
    // A cancelled or expired order's slip is void: say nothing more about printing it.
    node.hidden = order.status !== "active";
    const job = this.prints.get(order.code);
    let shown;
    let text;
    if (!job) {
      shown = performance.now() - order.shownAt > NO_SLIP_AFTER_MS ? "none" : "waiting";
      text = t(`print.${shown}`);
    } else if (job.state === "failed") {
      shown = "failed";
      const reason = `print.reason.${job.reason}`;
      text = t("print.failed", { reason: has(reason) ? t(reason) : job.reason });
    } else {
      shown = job.state;
      text = t(`print.${shown}`);
    }
    if (!force && node.dataset.state === shown && node.textContent === text) return;
    node.dataset.state = shown;
    node.textContent = text;
    node.className = `order-print print-${shown}`;
  }

  async cancel() {
    const order = this.order;
    if ($("cancel-dialog").open) $("cancel-dialog").close();
    if (!order || order.status !== "active") return;
    const status = $("order-cancel-status");
    status.classList.remove("error");
    status.textContent = t("order.cancelling");
    $("order-cancel").disabled = true;
    try {
      await this.link.command("hold_release", { code: order.code });
      order.status = "cancelled";
      status.textContent = "";
    } catch (err) {
      if (err.code === "hold_used") order.status = "paid";
      else if (err.code === "hold_expired") order.status = "expired";
      else {
        status.classList.add("error");
        status.textContent = t(TRANSIENT.has(err.code) ? "order.cancel_retry" : "order.cancel_failed",
          { code: err.code });
      }
    } finally {
      $("order-cancel").disabled = false;
    }
    if (this.order === order) this.render();
  }
}
