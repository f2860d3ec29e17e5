// The catalog as the till holds it: Maps for barcode and sku lookups, a search
// index built once per load, and live stock applied from stock.changed events.

const CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";

/** The initial consonants of Hangul syllables ("교육용 로봇" -> "ㄱㅇㅇ ㄹㅂ"), so "ㄹㅂ" finds 로봇. */
export function choseong(text) {
  let out = "";
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code >= 0xac00 && code <= 0xd7a3) out += CHOSEONG[Math.floor((code - 0xac00) / 588)];
    else out += ch.toLowerCase();
  }
  return out;
}

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
      cho: choseong(p.name + "\u0001" + p.firm),
    }));
    this.dispatchEvent(new CustomEvent("loaded"));
  }

  /** A barcode, a sku, or nothing. */
  lookup(code) {
    return this.byBarcode.get(code) || this.bySku.get(code) || this.bySku.get(code.toUpperCase()) || null;
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
