// A windowed grid: only the rows in view (one above, two below) exist in the DOM, so 2,200 products
// scroll and filter like 20. Cells are recycled; their size comes from CSS custom properties on the
// scroller (--cell-h, --cell-min-w, --cell-gap) so portrait and landscape layouts set them in CSS.

export class VirtualGrid {
  /**
   * scroller: an element with overflow-y: auto.
   * create(): a new empty cell element; update(cell, item): fill it (textContent only); key(item): a stable id.
   */
  constructor(scroller, { create, update, key }) {
    this.scroller = scroller;
    this.create = create;
    this.update = update;
    this.key = key;
    this.items = [];
    this.shown = new Map(); // key → cell currently on screen
    this.pool = [];
    this.sizer = document.createElement("div");
    this.sizer.className = "vgrid-sizer";
    this.sizer.setAttribute("role", "list");
    scroller.append(this.sizer);
    this.columns = 1;
    this.cellWidth = 0;
    this.rowHeight = 1;
    this.gap = 0;
    this.pending = 0;
    scroller.addEventListener("scroll", () => {
      this.top = scroller.scrollTop;
      this.schedule();
    }, { passive: true });
    this.measured = false;
    this.viewHeight = 0;
    this.top = 0; // the scroll position last rendered
    new ResizeObserver(() => { this.measure(); this.render(); }).observe(scroller);
  }

  /** New contents (a filter changed): back to the top unless asked otherwise. */
  setItems(items, { keepScroll = false } = {}) {
    this.items = items;
    if (!this.measured) this.measure();
    // Read before writing: one layout per keystroke, not one per read after a write.
    const wasAt = this.top;
    const top = keepScroll ? wasAt : 0;
    this.sizeSizer();
    this.render(true, top);
    if (top !== wasAt) this.scroller.scrollTop = top;
  }

  /** Refill every visible cell (the language changed, the cart changed). */
  refresh() {
    this.render(true);
  }

  /** Refill one visible cell, if it is on screen. */
  refreshKey(key) {
    const cell = this.shown.get(key);
    if (cell) this.update(cell, cell._item);
  }

  /** Bring item `index` to the top of the view. */
  scrollToIndex(index) {
    if (index === undefined || index < 0) return;
    this.scroller.scrollTop = Math.floor(index / this.columns) * this.rowHeight;
    this.render();
  }

  cellFor(key) {
    return this.shown.get(key) || null;
  }

  /** Cell sizes from CSS and the scroller's size; read on resize (cheap there: layout is fresh). */
  measure() {
    const style = getComputedStyle(this.scroller);
    const px = (name, fallback) => parseFloat(style.getPropertyValue(name)) || fallback;
    const cellHeight = px("--cell-h", 300);
    const minWidth = px("--cell-min-w", 300);
    this.gap = px("--cell-gap", 16);
    const pad = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const width = Math.max(0, this.scroller.clientWidth - pad);
    this.viewHeight = this.scroller.clientHeight;
    this.columns = Math.max(1, Math.floor((width + this.gap) / (minWidth + this.gap)));
    this.cellWidth = (width - this.gap * (this.columns - 1)) / this.columns;
    this.cellHeight = cellHeight;
    this.rowHeight = cellHeight + this.gap;
    this.measured = width > 0;
    this.sizeSizer();
  }

  sizeSizer() {
    const rows = Math.ceil(this.items.length / this.columns);
    this.sizer.style.height = `${Math.max(0, rows * this.rowHeight - this.gap)}px`;
  }

  schedule() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.render();
    });
  }

  render(refill = false, top = this.scroller.scrollTop) {
    this.top = top;
    const height = this.viewHeight || window.innerHeight;
    const firstRow = Math.max(0, Math.floor(top / this.rowHeight) - 1);
    // Two rows ahead below: the keypad's Down and a finger scrolling down both find the next cards laid out.
    const lastRow = Math.ceil((top + height) / this.rowHeight) + 2;
    const first = firstRow * this.columns;
    const last = Math.min(this.items.length, lastRow * this.columns);
    const wanted = new Map();
    for (let i = first; i < last; i += 1) wanted.set(this.key(this.items[i]), i);
    for (const [key, cell] of this.shown) {
      if (!wanted.has(key)) {
        cell.hidden = true;
        this.shown.delete(key);
        this.pool.push(cell);
      }
    }
    for (const [key, i] of wanted) {
      const item = this.items[i];
      let cell = this.shown.get(key);
      const fresh = !cell;
      if (fresh) {
        cell = this.pool.pop();
        if (!cell) {
          cell = this.create();
          cell.style.position = "absolute";
          this.sizer.append(cell);
        }
        cell.hidden = false;
        this.shown.set(key, cell);
      }
      if (fresh || refill || cell._item !== item) {
        cell._item = item;
        this.update(cell, item);
      }
      const row = Math.floor(i / this.columns);
      const column = i % this.columns;
      cell.style.transform = `translate(${column * (this.cellWidth + this.gap)}px, ${row * this.rowHeight}px)`;
      cell.style.width = `${this.cellWidth}px`;
      cell.style.height = `${this.cellHeight}px`;
      cell.setAttribute("aria-posinset", String(i + 1));
      cell.setAttribute("aria-setsize", String(this.items.length));
    }
  }
}
