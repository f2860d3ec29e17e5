// The catalog as the till holds it: Maps for barcode and sku lookups, a search
// index built once per load, and live stock applied from stock.changed events.
import { initials, searchEitherLayout } from "/common/hangul.js";

function isChoseongOnly(token) {
  return /^[\u3131-\u314e]+$/.test(token);
}

export function normalise(text) {
  return String(text || "").normalize("NFC").toLowerCase();
}

export class Catalog extends EventTarget {
  constructor() {
    super();
    this.products = [];
    this.bySku = new Map();
    this.byBarcode = new Map();
    this.index = [];
    this.seq = 0;
  }

  get size() {
    return this.products.length;
  }

  load(products, seq) {
    this.products = products;
    this.seq = seq;
    this.bySku = new Map(products.map((p) => [p.sku, p]));
    this.byBarcode = new Map(products.map((p) => [String(p.barcode), p]));
    this.index = products.map((p) => ({
      product: p,
      hay: normalise([p.name, p.name_en, p.firm, p.firm_en, p.sku, p.barcode, p.booth, p.category].join("\u0001")),
      name: normalise(p.name) + "\u0001" + normalise(p.name_en),
      cho: initials(p.name + "\u0001" + p.firm),
    }));
    this.dispatchEvent(new CustomEvent("loaded"));
  }

  /** A barcode, a sku, or nothing. */
  lookup(code) {
    return this.byBarcode.get(code) || this.bySku.get(code) || this.bySku.get(code.toUpperCase()) || null;
  }

  /**
   * What the cashier is after: { found, query }, the query as typed or, when that finds nothing, as typed
   * on the other keyboard layout ("fhqht" → 로봇), so the till can say which it searched for.
   */
  find(query) {
    return searchEitherLayout(query, (q) => this.search(q));
  }

  /** Every product matching all words of the query (name in either language, firm, booth, sku, barcode). */
  search(query) {
    const tokens = normalise(query).split(/\s+/).filter(Boolean);
    if (!tokens.length) return [];
    const first = [];
    const rest = [];
    for (const entry of this.index) {
      let ok = true;
      for (const token of tokens) {
        if (entry.hay.includes(token)) continue;
        if (isChoseongOnly(token) && entry.cho.includes(token)) continue;
        ok = false;
        break;
      }
      if (!ok) continue;
      // Names that start with the first word come first: what the cashier most likely means.
      if (entry.name.startsWith(tokens[0]) || entry.name.includes("\u0001" + tokens[0])) first.push(entry.product);
      else rest.push(entry.product);
    }
    return first.concat(rest);
  }

  /** Apply a stock.changed event; returns the product if it is known. */
  applyStock(data) {
    const product = this.bySku.get(data.sku);
    if (!product) return null;
    product.on_hand = data.on_hand;
    product.available = data.available;
    product.held = Math.max(0, data.on_hand - data.available);
    this.dispatchEvent(new CustomEvent("stock", { detail: product }));
    return product;
  }
}
