// The sale being rung up: lines of products and quantities, and the kiosk order
// it came from, if any. Kept in localStorage so a reload mid-sale loses nothing.

const KEY = "pos.cart";
export const MAX_QTY = 999;

export class Cart extends EventTarget {
  constructor(catalog) {
    super();
    this.catalog = catalog;
    this.lines = []; // [{sku, qty}]
    this.hold = null; // {code, expires_at, lines: [{sku, qty}], total}
    this.selected = null; // sku of the selected line
  }

  restore() {
    try {
      const saved = JSON.parse(localStorage.getItem(KEY) || "null");
      if (saved && Array.isArray(saved.lines)) {
        this.lines = saved.lines.filter((l) => this.catalog.bySku.has(l.sku) && l.qty > 0);
        this.hold = saved.hold || null;
      }
    } catch (err) {
      this.lines = [];
    }
    this._changed();
  }

  _changed(detail = {}) {
    localStorage.setItem(KEY, JSON.stringify({ lines: this.lines, hold: this.hold }));
    this.dispatchEvent(new CustomEvent("change", { detail }));
  }

  get empty() {
    return this.lines.length === 0;
  }

  line(sku) {
    return this.lines.find((l) => l.sku === sku) || null;
  }

  product(sku) {
    return this.catalog.bySku.get(sku);
  }

  qtyOf(sku) {
    const line = this.line(sku);
    return line ? line.qty : 0;
  }

  /** Units this sale may take: what is available, plus what its own kiosk order holds (released at payment). */
  usable(sku) {
    const product = this.product(sku);
    if (!product) return 0;
    const own = this.hold ? (this.hold.lines.find((l) => l.sku === sku) || { qty: 0 }).qty : 0;
    return product.available + own;
  }

  add(sku, qty = 1) {
    let line = this.line(sku);
    if (line) {
      line.qty = Math.min(MAX_QTY, line.qty + qty);
      // The line just scanned moves to the top, where the cashier is looking.
      this.lines = [line, ...this.lines.filter((l) => l !== line)];
    } else {
      line = { sku, qty: Math.min(MAX_QTY, qty) };
      this.lines.unshift(line);
    }
    this.selected = sku;
    this._changed({ sku, added: true });
    return line;
  }

  setQty(sku, qty) {
    const line = this.line(sku);
    if (!line) return;
    if (qty <= 0) {
      this.remove(sku);
      return;
    }
    line.qty = Math.min(MAX_QTY, qty);
    this.selected = sku;
    this._changed({ sku });
  }

  remove(sku) {
    const index = this.lines.findIndex((l) => l.sku === sku);
    if (index < 0) return;
    this.lines.splice(index, 1);
    if (this.selected === sku) this.selected = this.lines[Math.min(index, this.lines.length - 1)]?.sku || null;
    this._changed({ sku, removed: true });
  }

  select(sku) {
    this.selected = sku;
    this.dispatchEvent(new CustomEvent("select", { detail: { sku } }));
  }

  loadHold(hold) {
    this.hold = { code: hold.code, expires_at: hold.expires_at, total: hold.total,
                  lines: hold.lines.map((l) => ({ sku: l.sku, qty: l.qty })) };
    for (const line of hold.lines) {
      if (!this.product(line.sku)) continue;
      const mine = this.line(line.sku);
      if (mine) mine.qty = Math.max(mine.qty, line.qty);
      else this.lines.push({ sku: line.sku, qty: line.qty });
    }
    this._changed({ hold: true });
  }

  dropHold() {
    this.hold = null;
    this._changed({ hold: true });
  }

  clear() {
    this.lines = [];
    this.hold = null;
    this.selected = null;
    this._changed({ cleared: true });
  }

  get total() {
    let total = 0;
    for (const line of this.lines) total += (this.product(line.sku)?.price || 0) * line.qty;
    return total;
  }

  get count() {
    return this.lines.reduce((n, l) => n + l.qty, 0);
  }

  /** Lines the hub would refuse now: more than is available (held by kiosk orders, or gone). */
  shortLines() {
    return this.lines.filter((l) => l.qty > this.usable(l.sku));
  }
}
