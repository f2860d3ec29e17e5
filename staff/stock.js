// The live stock table: every product of the hall, searchable and filterable, patched row by row from
// stock.changed. Only the rows in view exist in the DOM (about 30 of 2,200); `rows` maps each shown sku to
// its row element, so an event touches at most the few cells of one row and never redraws the table.
import { newId } from "/common/hall.js";
import { initials, searchEitherLayout } from "/common/hangul.js";
import { lang, named, num, otherNamed, t, won } from "./i18n.js";
import { PanelStatus } from "./status.js";
import { debounce, h, setText, throttle } from "./util.js";

const INITIALS_ONLY = /^[\u3131-\u314e]+$/;

const ROW_H = 48;
const OVERSCAN = 8;
const POOL_MAX = 80;
const $ = (id) => document.getElementById(id);

const COLUMNS = [
  { key: "sku", label: "stock.col.sku" },
  { key: "name", label: "stock.col.product" },
  { key: "firm", label: "stock.col.firm" },
  { key: "price", label: "stock.col.price", num: true },
  { key: "on_hand", label: "stock.col.on_hand", num: true },
  { key: "held", label: "stock.col.held", num: true },
  { key: "available", label: "stock.col.available", num: true },
  { key: "threshold", label: "stock.col.threshold", num: true },
  { key: "actions", label: "stock.col.actions", fixed: true },
];
// Sorting on a live count reorders the table as events come: done at most every REORDER_MS.
const LIVE_SORTS = new Set(["on_hand", "held", "available"]);
const REORDER_MS = 800;
// A changed count is highlighted for about a second. A plain class, set once and cleared by one sweep,
// not an animation: 50 animations a second would keep the main thread styling and painting every frame.
const CHANGED_MS = 1200;
const SWEEP_MS = 300;

export class StockPanel {
  constructor(app) {
    this.app = app;
    this.status = new PanelStatus($("stock-status"));
    this.products = new Map(); // sku → product, with live counts and status
    this.own = new Map(); // sku → the product's own low-stock threshold
    this.ownSeq = new Map(); // sku → seq of the product.threshold event it came from
    this.view = []; // products passing the filter, in order
    this.rows = new Map(); // sku → row element on screen
    this.pool = [];
    this.first = 0;
    this.last = 0;
    this.filter = { text: "", firm: "", category: "", status: "all" };
    this.sort = { key: "sku", dir: 1 };
    this.counts = { low: 0, out: 0 };
    this.loaded = false;
    this.thresholdsKnown = false;
    this.table = $("stock-table");
    this.head = this.table.querySelector(".vhead");
    this.body = this.table.querySelector(".vbody");
    this.empty = this.table.querySelector(".vempty");
    this.viewportH = 600;
    this.frame = 0;
    this.changed = new Map(); // row element → when its highlight ends
    this.selected = null;
    this.sweeper = 0;
    this.reorderSoon = throttle(() => this.refilter({ keepScroll: true }), REORDER_MS);
    this.wire();
    this.buildHead();
  }

  // ------------------------------------------------------------------ wiring

  wire() {
    const search = $("stock-search");
    const typed = debounce(() => {
      this.filter.text = search.value;
      this.refilter();
    }, 120);
    search.addEventListener("input", typed);
    $("stock-firm").addEventListener("change", (e) => {
      this.filter.firm = e.target.value;
      this.refilter();
    });
    $("stock-category").addEventListener("change", (e) => {
      this.filter.category = e.target.value;
      this.refilter();
    });
    for (const button of document.querySelectorAll("#panel-stock [data-status]")) {
      button.addEventListener("click", () => this.setStatusFilter(button.dataset.status));
    }
    this.table.addEventListener("scroll", () => {
      if (!this.frame) this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.renderWindow(false);
      });
    }, { passive: true });
    new ResizeObserver(() => {
      this.viewportH = this.table.clientHeight || this.viewportH;
      this.renderWindow(false);
    }).observe(this.table);
    this.body.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-act]");
      if (!button) return;
      const sku = button.closest(".srow")?.dataset.sku;
      if (!sku) return;
      const act = button.dataset.act;
      if (act === "restock" || act === "adjust") this.app.stockDialog.open(act, sku);
      else if (act === "history") this.app.side.open(sku);
      else if (act === "threshold") this.app.side.open(sku, { focusThreshold: true });
    });
  }

  setStatusFilter(value) {
    this.filter.status = value;
    for (const button of document.querySelectorAll("#panel-stock [data-status]")) {
      button.setAttribute("aria-pressed", String(button.dataset.status === value));
    }
    this.refilter();
  }

  buildHead() {
    const cells = COLUMNS.map((column) => {
      const cell = h("div", { class: `c c-${column.key}${column.num ? " num" : ""}`, role: "columnheader" });
      if (column.fixed) cell.textContent = t(column.label);
      else {
        cell.setAttribute("aria-sort", this.sort.key === column.key
          ? (this.sort.dir > 0 ? "ascending" : "descending") : "none");
        const arrow = this.sort.key === column.key ? (this.sort.dir > 0 ? " ▲" : " ▼") : "";
        cell.append(h("button", { type: "button", class: "sort", text: t(column.label) + arrow,
          on: { click: () => this.sortBy(column.key) } }));
      }
      return cell;
    });
    this.head.replaceChildren(...cells);
  }

  sortBy(key) {
    this.sort = { key, dir: this.sort.key === key ? -this.sort.dir : 1 };
    this.buildHead();
    this.refilter();
  }

  // ------------------------------------------------------------------ data

  loading() {
    if (!this.loaded) this.status.loading("stock.what");
  }

  failed(err) {
    this.status.failed("stock.what", err, () => this.app.retryCatalog());
  }

  /** The catalog's listing: every product with its counts as of the listing's seq. */
  load(listing) {
    this.products.clear();
    for (const product of listing.products) {
      product.search = [product.sku, product.barcode, product.name, product.name_en, product.firm,
        product.firm_en].join("\n").toLowerCase();
      product.initials = initials(`${product.name}\n${product.firm}`);
      product.status = this.statusOf(product);
      this.products.set(product.sku, product);
    }
    this.recount();
    this.loaded = true;
    this.status.clear();
    this.fillChoices();
    this.refilter({ keepScroll: true });
  }

  thresholdOf(sku) {
    const own = this.own.get(sku);
    return own === undefined ? this.app.settings.low_stock_threshold : own;
  }

  statusOf(product) {
    if (product.available <= 0) return "out";
    return product.available <= this.thresholdOf(product.sku) ? "low" : "ok";
  }

  recount() {
    let low = 0;
    let out = 0;
    for (const product of this.products.values()) {
      if (product.status === "out") out += 1;
      else if (product.status === "low") low += 1;
    }
    this.counts = { low, out };
    this.showCounts();
  }

  showCounts() {
    setText($("count-low"), num(this.counts.low + this.counts.out));
    setText($("count-out"), num(this.counts.out));
  }

  /** Re-derive a product's status; keeps the low/out counts in step. True when it changed. */
  restatus(product) {
    const next = this.statusOf(product);
    if (next === product.status) return false;
    for (const [state, delta] of [[product.status, -1], [next, 1]]) {
      if (state === "low") this.counts.low += delta;
      else if (state === "out") this.counts.out += delta;
    }
    product.status = next;
    this.showCounts();
    return true;
  }

  /** stock.changed: patch the product, and its row if it is on screen. Never redraws the table. */
  applyStock(data) {
    const product = this.products.get(data.sku);
    if (!product) return;
    product.on_hand = data.on_hand;
    product.available = data.available;
    product.held = data.on_hand - data.available;
    const moved = this.restatus(product);
    const row = this.rows.get(data.sku);
    if (row) {
      this.patch(row, product);
      this.markChanged(row);
    }
    if ((moved && this.filter.status !== "all") || LIVE_SORTS.has(this.sort.key)) this.reorderSoon();
  }

  /** product.threshold (live or from the log scan): newest seq wins. */
  applyThreshold(event) {
    const { sku, low_stock: threshold } = event.data;
    if ((this.ownSeq.get(sku) ?? 0) >= event.seq) return;
    this.ownSeq.set(sku, event.seq);
    if (threshold === null || threshold === undefined) this.own.delete(sku);
    else this.own.set(sku, threshold);
    const product = this.products.get(sku);
    if (!product) return;
    const moved = this.restatus(product);
    const row = this.rows.get(sku);
    if (row) this.patch(row, product);
    if (moved && this.filter.status !== "all") this.reorderSoon();
    if (this.sort.key === "threshold") this.reorderSoon();
  }

  /**
   * Each product's own threshold is only in the event log (the catalog listing leaves it out), so the
   * log is read once in the background for product.threshold events; live ones arrive as events.
   */
  async scanThresholds(upTo) {
    let since = 0;
    try {
      for (;;) {
        const answer = await this.app.link.command("sync", { since, limit: 2000 }, { timeout: 30000 });
        for (const event of answer.events) if (event.type === "product.threshold") this.applyThreshold(event);
        if (!answer.more || !answer.events.length) break;
        since = answer.events[answer.events.length - 1].seq;
        if (since >= upTo) break;
      }
      this.thresholdsKnown = true;
      if (this.status.state?.kind !== "loading") this.status.clear();
    } catch (err) {
      this.status.failed("stock.thresholds_what", err, () => this.scanThresholds(upTo));
    }
  }

  fillChoices() {
    const collator = new Intl.Collator(lang() === "ko" ? "ko" : "en");
    const firms = new Map();
    const categories = new Set();
    for (const product of this.products.values()) {
      if (!firms.has(product.firm)) firms.set(product.firm, product);
      categories.add(product.category);
    }
    const firmSelect = $("stock-firm");
    const sortedFirms = [...firms.values()].sort((a, b) => collator.compare(named(a, "firm"), named(b, "firm")));
    firmSelect.replaceChildren(h("option", { value: "", text: t("stock.all_firms", { n: num(firms.size) }) }),
      ...sortedFirms.map((p) => h("option", { value: p.firm, text: `${named(p, "firm")} · ${p.booth}` })));
    firmSelect.value = this.filter.firm;
    const categorySelect = $("stock-category");
    categorySelect.replaceChildren(h("option", { value: "", text: t("stock.all_categories") }),
      ...[...categories].sort().map((c) => h("option", { value: c, text: this.categoryName(c) })));
    categorySelect.value = this.filter.category;
  }

  categoryName(category) {
    const key = `category.${category}`;
    const label = t(key);
    return label === key ? category : label;
  }

  comparator() {
    const { key, dir } = this.sort;
    const collator = new Intl.Collator(lang() === "ko" ? "ko" : "en", { numeric: true });
    const bySku = (a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);
    if (key === "sku") return (a, b) => dir * bySku(a, b);
    if (key === "name" || key === "firm") {
      return (a, b) => dir * collator.compare(named(a, key), named(b, key)) || bySku(a, b);
    }
    if (key === "threshold") return (a, b) => dir * (this.thresholdOf(a.sku) - this.thresholdOf(b.sku)) || bySku(a, b);
    return (a, b) => dir * (a[key] - b[key]) || bySku(a, b);
  }

  /** Products passing the filters whose text holds every word of `text` (초성 "ㄹㅂ" finds 로봇 too). */
  matching(text) {
    const { firm, category, status } = this.filter;
    const terms = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const has = (product, term) => product.search.includes(term)
      || (INITIALS_ONLY.test(term) && product.initials.includes(term));
    const view = [];
    for (const product of this.products.values()) {
      if (firm && product.firm !== firm) continue;
      if (category && product.category !== category) continue;
      if (status === "low" && product.status === "ok") continue;
      if (status === "out" && product.status !== "out") continue;
      if (terms.length && !terms.every((term) => has(product, term))) continue;
      view.push(product);
    }
    return view;
  }

  refilter({ keepScroll = false } = {}) {
    if (!this.loaded) return;
    // Typed on the wrong keyboard layout ("fhqht"), a search that finds nothing is read as meant (로봇).
    const { found: view, query } = searchEitherLayout(this.filter.text, (text) => this.matching(text));
    this.searchedAs = query === this.filter.text ? "" : query;
    view.sort(this.comparator());
    this.view = view;
    this.table.setAttribute("aria-rowcount", String(view.length + 1));
    this.body.style.height = `${view.length * ROW_H}px`;
    if (!keepScroll) this.table.scrollTop = 0;
    this.empty.hidden = view.length > 0;
    this.summarize();
    this.renderWindow(true, !keepScroll);
  }

  summarize() {
    const summary = t("stock.summary", { shown: num(this.view.length),
      total: num(this.products.size), threshold: num(this.app.settings.low_stock_threshold) });
    $("stock-summary").textContent = this.searchedAs
      ? `${t("stock.other_layout", { query: this.searchedAs })} · ${summary}` : summary;
  }

  // ------------------------------------------------------------------ rows

  /**
   * Lay out the rows in view. `refill`: the view changed (filter, sort, language), so every shown row is
   * filled again; otherwise (scrolling) rows that stay keep their content and only new ones are filled.
   */
  renderWindow(refill, atTop = false) {
    const scrollTop = atTop ? 0 : this.table.scrollTop;
    const first = Math.max(0, Math.floor(scrollTop / ROW_H) - OVERSCAN);
    const last = Math.min(this.view.length, Math.ceil((scrollTop + this.viewportH) / ROW_H) + OVERSCAN);
    if (!refill && first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    const wanted = new Map();
    for (let i = first; i < last; i += 1) wanted.set(this.view[i].sku, i);
    for (const [sku, row] of this.rows) {
      if (!wanted.has(sku)) {
        this.rows.delete(sku);
        this.release(row);
      }
    }
    const added = document.createDocumentFragment();
    for (const [sku, index] of wanted) {
      let row = this.rows.get(sku);
      const product = this.view[index];
      if (!row) {
        row = this.pool.pop() || this.makeRow();
        row.hidden = false;
        this.fill(row, product);
        this.rows.set(sku, row);
        if (!row.isConnected) added.append(row);
      } else if (refill) {
        this.fill(row, product);
      }
      if (row._index !== index) {
        row._index = index;
        row.style.transform = `translateY(${index * ROW_H}px)`;
        row.setAttribute("aria-rowindex", String(index + 2));
      }
    }
    if (added.childNodes.length) this.body.append(added);
  }

  markChanged(row) {
    if (!this.changed.has(row)) row._changed.classList.add("changed");
    this.changed.set(row, performance.now() + CHANGED_MS);
    if (!this.sweeper) this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
  }

  sweep() {
    const now = performance.now();
    for (const [row, until] of this.changed) {
      if (until <= now) {
        row._changed.classList.remove("changed");
        this.changed.delete(row);
      }
    }
    if (!this.changed.size) {
      clearInterval(this.sweeper);
      this.sweeper = 0;
    }
  }

  /** The product shown in the side panel (or none): its row stays marked while it is on screen. */
  select(sku) {
    this.selected = sku;
    for (const [rowSku, row] of this.rows) row.classList.toggle("selected", rowSku === sku);
  }

  release(row) {
    row._index = -1;
    if (this.pool.length < POOL_MAX) {
      row.hidden = true;
      this.pool.push(row);
    } else {
      row.remove();
    }
  }

  /** Every shown row filled again from scratch: the baseline the benchmark compares a patch with. */
  redrawVisible() {
    this.renderWindow(true);
  }

  makeRow() {
    const line = (cls) => h("span", { class: cls });
    const c = {
      sku: line("l1 mono"), barcode: line("l2 mono"),
      name: line("l1"), name2: line("l2"),
      firm: line("l1"), firm2: line("l2"),
      price: h("span"), onHand: h("span"), held: h("span"),
      avail: h("span", { class: "v" }), badge: h("span", { class: "badge" }),
      thr: h("button", { type: "button", class: "thr", data: { act: "threshold" } }),
      restock: h("button", { type: "button", class: "btn small", data: { act: "restock" } }),
      adjust: h("button", { type: "button", class: "btn small", data: { act: "adjust" } }),
      history: h("button", { type: "button", class: "btn small", data: { act: "history" } }),
    };
    const cell = (cls, ...children) => h("div", { class: `c ${cls}`, role: "cell" }, ...children);
    const row = h("div", { class: "srow", role: "row" },
      cell("c-sku", c.sku, c.barcode),
      cell("c-name", c.name, c.name2),
      cell("c-firm", c.firm, c.firm2),
      cell("c-price num", c.price),
      cell("c-on_hand num", c.onHand),
      cell("c-held num", c.held),
      cell("c-available num", c.badge, c.avail),
      cell("c-threshold num", c.thr),
      cell("c-actions", c.restock, c.adjust, c.history));
    row._c = c;
    row._changed = row.querySelector(".c-available");
    row._index = -1;
    return row;
  }

  fill(row, product) {
    const c = row._c;
    if (row.dataset.sku !== product.sku && this.changed.delete(row)) row._changed.classList.remove("changed");
    row.dataset.sku = product.sku;
    row.classList.toggle("selected", product.sku === this.selected);
    setText(c.sku, product.sku);
    setText(c.barcode, product.barcode);
    setText(c.name, named(product));
    setText(c.name2, otherNamed(product));
    setText(c.firm, named(product, "firm"));
    setText(c.firm2, `${product.booth} · ${this.categoryName(product.category)}`);
    setText(c.price, won(product.price));
    setText(c.restock, t("stock.restock"));
    setText(c.adjust, t("stock.adjust"));
    setText(c.history, t("stock.history"));
    c.thr.title = t("stock.threshold_edit");
    this.patch(row, product);
  }

  /** The live cells of one row: counts, status and threshold. */
  patch(row, product) {
    const c = row._c;
    setText(c.onHand, num(product.on_hand));
    setText(c.held, num(product.held));
    setText(c.avail, num(product.available));
    row.dataset.available = product.available;
    setText(c.thr, num(this.thresholdOf(product.sku)));
    c.thr.classList.toggle("own", this.own.has(product.sku));
    if (row.dataset.status !== product.status) row.dataset.status = product.status;
    setText(c.badge, product.status === "ok" ? "" : t(`stock.badge_${product.status}`));
  }

  relabel() {
    this.buildHead();
    if (!this.loaded) return;
    this.fillChoices();
    this.summarize();
    this.showCounts();
    this.refilter({ keepScroll: true });
  }
}

/** Restock, count correction and write-off, from a product's row. */
export class StockDialog {
  constructor(app) {
    this.app = app;
    this.dialog = $("stock-dialog");
    this.form = $("stock-form");
    this.qty = $("stock-qty");
    this.reason = $("stock-reason");
    this.error = $("stock-error");
    this.submit = $("stock-submit");
    this.sent = null; // {key, id}: a retried identical request keeps its request_id
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    $("stock-cancel").addEventListener("click", () => this.dialog.close());
    this.form.addEventListener("input", () => this.preview());
    for (const radio of this.form.querySelectorAll("input[name=kind]")) {
      radio.addEventListener("change", () => this.layout(true));
    }
  }

  get kind() {
    return this.form.querySelector("input[name=kind]:checked").value;
  }

  open(mode, sku) {
    const product = this.app.stock.products.get(sku);
    if (!product) return;
    this.mode = mode;
    this.sku = sku;
    this.sent = null;
    this.error.textContent = "";
    this.reason.value = "";
    this.form.querySelector("input[name=kind][value=count]").checked = true;
    this.layout(true);
    this.dialog.showModal();
    this.qty.focus();
    this.qty.select();
  }

  /** Labels and limits for the mode (and the adjust kind); `reset` puts a sensible quantity in. */
  layout(reset) {
    const product = this.app.stock.products.get(this.sku);
    const restock = this.mode === "restock";
    const kind = restock ? "restock" : this.kind;
    $("stock-dialog-title").textContent = t(restock ? "restock.title" : "adjust.title");
    $("stock-dialog-product").textContent = `${named(product)} · ${named(product, "firm")} · ${product.sku}`;
    $("adjust-kinds").hidden = restock;
    $("stock-qty-label").textContent = t(`${kind === "restock" ? "restock" : "adjust"}.qty_${kind}`);
    $("stock-reason-label").textContent = t(restock ? "restock.reason" : "adjust.reason");
    this.reason.required = !restock;
    this.qty.min = kind === "count" ? "0" : "1";
    this.submit.textContent = t(restock ? "restock.submit" : "adjust.submit");
    const suggestions = t(`reasons.${kind}`).split("|");
    $("reason-suggestions").replaceChildren(...suggestions.map((s) => h("option", { value: s })));
    if (reset) this.qty.value = kind === "count" ? String(product.on_hand) : "1";
    this.preview();
  }

  /** Counts now and after, kept current while the dialog is open (sales go on meanwhile). */
  preview() {
    if (!this.sku) return;
    const product = this.app.stock.products.get(this.sku);
    $("stock-dialog-counts").textContent = t("dialog.counts", { on_hand: num(product.on_hand),
      held: num(product.held), available: num(product.available) });
    const qty = Number(this.qty.value);
    const out = $("stock-preview");
    if (!this.qty.value || !Number.isInteger(qty)) {
      out.textContent = "";
      return;
    }
    const kind = this.mode === "restock" ? "restock" : this.kind;
    const after = kind === "restock" ? product.on_hand + qty : kind === "count" ? qty : product.on_hand - qty;
    out.textContent = t("dialog.after", { before: num(product.on_hand), after: num(after) });
    out.classList.toggle("bad", after < product.held);
  }

  refresh(sku) {
    if (this.dialog.open && sku === this.sku) this.preview();
  }

  async send() {
    const restock = this.mode === "restock";
    const qty = Number(this.qty.value);
    const low = !restock && this.kind === "count" ? 0 : 1;
    if (!this.qty.value || !Number.isInteger(qty) || qty < low || qty > 100000) {
      this.error.textContent = t("dialog.bad_qty", { low, high: num(100000) });
      this.qty.focus();
      return;
    }
    const reason = this.reason.value.trim();
    if (!restock && !reason) {
      this.error.textContent = t("adjust.reason_required");
      this.reason.focus();
      return;
    }
    const payload = restock ? { sku: this.sku, qty, reason } : { sku: this.sku, kind: this.kind, qty, reason };
    const key = JSON.stringify(payload);
    if (!this.sent || this.sent.key !== key) this.sent = { key, id: newId() };
    payload.request_id = this.sent.id;
    this.error.textContent = t("dialog.saving");
    this.submit.disabled = true;
    try {
      const answer = await this.app.command(restock ? "restock" : "adjust", payload);
      const product = this.app.stock.products.get(this.sku);
      this.app.toast(t(restock ? "restock.done" : "adjust.done", { name: named(product),
        on_hand: num(answer.on_hand), available: num(answer.available) }), "ok");
      this.dialog.close();
    } catch (err) {
      if (err.code === "sign_in_required") this.dialog.close();
      this.error.textContent = this.app.errorText(err, "stock_error");
    } finally {
      this.submit.disabled = false;
    }
  }
}
