// The shelf shown until the cashier searches: the hall's best sellers as touch tiles, one tap to add, as
// Square's and Odoo's tills do. The hub ranks them by units sold (`best_sellers`); prices and live stock come
// from the till's own catalog. What can be sold comes first; before anything is sold the shelf shows products
// in stock, in catalog order. The ranking is kept on the device, so the shelf is there offline too.
import { t, tCount, won } from "./i18n.js";
import { h } from "./ui.js";

const KEPT = "pos.best_sellers";
const SHOWN = 24;
const REFRESH_MS = 5 * 60 * 1000;
// After a sale the ranking may have moved; asking once a minute at most keeps a busy till's hub quiet.
const AFTER_SALE_MS = 60 * 1000;

export class Shelf {
  /**
   * `stockOf(product)` gives {text, kind} as the rest of the till writes stock; `pick(product)` adds one.
   */
  constructor(pos, { stockOf, pick }) {
    this.pos = pos;
    this.stockOf = stockOf;
    this.ranked = readKept(); // [{sku, units}] as the hub last said
    this.tiles = new Map(); // sku -> {stock, button}
    this.asked = 0;
    this.timer = 0;
    this.list = document.getElementById("shelf-tiles");
    this.list.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-sku]");
      const product = button && this.pos.catalog.bySku.get(button.dataset.sku);
      if (product) pick(product);
    });
    setInterval(() => this.refresh(), REFRESH_MS);
  }

  /** Ask the hub for the ranking (when the link comes up, every few minutes, and after sales). */
  async refresh() {
    if (!this.pos.connected()) return;
    this.asked = Date.now();
    let answer;
    try {
      answer = await this.pos.link.command("best_sellers", { limit: SHOWN });
    } catch (err) {
      return; // the kept ranking stays on the shelf
    }
    this.ranked = answer.products;
    localStorage.setItem(KEPT, JSON.stringify(this.ranked));
    this.render();
  }

  /** A sale was made: refresh soon, at most once a minute. */
  soon() {
    if (this.timer) return;
    const wait = Math.max(0, this.asked + AFTER_SALE_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = 0;
      this.refresh();
    }, wait);
  }

  /** The products on the shelf, best first: what can be sold, then what is gone; topped up from the catalog. */
  products() {
    const { bySku, products } = this.pos.catalog;
    const units = new Map(this.ranked.map((r) => [r.sku, r.units]));
    const ranked = this.ranked.map((r) => bySku.get(r.sku)).filter(Boolean);
    const sellable = (p) => !this.pos.stockKnown() || p.available > 0;
    const chosen = [...ranked.filter(sellable), ...ranked.filter((p) => !sellable(p))];
    for (const product of products) {
      if (chosen.length >= SHOWN) break;
      if (!units.has(product.sku) && sellable(product)) chosen.push(product);
    }
    return { chosen: chosen.slice(0, SHOWN), units };
  }

  render() {
    const { chosen, units } = this.products();
    document.getElementById("shelf-title").textContent = t(units.size ? "shelf.best" : "shelf.first");
    this.tiles.clear();
    this.list.replaceChildren(...chosen.map((product) => {
      const { text, kind } = this.stockOf(product);
      const stock = h("span", { class: "tile-stock stock", dataset: { kind } }, text);
      const sold = units.get(product.sku);
      const button = h("button", { type: "button", class: "tile", dataset: { sku: product.sku, kind } },
        h("span", { class: "tile-name" }, this.pos.productName(product)),
        h("span", { class: "tile-meta" },
          h("span", { class: "tile-firm" }, `${this.pos.firmName(product)} · ${product.booth}`),
          sold ? h("span", { class: "tile-sold" }, tCount("shelf.sold", sold)) : null),
        h("span", { class: "tile-foot" }, h("span", { class: "tile-price" }, won(product.price)), stock));
      this.tiles.set(product.sku, { stock, button });
      return h("li", {}, button);
    }));
    if (!chosen.length) this.list.append(h("li", { class: "tile-none" }, t("shelf.none")));
  }

  /** A product's stock changed: its tile says so, without redrawing the shelf under the cashier's finger. */
  stockChanged(product) {
    const tile = this.tiles.get(product.sku);
    if (!tile) return;
    const { text, kind } = this.stockOf(product);
    tile.stock.textContent = text;
    tile.stock.dataset.kind = kind;
    tile.button.dataset.kind = kind;
  }
}

function readKept() {
  try {
    const kept = JSON.parse(localStorage.getItem(KEPT) || "[]");
    return Array.isArray(kept) ? kept : [];
  } catch (err) {
    return [];
  }
}
