// Finding a product on the phone: search as typed (초성 "ㄹㅂ" finds 로봇, a query typed on the wrong keyboard
// layout too), browse by category or by firm, and one product with its live stock. The catalog is read by
// HTTP (/api/visit/catalog, kept by the service worker); stock comes only through the watch, for the cards
// on screen. Names from 650 firms' CSVs are only ever set with textContent.
import { make } from "/common/dom.js";
import { searchEitherLayout } from "/common/hangul.js";
import { buildIndex, search } from "/common/search.js";
import { has, named, t, tCount, won } from "./i18n.js";

const PAGE = 30; // cards added per "more": a phone scrolls, the hub is asked only for those on screen
const FEW_LEFT = 5;
const $ = (id) => document.getElementById(id);

/** The words for a product's stock as the watch last said it (or that it is being checked). */
export function stockText(value) {
  if (!value) return { text: t("stock.checking"), state: "unknown" };
  if (value.available <= 0) return { text: t("stock.sold_out"), state: "sold-out" };
  if (value.available <= FEW_LEFT) return { text: tCount("stock.few", value.available), state: "few" };
  return { text: tCount("stock.in_stock", value.available), state: "ok" };
}

export class Finder {
  /** watcher: the Watcher; cart: the Orders (add); go(path): route. */
  constructor({ watcher, cart, go }) {
    this.watcher = watcher;
    this.cart = cart;
    this.go = go;
    this.products = [];
    this.bySku = new Map();
    this.index = buildIndex([], () => []);
    this.category = "";
    this.firm = "";
    this.tab = "products";
    this.shownCount = PAGE;
    this.found = [];
    this.onScreen = new Set(); // skus whose cards are in the viewport
    this.sku = null; // the product view's
    this.qty = 1;
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const sku = entry.target.dataset.sku;
        if (entry.isIntersecting) this.onScreen.add(sku);
        else this.onScreen.delete(sku);
      }
      this.watcher.refresh();
    });
    $("search").addEventListener("input", () => { this.shownCount = PAGE; this.render(); });
    $("tab-products").addEventListener("click", () => this.setTab("products"));
    $("tab-firms").addEventListener("click", () => this.setTab("firms"));
    $("more-btn").addEventListener("click", () => { this.shownCount += PAGE; this.render(); });
    $("firm-filter-clear").addEventListener("click", () => { this.firm = ""; this.render(); });
    $("product-back").addEventListener("click", () => history.back());
    $("qty-minus").addEventListener("click", () => this.setQty(this.qty - 1));
    $("qty-plus").addEventListener("click", () => this.setQty(this.qty + 1));
    $("product-add").addEventListener("click", () => this.addToCart());
    $("product-booth").addEventListener("click", () => this.go(`/plan/${this.product(this.sku)?.booth || ""}`));
  }

  product(sku) {
    return this.bySku.get(sku);
  }

  /** Read the catalog; the service worker answers from its copy at once and asks the hub behind. */
  /** Read the catalog (or take the answer to a read already under way). */
  async load(asked = fetch("/api/visit/catalog")) {
    const answer = await asked;
    if (!answer.ok) throw new Error(`catalog ${answer.status}`);
    const { version, products } = await answer.json();
    if (this.loaded && version === this.version) return; // unchanged: no index to build again, no redraw
    this.version = version;
    this.products = products;
    this.bySku = new Map(products.map((p) => [p.sku, p]));
    this.index = buildIndex(products, (p) => [p.name, p.name_en, p.firm, p.firm_en, p.booth]);
    this.renderCategories();
    this.render();
  }

  get loaded() {
    return this.products.length > 0;
  }

  /** The booths' firms, for the plan: names in the visitor's language. */
  firmsAt(booth) {
    return [...new Set(this.products.filter((p) => p.booth === booth).map((p) => named(p, "firm")))];
  }

  /** What the find and product views show, for the watch. */
  watched(view) {
    if (view === "product") return this.sku ? [this.sku] : [];
    if (view === "find" && this.tab === "products") return [...this.onScreen];
    return [];
  }

  setTab(tab) {
    this.tab = tab;
    for (const name of ["products", "firms"]) {
      $(`tab-${name}`).setAttribute("aria-selected", String(name === tab));
      $(`${name}-box`).hidden = name !== tab;
    }
    this.render();
  }

  categoryName(code) {
    return has(`category.${code}`) ? t(`category.${code}`) : code;
  }

  renderCategories() {
    const codes = [...new Set(this.products.map((p) => p.category))];
    const chip = (code, text) => {
      const button = make("button", "chip", text);
      button.type = "button";
      button.dataset.category = code;
      button.setAttribute("aria-pressed", String(code === this.category));
      button.addEventListener("click", () => {
        this.category = code;
        this.shownCount = PAGE;
        this.renderCategories();
        this.render();
      });
      return button;
    };
    $("categories").replaceChildren(chip("", t("find.all")), ...codes.map((code) => chip(code, this.categoryName(code))));
  }

  render() {
    if (this.tab === "firms") this.renderFirms();
    else this.renderProducts();
    if (this.sku) this.renderProduct();
  }

  renderProducts() {
    const query = $("search").value.trim();
    const keep = (p) => (!this.category || p.category === this.category) && (!this.firm || p.firm === this.firm);
    const { found, query: meant } = searchEitherLayout(query, (q) => search(this.index, q, keep));
    this.found = found;
    $("firm-filter").hidden = !this.firm;
    const firm = this.firm && this.products.find((p) => p.firm === this.firm);
    $("firm-filter-name").textContent = firm ? t("find.firm_filter", { firm: named(firm, "firm") }) : "";
    $("result-count").textContent = query
      ? tCount("find.results", found.length, { query: meant }) : tCount("find.count", found.length);
    const shown = found.slice(0, this.shownCount);
    this.observer.disconnect();
    this.onScreen.clear();
    const cards = shown.map((p) => this.card(p));
    $("products").replaceChildren(...cards);
    for (const card of cards) this.observer.observe(card);
    const more = $("more-btn");
    more.hidden = found.length <= shown.length;
    more.textContent = tCount("find.more", Math.min(PAGE, found.length - shown.length));
    this.watcher.refresh();
  }

  card(p) {
    const card = make("li", "card");
    card.dataset.sku = p.sku;
    const open = make("button", "card-open");
    open.type = "button";
    open.append(make("span", "card-name", named(p)), make("span", "card-firm", `${named(p, "firm")} · ${p.booth}`),
      make("span", "card-price", won(p.price)));
    open.addEventListener("click", () => this.go(`/product/${encodeURIComponent(p.sku)}`));
    const stock = make("span", "card-stock stock");
    const add = make("button", "btn btn-add", t("find.add"));
    add.type = "button";
    add.setAttribute("aria-label", t("find.add_named", { name: named(p) }));
    add.addEventListener("click", () => {
      if (!this.cart.add(p.sku, 1)) this.go("/cart"); // an order on its way: the cart says why it waits
    });
    card.append(open, stock, add);
    this.paintStock(card, p.sku);
    return card;
  }

  paintStock(card, sku) {
    const { text, state } = stockText(this.watcher.stock.get(sku));
    const node = card.querySelector(".card-stock");
    node.textContent = text;
    node.dataset.state = state;
    card.querySelector(".btn-add").disabled = state === "sold-out";
  }

  /** The watch said these products changed: repaint only their cards. */
  onStock(skus) {
    for (const sku of skus) {
      const card = $("products").querySelector(`.card[data-sku="${CSS.escape(sku)}"]`);
      if (card) this.paintStock(card, sku);
    }
    if (this.sku && skus.includes(this.sku)) this.renderProduct();
  }

  renderFirms() {
    const firms = new Map();
    for (const p of this.products) {
      const entry = firms.get(p.firm) || { product: p, count: 0, booths: new Set() };
      entry.count += 1;
      entry.booths.add(p.booth);
      firms.set(p.firm, entry);
    }
    const query = $("search").value.trim();
    const index = buildIndex([...firms.values()], (f) => [f.product.firm, f.product.firm_en, ...f.booths]);
    const { found } = searchEitherLayout(query, (q) => search(index, q));
    $("firms").replaceChildren(...found.map((firm) => {
      const row = make("li", "firm-row");
      row.dataset.firm = firm.product.firm;
      const button = make("button", "firm-open");
      button.type = "button";
      button.append(make("span", "firm-name", named(firm.product, "firm")),
        make("span", "firm-count", `${tCount("find.firm_products", firm.count)} · ${[...firm.booths].join(", ")}`));
      button.addEventListener("click", () => {
        this.firm = firm.product.firm;
        $("search").value = "";
        this.setTab("products");
      });
      row.append(button);
      return row;
    }));
    this.watcher.refresh();
  }

  /** The product view for `sku` (from the route). */
  open(sku) {
    if (this.sku !== sku) this.qty = 1;
    this.sku = sku;
    $("product-added").textContent = "";
    this.renderProduct();
  }

  close() {
    this.sku = null;
  }

  setQty(qty) {
    this.qty = Math.max(1, Math.min(qty, this.limit()));
    this.renderProduct();
  }

  limit() {
    const value = this.watcher.stock.get(this.sku);
    return Math.max(1, value ? value.available : 1);
  }

  renderProduct() {
    const p = this.product(this.sku);
    const view = $("product-view");
    if (!p) {
      $("product-name").textContent = this.loaded ? t("find.unknown_product") : t("find.loading");
      for (const id of ["product-firm", "product-price", "product-stock"]) $(id).textContent = "";
      $("product-booth").hidden = true;
      $("product-add").disabled = true;
      return;
    }
    view.dataset.sku = p.sku;
    $("product-name").textContent = named(p);
    $("product-firm").textContent = named(p, "firm");
    $("product-price").textContent = won(p.price);
    const { text, state } = stockText(this.watcher.stock.get(p.sku));
    $("product-stock").textContent = text;
    $("product-stock").dataset.state = state;
    const booth = $("product-booth");
    booth.hidden = false;
    booth.textContent = t("find.booth", { booth: p.booth });
    $("qty-value").textContent = String(this.qty);
    $("qty-minus").disabled = this.qty <= 1;
    $("qty-plus").disabled = this.qty >= this.limit();
    const add = $("product-add");
    add.disabled = state === "sold-out";
    add.textContent = tCount("find.add_qty", this.qty);
  }

  addToCart() {
    const added = this.cart.add(this.sku, this.qty);
    $("product-added").textContent = added ? tCount("find.added", this.cart.qty(this.sku)) : t("cart.locked");
  }
}
