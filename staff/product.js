// The side panel for one product: its live counts, its own low-stock threshold, and every event that
// touched it (product_history), one click from the stock table.
import { named, num, otherNamed, t, when, won } from "./i18n.js";
import { PanelStatus } from "./status.js";
import { h, throttle } from "./util.js";

const $ = (id) => document.getElementById(id);

export class ProductSide {
  constructor(app) {
    this.app = app;
    this.aside = $("product-side");
    this.status = new PanelStatus($("history-status"));
    this.sku = null;
    this.events = [];
    this.reloadSoon = throttle(() => this.load(), 1000);
    $("side-close").addEventListener("click", () => this.close());
    this.aside.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.close();
    });
    for (const button of this.aside.querySelectorAll("[data-side]")) {
      button.addEventListener("click", () => this.app.stockDialog.open(button.dataset.side, this.sku));
    }
    $("threshold-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const value = $("threshold-input").value.trim();
      const threshold = Number(value);
      if (value === "" || !Number.isInteger(threshold) || threshold < 0 || threshold > 100000) {
        $("threshold-error").textContent = t("threshold.bad");
        return;
      }
      this.saveThreshold(threshold);
    });
    $("threshold-default").addEventListener("click", () => this.saveThreshold(null));
  }

  get isOpen() {
    return !this.aside.hidden;
  }

  open(sku, { focusThreshold = false } = {}) {
    if (!this.app.stock.products.has(sku)) return;
    const changed = sku !== this.sku;
    this.sku = sku;
    this.aside.hidden = false;
    // The table makes room rather than being covered, so its rows stay clickable.
    document.getElementById("app").classList.add("side-open");
    this.app.stock.select(sku);
    $("threshold-error").textContent = "";
    if (changed) {
      this.events = [];
      $("history-list").replaceChildren();
    }
    this.renderProduct();
    this.fillThreshold();
    this.load();
    if (focusThreshold) $("threshold-input").focus();
    else $("side-close").focus();
  }

  close() {
    this.aside.hidden = true;
    document.getElementById("app").classList.remove("side-open");
    this.app.stock.select(null);
    const row = this.app.stock.rows.get(this.sku);
    this.sku = null;
    if (row) row.querySelector("[data-act=history]")?.focus();
  }

  renderProduct() {
    const product = this.app.stock.products.get(this.sku);
    if (!product) return;
    $("side-title").textContent = named(product);
    $("side-sub").textContent = [otherNamed(product), `${named(product, "firm")} · ${product.booth}`,
      `${product.sku} · ${product.barcode} · ${won(product.price)}`].filter(Boolean).join("\n");
    const status = product.status === "ok" ? t("stock.badge_ok") : t(`stock.badge_${product.status}`);
    const pairs = [["stock.col.on_hand", num(product.on_hand)], ["stock.col.held", num(product.held)],
      ["stock.col.available", num(product.available)], ["stock.col.status", status],
      ["stock.col.threshold", num(this.app.stock.thresholdOf(product.sku))]];
    $("side-counts").replaceChildren(...pairs.flatMap(([label, value]) => [h("dt", { text: t(label) }),
      h("dd", { text: value, data: { field: label.split(".").pop() } })]));
    $("side-counts").dataset.status = product.status;
  }

  fillThreshold() {
    const own = this.app.stock.own.get(this.sku);
    $("threshold-input").value = own === undefined ? "" : String(own);
    $("threshold-input").placeholder = String(this.app.settings.low_stock_threshold);
    $("threshold-note").textContent = own === undefined
      ? t("threshold.uses_default", { n: num(this.app.settings.low_stock_threshold) })
      : t("threshold.own", { n: num(own), hall: num(this.app.settings.low_stock_threshold) });
  }

  async saveThreshold(threshold) {
    const sku = this.sku;
    $("threshold-error").textContent = t("dialog.saving");
    try {
      await this.app.command("set_low_stock", { sku, threshold });
      $("threshold-error").textContent = "";
      // The product.threshold event updates the table; say it here at once.
      this.app.stock.applyThreshold({ seq: this.app.link.lastSeq, data: { sku, low_stock: threshold } });
      if (this.sku === sku) {
        this.fillThreshold();
        this.renderProduct();
      }
      this.app.toast(t("threshold.saved", { name: named(this.app.stock.products.get(sku)) }), "ok");
    } catch (err) {
      $("threshold-error").textContent = this.app.errorText(err);
    }
  }

  /** An event about this product arrived: counts now, history shortly (several come together). */
  touched(sku) {
    if (!this.isOpen || sku !== this.sku) return;
    this.renderProduct();
    this.reloadSoon();
  }

  thresholdChanged(sku) {
    if (this.isOpen && sku === this.sku) {
      this.fillThreshold();
      this.renderProduct();
      this.reloadSoon();
    }
  }

  async load() {
    const sku = this.sku;
    if (!sku) return;
    this.status.loading("history.what");
    try {
      const answer = await this.app.link.command("product_history", { sku });
      if (sku !== this.sku) return;
      this.events = answer.events;
      this.status.note(this.events.length ? "history.count" : "history.none", { n: this.events.length });
      this.renderHistory();
    } catch (err) {
      if (sku === this.sku) this.status.failed("history.what", err, () => this.load());
    }
  }

  renderHistory() {
    $("history-list").replaceChildren(...this.events.map((event) => {
      const { label, detail, tone } = describe(event, this.sku);
      return h("li", { class: `hist ${tone || ""}`, data: { type: event.type, seq: event.seq } },
        h("time", { datetime: event.at, text: when(event.at, { seconds: true }) }),
        h("strong", { text: label }),
        detail ? h("span", { class: "detail", text: detail }) : null);
    }));
  }

  relabel() {
    if (!this.isOpen) return;
    this.renderProduct();
    this.fillThreshold();
    this.status.render();
    this.renderHistory();
  }
}

/** One history event in words: what happened to this product, how many, who, which receipt. */
export function describe(event, sku) {
  const d = event.data || {};
  const line = (d.lines || []).find((l) => l.sku === sku) || {};
  const label = t(`event.${event.type}`) === `event.${event.type}` ? event.type : t(`event.${event.type}`);
  const by = d.by || d.device || "";
  switch (event.type) {
    case "stock.changed":
      return { label, detail: t("history.counts", { on_hand: num(d.on_hand), available: num(d.available) }) };
    case "stock.restocked":
      return { label, tone: "good", detail: [`+${num(d.qty)}`, d.reason, by].filter(Boolean).join(" · ") };
    case "stock.adjusted":
      return { label: t(`adjust.kind_${d.kind}`), tone: d.kind === "write_off" ? "bad" : "",
        detail: [t("history.before_after", { before: num(d.before), after: num(d.after) }), d.reason, by]
          .filter(Boolean).join(" · ") };
    case "sale.completed":
      return { label, detail: [d.receipt_no, t("history.units", { n: num(line.qty || 0) }), won(line.amount || 0),
        d.device].filter(Boolean).join(" · ") };
    case "refund.completed":
      return { label, tone: "bad", detail: [d.receipt_no, d.original_receipt_no && `← ${d.original_receipt_no}`,
        t("history.units", { n: num(line.qty || 0) }), won(line.amount || 0)].filter(Boolean).join(" · ") };
    case "hold.created":
      return { label, detail: [d.code, t("history.units", { n: num(line.qty || 0) }), d.device]
        .filter(Boolean).join(" · ") };
    case "catalog.loaded":
      return { label, detail: t("history.start", { n: num(d.stock?.[sku] ?? 0) }) };
    case "product.threshold":
      return { label, detail: [d.low_stock === null ? t("threshold.default_word") : num(d.low_stock), by]
        .filter(Boolean).join(" · ") };
    case "alert.raised":
      return { label: t(`alert.kind.${d.kind}`), tone: "bad", detail: t("history.counts_short",
        { available: num(d.data?.available ?? 0) }) };
    default:
      return { label, detail: by };
  }
}
