// Ordering from the phone for payment at a cashier, as at a kiosk: the cart, a `hold` (the same code and
// QR of `HOLD:<code>` the till reads), the pay-by time counting down, and "paid" when the hub says so (the
// `mine` push, or the `mine` read after a reconnect). An order the hub has not acknowledged is kept with its
// hold_id and sent again, with the same id, whenever the link comes back: it is never made twice.
import { newId } from "/common/hall.js";
import { make } from "/common/dom.js";
import { errorText, named, number, t, tCount, won } from "./i18n.js";
import { keep, qrAddress, showQr } from "./keep.js";

// Nothing was recorded (or we cannot know): keep the command and send it again with the same id. A session
// that ended while connected is answered unauthorized, then dropped: the phone starts a new one and sends again.
export const TRANSIENT = new Set(["offline", "timeout", "internal", "storage_unavailable", "restarting", "unauthorized",
  "writer_unreachable"]);
const $ = (id) => document.getElementById(id);
const ORDERS_KEPT = 20;

function line(text, amount) {
  const item = make("li", "line");
  item.append(make("span", "line-name", text), make("span", "line-amount", amount));
  return item;
}

export class Orders extends EventTarget {
  /** link: the HallLink; products: sku → product; go(path): route; holdMinutes(): the hall's hold time. */
  constructor({ link, products, go, holdMinutes }) {
    super();
    this.link = link;
    this.products = products;
    this.go = go;
    this.holdMinutes = holdMinutes;
    this.cart = new Map(Object.entries(keep.cart()));
    this.orders = keep.orders();
    this.code = null; // the order view's
    this.sending = false;
    this.timer = 0;
    $("order-btn").addEventListener("click", () => this.order());
    $("order-cancel").addEventListener("click", () => this.cancel());
    link.addEventListener("ready", () => this.resend());
  }

  get pending() {
    return keep.pending().hold || null;
  }

  qty(sku) {
    return this.cart.get(sku) || 0;
  }

  count() {
    let n = 0;
    for (const qty of this.cart.values()) n += qty;
    return n;
  }

  /** Put `qty` more of `sku` in the cart; false while an order is on its way (it is the cart: nothing changes under it). */
  add(sku, qty) {
    if (this.pending) return false;
    this.setQty(sku, this.qty(sku) + qty);
    return true;
  }

  setQty(sku, qty) {
    if (qty <= 0) this.cart.delete(sku);
    else this.cart.set(sku, qty);
    keep.setCart(Object.fromEntries(this.cart));
    this.renderCart();
    this.dispatchEvent(new CustomEvent("cart"));
  }

  total() {
    let sum = 0;
    for (const [sku, qty] of this.cart) sum += (this.products(sku)?.price || 0) * qty;
    return sum;
  }

  renderCart() {
    const pending = this.pending;
    $("cart-title").textContent = tCount("cart.title", this.count());
    $("cart-lines").replaceChildren(...[...this.cart].map(([sku, qty]) => {
      const p = this.products(sku);
      const item = make("li", "cart-line");
      item.dataset.sku = sku;
      const name = make("span", "line-name", p ? named(p) : sku);
      const minus = make("button", "qty-btn", "−");
      minus.type = "button";
      minus.setAttribute("aria-label", t("cart.less_named", { name: name.textContent }));
      minus.addEventListener("click", () => this.setQty(sku, qty - 1));
      const value = make("span", "qty-value", number(qty));
      const plus = make("button", "qty-btn", "+");
      plus.type = "button";
      plus.setAttribute("aria-label", t("cart.more_named", { name: name.textContent }));
      plus.addEventListener("click", () => this.setQty(sku, qty + 1));
      minus.disabled = plus.disabled = Boolean(pending);
      const amount = make("span", "line-amount", won((p?.price || 0) * qty));
      item.append(name, minus, value, plus, amount);
      return item;
    }));
    $("cart-total").textContent = won(this.total());
    const button = $("order-btn");
    button.disabled = this.sending || (!pending && this.cart.size === 0);
    button.textContent = t(pending ? "cart.send_again" : "cart.order");
    if (this.cart.size === 0 && !pending) $("cart-lead").textContent = t("cart.empty");
    else $("cart-lead").textContent = t("cart.lead");
  }

  showCartError(text) {
    $("cart-error").textContent = text;
  }

  /** Order what is in the cart (or send again the order not yet acknowledged, with its hold_id). */
  async order() {
    let pending = this.pending;
    if (!pending) {
      if (!this.cart.size) return;
      pending = { hold_id: newId(), lines: [...this.cart].map(([sku, qty]) => ({ sku, qty })) };
      keep.setPending({ ...keep.pending(), hold: pending });
    }
    this.sending = true;
    this.showCartError("");
    $("order-btn").textContent = t("cart.sending");
    $("order-btn").disabled = true;
    try {
      const answer = await this.link.command("hold", pending, { timeout: 10000 });
      this.settle();
      this.cart.clear();
      keep.setCart({});
      this.keepOrder({ ...answer.hold, status: "waiting", deadline: this.deadline(answer.hold) });
      this.dispatchEvent(new CustomEvent("cart"));
      this.go(`/order/${answer.hold.code}`);
    } catch (err) {
      if (TRANSIENT.has(err.code)) {
        this.showCartError(t("cart.not_sent"));
      } else {
        this.settle();
        this.showCartError(err.code === "out_of_stock" ? this.shortText(err.details) : errorText(err));
      }
    } finally {
      this.sending = false;
      this.renderCart();
    }
  }

  settle() {
    const pending = keep.pending();
    delete pending.hold;
    keep.setPending(pending);
  }

  /** Back online: an order the hub did not acknowledge goes again, with the same hold_id. */
  resend() {
    if (this.pending && !this.sending) this.order();
  }

  shortText(details) {
    const lines = (details.lines || []).map((short) => {
      const p = this.products(short.sku);
      return tCount("cart.short_line", short.available, { name: p ? named(p) : short.sku });
    });
    return [t("error.out_of_stock"), ...lines].join(" ");
  }

  /** When the order must be paid by, on this phone's clock (trusted only while it agrees with the hub's). */
  deadline(hold) {
    const holdMs = Math.round(this.holdMinutes() * 60000);
    const hubLeft = Date.parse(hold.expires_at) - Date.now();
    const left = Number.isFinite(hubLeft) && (!holdMs || Math.abs(hubLeft - holdMs) < 120000) ? hubLeft : holdMs;
    return Date.now() + left;
  }

  keepOrder(order) {
    const others = this.orders.filter((kept) => kept.hold_id !== order.hold_id);
    this.orders = [order, ...others].slice(0, ORDERS_KEPT);
    keep.setOrders(this.orders);
    this.dispatchEvent(new CustomEvent("orders"));
  }

  find(code) {
    return this.orders.find((order) => order.code === code);
  }

  /** The hub's word on the phone's orders (the `mine` read): its status wins over what the phone guessed. */
  merge(orders) {
    for (const order of orders) {
      const kept = this.orders.find((o) => o.hold_id === order.hold_id);
      this.keepOrder({ ...kept, ...order, deadline: kept?.deadline ?? this.deadline(order) });
    }
    if (this.code) this.renderOrder();
  }

  /** A `mine` push about one of the phone's orders. */
  onMine({ type, data }) {
    const status = { "hold.consumed": "paid", "hold.expired": "expired", "hold.released": "released" }[type];
    const order = status && this.orders.find((o) => o.code === data.code || o.hold_id === data.hold_id);
    if (!order) return;
    this.keepOrder({ ...order, status });
    if (this.code === order.code) this.renderOrder();
  }

  open(code) {
    this.code = code;
    $("order-error").textContent = "";
    this.renderOrder();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), 500);
  }

  close() {
    this.code = null;
    clearInterval(this.timer);
  }

  renderOrder() {
    const order = this.find(this.code);
    const view = $("order-view");
    if (!order) {
      view.dataset.status = "";
      $("order-title").textContent = t("order.unknown");
      return;
    }
    const waiting = order.status === "waiting";
    view.dataset.status = order.status;
    $("order-title").textContent = t(`order.title_${order.status}`);
    $("order-lead").textContent = waiting ? t("order.lead") : "";
    $("order-code").textContent = order.code;
    $("order-code").classList.toggle("void", !waiting && order.status !== "paid");
    const qr = $("order-qr");
    qr.hidden = !waiting;
    qr.alt = t("order.qr_alt", { code: order.code });
    if (waiting && qr.dataset.code !== order.code) {
      qr.dataset.code = order.code;
      qrAddress(`HOLD:${order.code}`).then((src) => { showQr(qr, src); }).catch(() => { qr.dataset.code = ""; });
    }
    $("order-payby").hidden = !waiting;
    $("order-payby").textContent = t("order.pay_by", { time: order.expires_at.slice(11, 16) });
    $("order-countdown").hidden = !waiting;
    $("order-state").textContent = waiting ? "" : t(`order.note_${order.status}`);
    $("order-state").dataset.status = order.status;
    $("order-lines").replaceChildren(...order.lines.map((l) => line(named(l),
      t("order.line_price", { n: number(l.qty), amount: won(l.amount) }))));
    $("order-total").textContent = won(order.total);
    $("order-cancel").hidden = !waiting;
    this.tick();
  }

  tick() {
    const order = this.find(this.code);
    if (!order || order.status !== "waiting") return;
    const left = order.deadline - Date.now();
    if (left <= 0) {
      this.keepOrder({ ...order, status: "expired" });
      this.renderOrder();
      return;
    }
    const seconds = Math.ceil(left / 1000);
    const countdown = $("order-countdown");
    countdown.textContent = t("order.countdown", { time: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}` });
    countdown.classList.toggle("urgent", seconds <= 60);
  }

  async cancel() {
    const order = this.find(this.code);
    if (!order || order.status !== "waiting") return;
    $("order-cancel").disabled = true;
    $("order-error").textContent = "";
    try {
      await this.link.command("hold_release", { code: order.code });
      this.keepOrder({ ...order, status: "released" });
    } catch (err) {
      if (err.code === "hold_used") this.keepOrder({ ...order, status: "paid" });
      else if (err.code === "hold_expired") this.keepOrder({ ...order, status: "expired" });
      else $("order-error").textContent = TRANSIENT.has(err.code) ? t("order.cancel_not_sent") : errorText(err);
    } finally {
      $("order-cancel").disabled = false;
    }
    this.renderOrder();
  }
}
