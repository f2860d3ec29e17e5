// A list that draws only the rows in view: 2,200 search results cost as much as twenty.

export class VirtualList {
  constructor(container, { rowHeight, renderRow, overscan = 4 }) {
    this.container = container;
    this.rowHeight = rowHeight;
    this.renderRow = renderRow; // (element, item, index) fills a row element
    this.overscan = overscan;
    this.items = [];
    this.active = -1;
    this.spacer = document.createElement("div");
    this.spacer.className = "vlist-spacer";
    this.container.append(this.spacer);
    this.rows = new Map(); // index -> element
    this.pool = [];
    this.frame = 0;
    this.container.addEventListener("scroll", () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.container);
  }

  setItems(items) {
    this.items = items;
    this.active = items.length ? 0 : -1;
    this.spacer.style.height = `${items.length * this.rowHeight}px`;
    this.container.scrollTop = 0;
    for (const [, el] of this.rows) this._release(el);
    this.rows.clear();
    this.draw();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Redraw the rows in view (after a stock change, say). */
  refresh() {
    for (const [index, el] of this.rows) this._fill(el, index);
  }

  setActive(index) {
    if (!this.items.length) return;
    this.active = Math.max(0, Math.min(this.items.length - 1, index));
    const top = this.active * this.rowHeight;
    const view = this.container.clientHeight;
    if (top < this.container.scrollTop) this.container.scrollTop = top;
    else if (top + this.rowHeight > this.container.scrollTop + view) this.container.scrollTop = top + this.rowHeight - view;
    this.draw();
    this.refresh();
  }

  get activeItem() {
    return this.items[this.active] || null;
  }

  _release(el) {
    el.remove();
    this.pool.push(el);
  }

  _fill(el, index) {
    el.style.transform = `translateY(${index * this.rowHeight}px)`;
    el.classList.toggle("active", index === this.active);
    el.dataset.index = String(index);
    this.renderRow(el, this.items[index], index);
  }

  draw() {
    const height = this.container.clientHeight || 400;
    const first = Math.max(0, Math.floor(this.container.scrollTop / this.rowHeight) - this.overscan);
    const last = Math.min(this.items.length - 1, Math.ceil((this.container.scrollTop + height) / this.rowHeight) + this.overscan);
    for (const [index, el] of this.rows) {
      if (index < first || index > last) {
        this._release(el);
        this.rows.delete(index);
      }
    }
    for (let index = first; index <= last; index++) {
      if (this.rows.has(index)) continue;
      const el = this.pool.pop() || document.createElement("div");
      el.className = "vlist-row";
      el.style.height = `${this.rowHeight}px`;
      this._fill(el, index);
      this.container.append(el);
      this.rows.set(index, el);
    }
  }
}
