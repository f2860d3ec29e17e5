// The visitor kiosk: pairing, attract, browse and search, live stock, cart, order (hold) with its code,
// QR, countdown and slip, idle reset, feedback. Catalog text from 650 firms is only ever set with
// textContent or setAttribute, never parsed as HTML.
import { HallLink, newId, pairingCodeInAddress } from "/common/hall.js";
import { make } from "/common/dom.js";
import { Access, MORE_TIME } from "./access.js";
import { DemoBooking } from "./demos.js";
import { FeedbackBox } from "./feedback.js";
import { VirtualGrid } from "./grid.js";
import { initialOf, searchEitherLayout } from "/common/hangul.js";
import {
  DEFAULT_LANG, applyStaticStrings, bothCount, has, korean, language, loadLanguages, locale, nextLanguage, number, setBoth,
  t, tCount, won,
} from "./i18n.js";
import { IdleWatch } from "./idle.js";
import { Keyboard } from "./keyboard.js";
import { OrderScreen } from "./order.js";
import { showPicture } from "./pictures.js";
import { pinIcon } from "/common/plan.js";
import { HallPlan } from "./plan.js";
import { buildIndex, search } from "/common/search.js";

const PAIR_KEYS = "ACDEFGHJKMNPQRTUVWXY34679";
// storage_unavailable: the hub's disk takes no writes, so nothing was recorded; like an outage, try again.
const TRANSIENT = new Set(["offline", "timeout", "internal", "storage_unavailable", "writer_unreachable"]);
const DEFAULT_SETTINGS = {
  hall: { name: "", name_en: "" },
  kiosk: { idle_seconds: 90, idle_warning_seconds: 20, max_qty_per_line: 10 },
  hold_minutes: 15, low_stock_threshold: 5,
};

const $ = (id) => document.getElementById(id);
const query = new URLSearchParams(location.search);

// A paired kiosk asks for the catalog while its strings and settings load (the listing is public).
let earlyCatalog = localStorage.getItem("hall.token.kiosk") ? fetchCatalog().catch(() => null) : null;

const state = {
  settings: DEFAULT_SETTINGS,
  catalogLoaded: false,
  catalogError: false,
  products: [],
  bySku: new Map(),
  skuSeq: new Map(), // the seq of the last stock.changed applied to each product
  index: null,
  firms: [],
  firmsByName: new Map(),
  firmIndex: null,
  categories: [],
  query: "",
  category: "",
  firm: null,
  tab: "products",
  cart: new Map(), // sku → qty, in the order added
  fresh: false, // stock is known to be current (connected and caught up)
  ordering: false,
  reviewing: false, // the out-of-stock dialog is open: the hub's numbers stand until the visitor decides
  attempt: null, // {id, key}: a retried order keeps its hold_id
  prints: new Map(), // hold code → latest print event data
  screen: "boot",
  visit: 0, // counts visitors: an answer that arrives after a start-over belongs to nobody on screen
};

let link;
let productGrid;
let firmGrid;
let searchKeyboard;
let idle;
let orderFeedback;
let attractFeedback;
let orderScreen;
let demoBooking;
let hallPlan;
let access;

// Performance marks for bench/kiosk_page.py: each once per page load, after the frame that shows it.
const marked = new Set();
function markOnce(name) {
  if (marked.has(name)) return;
  marked.add(name);
  requestAnimationFrame(() => setTimeout(() => performance.mark(name), 0));
}

// ---------------------------------------------------------------- strings

function applyStrings() {
  applyStaticStrings();
  document.title = t("page.title");
  const hall = state.settings.hall;
  const hallName = korean() ? hall.name : (hall.name_en || hall.name);
  $("hall-name").textContent = hallName || t("page.title");
  const attractHall = $("attract-hall");
  attractHall.replaceChildren(make("span", "", hall.name || ""));
  if (hall.name_en && hall.name_en !== hall.name) {
    const english = make("span", "second-lang", hall.name_en);
    english.lang = "en";
    attractHall.append(english);
  }
  const next = nextLanguage();
  for (const langButton of [$("lang-btn"), $("feedback-lang"), $("demos-lang"), $("plan-lang")]) {
    langButton.textContent = t("language.name", null, next);
    langButton.lang = next;
    langButton.setAttribute("aria-label", t("top.language", { name: t("language.name", null, next) }));
  }
}

// ---------------------------------------------------------------- catalog text in the visitor's language

const nameOf = (p) => (korean() ? p.name : p.name_en || p.name);
const otherNameOf = (p) => (korean() ? p.name_en : p.name);
const firmOf = (p) => (korean() ? p.firm : p.firm_en || p.firm);
// The demo program names firms in Korean only; the catalog knows their English names.
const firmNameOf = (firm) => (korean() ? firm : state.firmsByName.get(firm)?.firm_en || firm);
const categoryName = (code) => (has(`category.${code}`) ? t(`category.${code}`) : code);
const tagName = (code) => (has(`tag.${code}`) ? t(`tag.${code}`) : code);

// ---------------------------------------------------------------- the hall plan

/** The firms at a booth in the visitor's language: exhibitors from the catalog, and demos' firms. */
function firmsAt(booth) {
  const names = state.firms.filter((firm) => firm.booths.includes(booth))
    .map((firm) => (korean() ? firm.firm : firm.firm_en || firm.firm));
  for (const firm of demoBooking.firmsAt(booth)) names.push(firmNameOf(firm));
  return names;
}

function openPlan(booths) {
  hallPlan.open(booths, state.screen);
}

/** A booth button: the pin and the booth's code; it opens the plan with the booth marked. */
function makeBoothButton(className, onClick) {
  const button = makeButton(`btn btn-booth ${className}`, "", onClick);
  button.append(pinIcon(), make("span", "booth-code"));
  return button;
}

function setBoothButton(button, booth, label) {
  button.querySelector(".booth-code").textContent = booth;
  button.setAttribute("aria-label", label);
}

// ---------------------------------------------------------------- small DOM helpers

function makeButton(className, text, onClick) {
  const button = make("button", className, text);
  button.type = "button";
  button.addEventListener("click", onClick);
  return button;
}

// ---------------------------------------------------------------- screens

function show(screen) {
  state.screen = screen;
  $("boot").hidden = true;
  $("pair-screen").hidden = screen !== "pair";
  if (screen === "pair") $("pair-code").value ||= pairingCodeInAddress();
  $("attract-screen").hidden = screen !== "attract";
  $("order-screen").hidden = screen !== "order";
  $("demos-screen").hidden = screen !== "demos";
  $("plan-screen").hidden = screen !== "plan";
  $("access-screen").hidden = screen !== "access";
  const app = $("app");
  app.hidden = screen === "pair";
  // The shop stays laid out under the attract and order screens, so a touch shows it at once.
  app.inert = screen !== "browse";
  if (["browse", "order", "demos", "plan", "access"].includes(screen)) {
    if (!idle.running) idle.start();
  } else {
    idle.stop();
    closeDialog($("idle-dialog"));
  }
  renderAttractStatus();
  access.screenShown(spokenFacts(screen));
  if (screen === "attract") markOnce("kiosk:attract");
}

/** What the voice guide says with a screen's name: the order's code, time and total; the booth on the plan. */
function spokenFacts(screen) {
  const order = orderScreen && orderScreen.order;
  if (screen === "order" && order) {
    return { code: [...order.code].join(" "), time: order.expires_at.slice(11, 16), total: won(order.total) };
  }
  if (screen === "plan") return { where: `${$("plan-booth").textContent} ${$("plan-firms").textContent}`.trim() };
  return {};
}

/** Escape on the keypad, and the simple screen's Back: one step back, never losing the cart. */
function goBack() {
  const openKeyboard = [...document.querySelectorAll("#search-keyboard, .fb-keyboard")].find((box) => !box.hidden
    && !box.closest("[hidden], [inert]"));
  if (openKeyboard) {
    if (openKeyboard.id === "search-keyboard") {
      closeSearchKeyboard();
      $("search").focus({ preventScroll: true });
      closeSearchKeyboard(); // focusing the search box opens it again
    } else {
      openKeyboard.hidden = true;
    }
    return;
  }
  const screen = state.screen;
  if (screen === "plan") $("plan-back").click();
  else if (screen === "access") closeAccessInfo();
  else if (screen === "order") $("order-done").focus();
  else if (screen === "demos") {
    const view = demoBooking.view;
    if (view === "party") $("demo-change").click();
    else if (view === "ticket") $("demo-done").focus();
    else $("demos-shop").click();
  } else if (screen === "browse") {
    if (state.firm) $("firm-filter-clear").click();
    else if (state.tab === "firms") $("tab-products").click();
    else if (state.query) $("search-clear").click();
    else if (!state.cart.size) startOver();
    else $("home-btn").focus();
  }
}

/** The parts of the page a visitor can reach now: an open dialog alone, else the screen and the dock. */
function reachable() {
  const dialogs = document.querySelectorAll("dialog[open]");
  if (dialogs.length) return [dialogs[dialogs.length - 1]];
  const screen = state.screen === "browse" ? $("app") : $(`${state.screen}-screen`);
  return [screen, $("dock")];
}

let accessFrom = "attract";

function openAccessInfo() {
  accessFrom = state.screen;
  show("access");
  $("access-close").focus();
}

function closeAccessInfo() {
  show(accessFrom);
}

/** A mode changed: the grids' cells follow the text size, the simple screen has no directory tab. */
function onModes(modes) {
  fitIdle();
  if (modes.simple && state.tab === "firms") setTab("products");
  for (const grid of [productGrid, firmGrid]) {
    grid.measure();
    grid.refresh();
  }
}

/** Any accessibility mode on, or a call to staff open: the visitor gets more time before starting over. */
function fitIdle() {
  const { idleSeconds, warnSeconds } = state.idle;
  const more = access.any ? MORE_TIME : 1;
  idle.idleMs = idleSeconds * 1000 * more;
  idle.warnMs = warnSeconds * 1000 * (access.any ? 2 : 1);
  idle.held = access.waitingForStaff;
  document.body.dataset.idleSeconds = String(idleSeconds * more);
}

function closeDialog(dialog) {
  if (dialog.open) dialog.close();
}

// ---------------------------------------------------------------- pairing

function buildPairKeys() {
  const box = $("pair-keys");
  const input = $("pair-code");
  const put = (value) => {
    input.value = value.slice(0, 12);
    $("pair-status").replaceChildren();
  };
  for (const ch of PAIR_KEYS) {
    const key = makeButton("key", ch, () => {
      const raw = input.value.replace(/[^A-Za-z0-9]/g, "").toUpperCase();
      const next = raw + ch;
      put(next.length > 4 ? `${next.slice(0, 4)}-${next.slice(4, 8)}` : next);
    });
    box.append(key);
  }
  const back = makeButton("key key-wide", "⌫", () => {
    put(input.value.replace(/-$/, "").slice(0, -1).replace(/-$/, ""));
  });
  back.dataset.i18nLabel = "keyboard.backspace";
  const clear = makeButton("key key-wide", "", () => put(""));
  clear.dataset.i18n = "keyboard.clear";
  box.append(back, clear);
}

async function submitPairing(event) {
  event.preventDefault();
  const code = $("pair-code").value.trim();
  const status = $("pair-status");
  status.className = "pair-status";
  if (!code) {
    status.classList.add("error");
    setBoth(status, "pair.error.empty");
    return;
  }
  $("pair-submit").disabled = true;
  setBoth(status, "pair.working");
  try {
    await link.pair(code);
    $("pair-code").value = "";
    status.replaceChildren();
    $("pair-revoked").hidden = true;
    startLinked();
  } catch (err) {
    status.classList.add("error");
    const key = `pair.error.${err.code}`;
    if (has(key)) setBoth(status, key);
    else setBoth(status, "pair.error.other", { code: err.code || "?" });
  } finally {
    $("pair-submit").disabled = false;
  }
}

function onRevoked() {
  startOver({ toScreen: "pair" });
  $("pair-revoked").hidden = false;
  state.fresh = false;
  renderLink();
}

// ---------------------------------------------------------------- catalog and live stock

async function fetchCatalog() {
  const response = await fetch("/api/products", { cache: "no-store" });
  if (!response.ok) throw new Error(`catalog: HTTP ${response.status}`);
  return response.json();
}

async function loadCatalogUntilDone() {
  for (;;) {
    try {
      const early = earlyCatalog && await earlyCatalog;
      earlyCatalog = null;
      const body = early || await fetchCatalog();
      performance.mark("kiosk:catalog-fetched");
      applyCatalog(body);
      state.catalogError = false;
      return body.seq;
    } catch (err) {
      state.catalogError = true;
      renderResults();
      renderAttractStatus();
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

// "농업회사법인 (주)가람푸드" is filed under 가: the legal form is not the name.
const LEGAL_FORM = /^\s*(\(주\)|㈜|주식회사|\(유\)|유한회사|\(사\)|사단법인|\(재\)|재단법인|농업회사법인|영농조합법인|\(합\)|협동조합)\s*/;

function legalFormless(name) {
  let rest = name;
  for (let i = 0; i < 4 && LEGAL_FORM.test(rest); i += 1) rest = rest.replace(LEGAL_FORM, "");
  return rest || name;
}

/** A listing from the hub at `seq`; live counts newer than it are kept. */
function applyCatalog({ seq, products }) {
  for (const product of products) {
    const known = state.bySku.get(product.sku);
    if (known && (state.skuSeq.get(product.sku) || 0) > seq) {
      product.available = known.available;
      product.on_hand = known.on_hand;
    }
  }
  state.products = products;
  state.bySku = new Map(products.map((p) => [p.sku, p]));
  // The whole catalog shows without an index; it is built when the page is next idle (or at the first search).
  state.index = null;
  const firms = new Map();
  const categories = new Map();
  for (const p of products) {
    let firm = firms.get(p.firm);
    if (!firm) {
      firm = { firm: p.firm, firm_en: p.firm_en, booths: [], count: 0, sortKo: legalFormless(p.firm) };
      firms.set(p.firm, firm);
    }
    if (!firm.booths.includes(p.booth)) firm.booths.push(p.booth);
    firm.count += 1;
    categories.set(p.category, (categories.get(p.category) || 0) + 1);
  }
  state.firms = [...firms.values()];
  state.firmsByName = firms;
  state.firmIndex = null;
  state.categories = [...categories.keys()];
  state.catalogLoaded = true;
  markOnce("kiosk:grid-ready");
  for (const sku of [...state.cart.keys()]) if (!state.bySku.has(sku)) state.cart.delete(sku);
  renderCategories();
  renderResults({ keepScroll: true });
  renderCart();
  renderAttractStatus();
  if (demoBooking) demoBooking.render();
  const later = window.requestIdleCallback || ((fn) => setTimeout(fn, 200));
  later(() => { productIndex(); firmIndex(); }, { timeout: 2000 });
}

function productIndex() {
  if (!state.index) {
    state.index = buildIndex(state.products, (p) => [p.name, p.name_en, p.firm, p.firm_en, p.booth]);
  }
  return state.index;
}

/** Firms in the visitor's language's order (without legal forms), and their search index. */
function firmIndex() {
  if (!state.firmIndex || state.firmIndex.lang !== language.current) {
    const collator = new Intl.Collator(locale());
    const key = korean() ? (f) => f.sortKo : (f) => f.firm_en || f.firm;
    state.firms.sort((a, b) => collator.compare(key(a), key(b)));
    state.firmIndex = buildIndex(state.firms, (f) => [f.firm, f.firm_en, f.booths.join(" ")]);
    state.firmIndex.lang = language.current;
  }
  return state.firmIndex;
}

function onStockChanged(event) {
  const { seq, data } = event.detail;
  const product = state.bySku.get(data.sku);
  if (!product) return;
  state.skuSeq.set(data.sku, seq);
  if (product.available === data.available && product.on_hand === data.on_hand) return;
  product.available = data.available;
  product.on_hand = data.on_hand;
  productGrid.refreshKey(data.sku);
  if (state.cart.has(data.sku)) reconcileCart();
}

/** Lines that ask for more than is left shrink, and sold-out lines go, with a word to the visitor. */
function reconcileCart() {
  if (state.ordering || state.reviewing || (state.attempt && state.attempt.uncertain)) return;
  const notes = [];
  for (const [sku, qty] of state.cart) {
    const product = state.bySku.get(sku);
    const left = Math.max(0, product.available);
    if (qty <= left) continue;
    if (left === 0) {
      state.cart.delete(sku);
      notes.push(t("cart.note_sold_out", { name: nameOf(product) }));
    } else {
      state.cart.set(sku, left);
      notes.push(tCount("cart.note_limited", left, { name: nameOf(product) }));
    }
    productGrid.refreshKey(sku);
  }
  if (notes.length) {
    const notice = $("cart-notice");
    notice.textContent = notes.join(" ");
    notice.hidden = false;
    renderCart();
  }
}

// ---------------------------------------------------------------- the link to the hub

function setFresh(fresh) {
  state.fresh = fresh;
  if (fresh) markOnce("kiosk:live");
  document.body.classList.toggle("stale", !fresh);
  renderLink();
  renderOrderButton();
}

async function onReady() {
  // HallLink has caught up (or tried to): ask once more, so "fresh" means a sync answered.
  try {
    await link.catchUp();
    setFresh(true);
    flushFeedback();
    demoBooking.load();
    // An order whose answer was lost is asked again (same hold_id): the hub answers as the first time.
    if (state.attempt && state.attempt.uncertain && state.screen === "browse") placeOrder();
  } catch (err) {
    setFresh(false);
    setTimeout(() => { if (link.state === "online" && !state.fresh) onReady(); }, 1500);
  }
}

function renderLink() {
  const pill = $("link-status");
  const linkState = link ? link.state : "connecting";
  let key = "link.connecting";
  if (linkState === "online") key = state.fresh ? "link.online" : "link.syncing";
  else if (linkState === "offline") key = "link.offline";
  pill.textContent = t(key);
  pill.dataset.state = state.fresh ? "online" : linkState;
  const banner = $("stale-banner");
  banner.hidden = state.fresh || !state.catalogLoaded;
  banner.textContent = linkState === "offline" ? t("link.stale") : t("link.checking");
  renderAttractStatus();
}

function startLinked() {
  show("attract");
  (async () => {
    if (!state.catalogLoaded) {
      // Let the attract screen paint before the catalog is laid out under it.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const seq = await loadCatalogUntilDone();
      // Events after the listing come through sync from here; nothing before it is replayed.
      link.lastSeq = Math.max(link.lastSeq, seq);
    }
    if (!link.socket) {
      link.connect();
      link.socket.on("connect_error", (err) => {
        // The hub refuses a revoked token at connect. docs/protocol.md says the message is "unauthorized"
        // (HallLink handles that); today's hub raises the built-in ConnectionRefusedError, which
        // python-socketio reports as "Connection refused by server". Its only refusal is a bad token.
        if (err && err.message === "Connection refused by server" && link.paired) {
          link.forget();
          link.dispatchEvent(new CustomEvent("revoked"));
        }
      });
    }
  })();
}

function onPrintEvent(event) {
  const { type, data } = event.detail;
  if (data.kind !== "order_slip") return;
  // Every screen hears every printer; keep the latest few slips (ours is among them), not the whole day.
  state.prints.delete(data.ref);
  state.prints.set(data.ref, { state: type.slice("print.".length), ...data });
  if (state.prints.size > 200) state.prints.delete(state.prints.keys().next().value);
  if (orderScreen.code === data.ref) orderScreen.renderPrint();
}

// ---------------------------------------------------------------- browse: categories, firms, search

function renderCategories() {
  const box = $("categories");
  const chips = [{ code: "", label: t("categories.all") }];
  const sorted = state.categories.map((code) => ({ code, label: categoryName(code) }));
  sorted.sort((a, b) => a.label.localeCompare(b.label, locale()));
  chips.push(...sorted);
  box.replaceChildren(...chips.map(({ code, label }) => {
    const chip = makeButton("chip", label, () => {
      state.category = code;
      renderCategories();
      renderResults();
    });
    chip.dataset.category = code;
    chip.setAttribute("aria-pressed", String(state.category === code));
    return chip;
  }));
}

function keepProduct() {
  const { category, firm } = state;
  if (!category && !firm) return null;
  return (p) => (!category || p.category === category) && (!firm || p.firm === firm);
}

function renderResults({ keepScroll = false } = {}) {
  const started = performance.now();
  const count = $("result-count");
  const empty = $("products-empty");
  if (!state.catalogLoaded) {
    count.textContent = t(state.catalogError ? "products.error" : "products.loading");
    count.classList.toggle("error", state.catalogError);
    empty.hidden = true;
    return;
  }
  count.classList.remove("error");
  if (state.tab === "products") {
    const keep = keepProduct();
    const everything = keep ? state.products.filter(keep) : state.products;
    // A visitor searching wants what can be bought: a sold-out product never heads the results.
    const { found: list, query } = state.query
      ? searchEitherLayout(state.query, (q) => search(productIndex(), q, keep, (p) => p.available > 0))
      : { found: everything, query: "" };
    productGrid.setItems(list, { keepScroll });
    // A query typed on the other keyboard layout is shown as it was meant ("fhqht" → 로봇).
    if (!state.query) count.textContent = tCount("products.count", list.length);
    else if (query === state.query) count.textContent = tCount("products.count_query", list.length, { query });
    else count.textContent = tCount("products.count_other_layout", list.length, { query });
    empty.hidden = list.length > 0;
    empty.textContent = t("products.none");
    document.dispatchEvent(new CustomEvent("kiosk:results", {
      detail: { query: state.query, count: list.length, ms: performance.now() - started },
    }));
  } else {
    const { found: list } = searchEitherLayout(state.query, (q) => search(firmIndex(), q));
    firmGrid.setItems(list, { keepScroll });
    $("firm-count").textContent = tCount("firms.count", list.length);
    renderFirmJump(list);
    empty.hidden = list.length > 0;
    empty.textContent = t("firms.none");
  }
  const firm = state.firm && state.firms.find((f) => f.firm === state.firm);
  $("firm-filter").hidden = !firm;
  if (firm) {
    $("firm-filter-text").textContent = t("firm.filter", {
      firm: korean() ? firm.firm : firm.firm_en || firm.firm, booth: firm.booths.join(", "),
    });
  }
}

const JUMP_KO = "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ";
const JUMP_EN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const PLAIN_INITIAL = { "ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ" };

function firmInitial(firm) {
  if (korean()) {
    const initial = initialOf(firm.sortKo[0] || "");
    return PLAIN_INITIAL[initial] || initial;
  }
  return (firm.firm_en || firm.firm).trim().charAt(0).toUpperCase();
}

/** ㄱ ㄴ ㄷ … (or A B C …): one tap to the first firm filed under it. */
function renderFirmJump(list) {
  const first = new Map();
  list.forEach((firm, i) => {
    const initial = firmInitial(firm);
    if (!first.has(initial)) first.set(initial, i);
  });
  $("firm-jump").replaceChildren(...[...(korean() ? JUMP_KO : JUMP_EN)].map((letter) => {
    const key = makeButton("chip jump-key", letter, () => firmGrid.scrollToIndex(first.get(letter)));
    key.disabled = !first.has(letter);
    key.setAttribute("aria-label", t("firms.jump_to", { letter }));
    return key;
  }));
}

function setTab(tab) {
  state.tab = tab;
  for (const [id, name] of [["tab-products", "products"], ["tab-firms", "firms"]]) {
    $(id).setAttribute("aria-selected", String(tab === name));
    $(id).tabIndex = tab === name ? 0 : -1;
  }
  $("product-panel").hidden = tab !== "products";
  $("firm-panel").hidden = tab !== "firms";
  $("search").placeholder = t(tab === "firms" ? "search.placeholder_firms" : "search.placeholder");
  renderResults();
}

function chooseFirm(firm) {
  state.firm = firm.firm;
  state.category = "";
  state.query = "";
  $("search").value = "";
  $("search-clear").hidden = true;
  renderCategories();
  setTab("products");
}

function onSearchInput() {
  state.query = $("search").value;
  renderResults();
  $("search-clear").hidden = !state.query;
}

function openSearchKeyboard() {
  const box = $("search-keyboard");
  if (!box.hidden) return;
  searchKeyboard.setLayout(korean() ? "ko" : "en");
  box.hidden = false;
  // While typing, the results get the room the category chips had.
  document.querySelector(".shop").classList.add("typing");
}

function closeSearchKeyboard() {
  $("search-keyboard").hidden = true;
  document.querySelector(".shop").classList.remove("typing");
}

// ---------------------------------------------------------------- product cards

function createCard() {
  const card = make("article", "card");
  card.setAttribute("role", "listitem");
  // The picture says nothing the name does not: alt="" keeps screen readers to the name.
  const pictureBox = make("div", "card-pic-box");
  const picture = make("img", "card-pic");
  picture.alt = "";
  picture.decoding = "async";
  pictureBox.append(picture);
  const badges = make("div", "badges");
  const name = make("h3", "card-name");
  const other = make("p", "card-other");
  const firm = make("p", "card-firm");
  const firmName = make("span", "firm-name");
  const booth = make("span", "booth");
  firm.append(firmName, booth);
  const badgeList = [make("span", "badge"), make("span", "badge"), make("span", "badge")];
  badges.append(...badgeList);
  const meta = make("div", "card-meta");
  const price = make("p", "card-price");
  const stock = make("p", "card-stock");
  meta.append(price, stock);
  const inCart = make("p", "card-incart");
  pictureBox.append(inCart);
  const add = makeButton("btn btn-add", "", () => addToCart(card._item.sku));
  const where = makeBoothButton("card-where", () => openPlan([card._item.booth]));
  const actions = make("div", "card-actions");
  actions.append(where, add);
  card.append(pictureBox, badges, name, other, firm, meta, actions);
  card._parts = { picture, badges, badgeList, name, other, firm, firmName, booth, price, stock, inCart, add, where };
  return card;
}

function updateCard(card, p) {
  const parts = card._parts;
  // What a product says about itself changes only with the language; stock and cart change often.
  if (card._sku !== p.sku || card._lang !== language.current || card._plan !== hallPlan.plan) {
    card._sku = p.sku;
    card._lang = language.current;
    card._plan = hallPlan.plan;
    card.dataset.sku = p.sku;
    showPicture(parts.picture, p);
    parts.name.textContent = nameOf(p);
    parts.other.textContent = otherNameOf(p) || "";
    parts.firmName.textContent = firmOf(p);
    parts.booth.textContent = t("card.booth", { booth: p.booth });
    // On the plan, the booth is a button to it; off the plan (or with none), it stays words.
    const onPlan = hallPlan.has(p.booth);
    parts.booth.hidden = onPlan;
    parts.where.hidden = !onPlan;
    if (onPlan) setBoothButton(parts.where, p.booth, t("card.where_named", { booth: p.booth, name: nameOf(p) }));
    parts.badgeList.forEach((badge, i) => {
      const tag = p.tags[i];
      badge.hidden = !tag;
      if (!tag) return;
      badge.className = `badge badge-${tag === "innovative-product" ? "innovative" : "tag"}`;
      badge.textContent = tagName(tag);
    });
    parts.price.textContent = won(p.price);
  }
  const left = Math.max(0, p.available);
  const soldOut = left === 0;
  const qty = state.cart.get(p.sku) || 0;
  const limit = limitFor(p);
  const shown = `${left}|${qty}|${limit}`;
  if (card._shown === shown && card._shownLang === language.current) return;
  card._shown = shown;
  card._shownLang = language.current;
  card.classList.toggle("sold-out", soldOut);
  const low = !soldOut && left <= state.settings.low_stock_threshold;
  parts.stock.className = `card-stock${soldOut ? " out" : low ? " low" : ""}`;
  parts.stock.textContent = soldOut ? t("card.sold_out")
    : t(low ? "card.left_low" : "card.left", { n: number(left) });
  parts.stock.dataset.available = String(left);
  parts.inCart.textContent = qty ? t("card.in_cart", { n: number(qty) }) : "";
  parts.inCart.hidden = !qty;
  const add = parts.add;
  add.disabled = soldOut || qty >= limit;
  add.textContent = soldOut ? t("card.sold_out") : qty >= limit ? t("card.max") : t("card.add");
  const label = soldOut ? "card.sold_out_named" : qty >= limit ? "card.max_named" : "card.add_named";
  add.setAttribute("aria-label", t(label, { name: nameOf(p) }));
}

function createFirmRow() {
  const row = make("article", "firm-row");
  row.setAttribute("role", "listitem");
  const button = makeButton("firm-button", "", () => chooseFirm(row._item));
  const name = make("span", "firm-row-name");
  const other = make("span", "firm-row-other");
  const booth = make("span", "firm-row-booth");
  const count = make("span", "firm-row-count");
  button.append(name, other, booth, count);
  const where = makeBoothButton("firm-where", () => openPlan(row._item.booths));
  row.append(button, where);
  row._parts = { name, other, booth, count, button, where };
  return row;
}

function updateFirmRow(row, firm) {
  const parts = row._parts;
  row.dataset.firm = firm.firm;
  parts.name.textContent = korean() ? firm.firm : firm.firm_en || firm.firm;
  parts.other.textContent = korean() ? firm.firm_en : firm.firm;
  parts.booth.textContent = t("card.booth", { booth: firm.booths.join(", ") });
  parts.count.textContent = tCount("firms.products", firm.count);
  const onPlan = firm.booths.some((booth) => hallPlan.has(booth));
  parts.where.hidden = !onPlan;
  row.classList.toggle("on-plan", onPlan);
  if (onPlan) {
    setBoothButton(parts.where, firm.booths.join(", "), t("firms.where_named", {
      booth: firm.booths.join(", "), firm: parts.name.textContent }));
  }
}

// ---------------------------------------------------------------- cart

function limitFor(product) {
  return Math.max(0, Math.min(product.available, state.settings.kiosk.max_qty_per_line));
}

function setQty(sku, qty) {
  if (state.ordering) return;
  const product = state.bySku.get(sku);
  if (!product) return;
  const capped = Math.min(qty, limitFor(product));
  if (capped <= 0) state.cart.delete(sku);
  else state.cart.set(sku, capped);
  $("cart-notice").hidden = true;
  $("order-status").textContent = "";
  $("order-status").classList.remove("error");
  state.attempt = null;
  productGrid.refreshKey(sku);
  renderCart();
  access.cart({ name: nameOf(product), qty: Math.max(0, capped), total: won(cartTotal().total) });
}

function addToCart(sku) {
  setQty(sku, (state.cart.get(sku) || 0) + 1);
}

function cartTotal() {
  let total = 0;
  let count = 0;
  for (const [sku, qty] of state.cart) {
    total += state.bySku.get(sku).price * qty;
    count += qty;
  }
  return { total, count };
}

function renderCart() {
  const { total, count } = cartTotal();
  $("cart-title").textContent = count ? t("cart.title_count", { n: number(count) }) : t("cart.title");
  $("cart-empty").hidden = state.cart.size > 0;
  const lines = [];
  for (const [sku, qty] of state.cart) {
    const p = state.bySku.get(sku);
    const line = make("li", "cart-line");
    line.dataset.sku = sku;
    const info = make("div", "cart-line-info");
    info.append(make("p", "cart-line-name", nameOf(p)),
      make("p", "cart-line-price",
        t("cart.line_price", { price: won(p.price), n: number(qty), amount: won(p.price * qty) })));
    const controls = make("div", "qty");
    const minus = makeButton("btn qty-btn", "−", () => setQty(sku, qty - 1));
    minus.setAttribute("aria-label", t("cart.less", { name: nameOf(p) }));
    const shown = make("span", "qty-value", number(qty));
    const plus = makeButton("btn qty-btn", "+", () => setQty(sku, qty + 1));
    plus.setAttribute("aria-label", t("cart.more", { name: nameOf(p) }));
    plus.disabled = qty >= limitFor(p);
    const remove = makeButton("btn qty-remove", t("cart.remove"), () => setQty(sku, 0));
    remove.setAttribute("aria-label", t("cart.remove_named", { name: nameOf(p) }));
    for (const button of [minus, plus, remove]) button.disabled ||= state.ordering;
    controls.append(minus, shown, plus, remove);
    line.append(info, controls);
    lines.push(line);
  }
  $("cart-lines").replaceChildren(...lines);
  $("cart-total").textContent = won(total);
  renderOrderButton();
}

function renderOrderButton() {
  const button = $("order-btn");
  const { total } = cartTotal();
  button.disabled = !state.cart.size || !state.fresh || state.ordering;
  button.textContent = state.ordering ? t("order.placing") : t("cart.order", { total: won(total) });
  const status = $("order-status");
  if (!state.fresh && state.cart.size) {
    status.textContent = t("order.offline");
    status.classList.add("error");
  } else if (status.dataset.offline === "1") {
    status.textContent = "";
    status.classList.remove("error");
  }
  status.dataset.offline = !state.fresh && state.cart.size ? "1" : "";
}

// ---------------------------------------------------------------- order (hold)

async function placeOrder() {
  if (state.ordering || !state.fresh || !state.cart.size) return;
  const lines = [...state.cart].map(([sku, qty]) => ({ sku, qty }));
  const key = JSON.stringify(lines);
  // A retry after a lost answer keeps the same hold_id: the hub holds once.
  if (!state.attempt || state.attempt.key !== key) state.attempt = { id: newId(), key };
  const status = $("order-status");
  status.classList.remove("error");
  status.textContent = t("order.placing");
  state.ordering = true;
  renderCart();
  const visit = state.visit;
  try {
    const answer = await link.command("hold", { hold_id: state.attempt.id, lines }, { timeout: 10000 });
    if (visit !== state.visit) return; // that visitor has gone; the hold expires on its own
    state.ordering = false;
    state.attempt = null;
    state.cart.clear();
    status.textContent = "";
    renderCart();
    productGrid.refresh();
    openOrder(answer.hold);
  } catch (err) {
    if (visit !== state.visit) return;
    state.ordering = false;
    status.classList.add("error");
    if (err.code === "out_of_stock") {
      state.attempt = null;
      status.textContent = t("order.error.out_of_stock");
      renderCart();
      showShortages(err.details.lines || []);
      return;
    }
    if (err.code === "unknown_product") {
      state.attempt = null;
      state.cart.delete(err.details.sku);
      status.textContent = t("order.error.unknown_product");
    } else if (TRANSIENT.has(err.code)) {
      // The hold may have been made and only its answer lost: until the same hold_id is asked again,
      // our own held units must not read as "sold elsewhere" and shrink the cart.
      state.attempt.uncertain = true;
      status.textContent = t("order.error.retry");
    } else {
      state.attempt = null;
      status.textContent = t("order.error.other", { code: err.code });
    }
    renderCart();
    reconcileCart();
  }
}

function showShortages(short) {
  state.reviewing = true;
  const list = $("oos-lines");
  list.replaceChildren(...short.map((line) => {
    const product = state.bySku.get(line.sku);
    const name = product ? nameOf(product) : line.sku;
    const item = make("li", "oos-line");
    item.dataset.sku = line.sku;
    const text = make("p", "oos-text");
    text.append(make("strong", "", name), make("span", "", line.available
      ? t("oos.line", { requested: number(line.requested), available: number(line.available) })
      : t("oos.line_none", { requested: number(line.requested) })));
    const take = makeButton("btn oos-take", line.available
      ? t("oos.take", { n: number(line.available) }) : t("oos.remove"), () => {
      takeWhatIsLeft([line]);
      item.classList.add("done");
      take.disabled = true;
      take.textContent = line.available ? t("oos.taken", { n: number(line.available) }) : t("oos.removed");
    });
    take.setAttribute("aria-label", line.available
      ? t("oos.take_named", { n: number(line.available), name }) : t("oos.remove_named", { name }));
    item.append(text, take);
    return item;
  }));
  const shortSkus = new Set(short.map((line) => line.sku));
  const anythingLeft = [...state.cart.keys()].some((sku) => !shortSkus.has(sku)) || short.some((l) => l.available > 0);
  $("oos-order").disabled = !anythingLeft;
  $("oos-order").onclick = () => {
    takeWhatIsLeft(short);
    closeShortages();
    placeOrder();
  };
  $("oos-dialog").showModal();
}

function takeWhatIsLeft(lines) {
  for (const line of lines) {
    if (!state.cart.has(line.sku)) continue;
    if (line.available > 0) state.cart.set(line.sku, Math.min(line.available, state.cart.get(line.sku)));
    else state.cart.delete(line.sku);
    productGrid.refreshKey(line.sku);
  }
  state.attempt = null;
  $("order-status").textContent = "";
  renderCart();
}

function closeShortages() {
  closeDialog($("oos-dialog"));
  state.reviewing = false;
}

function openOrder(hold) {
  orderFeedback.reset();
  orderScreen.open(hold);
  show("order");
  $("order-done").focus();
}

// ---------------------------------------------------------------- feedback

const OUTBOX = "kiosk.feedback.outbox";

function outbox() {
  try {
    return JSON.parse(localStorage.getItem(OUTBOX) || "[]");
  } catch (err) {
    return [];
  }
}

function sendFeedback(payload) {
  localStorage.setItem(OUTBOX, JSON.stringify([...outbox(), payload]));
  flushFeedback();
}

let flushing = false;

/** Deliver queued ratings; each keeps its feedback_id, so a retry never counts twice. */
async function flushFeedback() {
  if (flushing || !link || link.state !== "online") return;
  flushing = true;
  try {
    for (const item of outbox()) {
      try {
        await link.command("feedback", item);
      } catch (err) {
        if (TRANSIENT.has(err.code)) break;
      }
      localStorage.setItem(OUTBOX, JSON.stringify(outbox().filter((x) => x.feedback_id !== item.feedback_id)));
    }
  } finally {
    flushing = false;
  }
}

// ---------------------------------------------------------------- language, contrast, idle, start over

function setLanguage(lang) {
  if (!language.list.includes(lang)) return;
  language.current = lang;
  applyStrings();
  renderCategories();
  productGrid.refresh();
  firmGrid.refresh();
  renderResults({ keepScroll: true });
  renderCart();
  renderLink();
  searchKeyboard.draw();
  orderFeedback.render();
  attractFeedback.render();
  renderAttract();
  setTab(state.tab);
  orderScreen.render();
  demoBooking.render();
  hallPlan.render();
  access.render();
  const idleDialog = $("idle-dialog");
  if (idleDialog.open) $("idle-text").textContent = tCount("idle.text", Number($("idle-count").textContent));
}

function setContrast(on) {
  document.body.classList.toggle("hc", on);
  for (const id of ["contrast-btn", "attract-contrast"]) $(id).setAttribute("aria-pressed", String(on));
}

function renderAttract() {
  const box = $("attract-langs");
  box.replaceChildren(...language.list.map((code) => {
    const button = makeButton("btn btn-lang", t("language.name", null, code), () => {
      setLanguage(code);
      enterShop();
    });
    button.lang = code;
    button.dataset.lang = code;
    return button;
  }));
}

function renderAttractStatus() {
  const status = $("attract-status");
  if (!status) return;
  let key = "attract.stats";
  if (state.catalogError) key = "attract.catalog_error";
  else if (!state.catalogLoaded) key = "attract.loading";
  else if (link && link.state === "offline") key = "link.offline";
  else if (!state.fresh) key = "link.connecting";
  status.dataset.state = key;
  setBoth(status, key, {
    firms: bothCount("attract.firms", state.firms.length), products: bothCount("attract.products", state.products.length),
  });
}

function enterShop() {
  show("browse");
}

function startIdleWarning(seconds) {
  $("idle-count").textContent = String(seconds);
  $("idle-text").textContent = tCount("idle.text", seconds);
  for (const dialog of document.querySelectorAll("dialog[open]")) if (dialog.id !== "idle-dialog") dialog.close();
  state.reviewing = false;
  $("idle-dialog").showModal();
  $("idle-continue").focus();
  access.idleWarning(seconds, true);
}

function tickIdleWarning(seconds) {
  if ($("idle-count").textContent === String(seconds)) return;
  $("idle-count").textContent = String(seconds);
  $("idle-text").textContent = tCount("idle.text", seconds);
  access.idleWarning(seconds, false);
}

function stillHere() {
  idle.resume();
  closeDialog($("idle-dialog"));
}

/** The next visitor sees nothing of this one: cart, search, order, feedback, language, contrast. */
function startOver({ toScreen = "attract" } = {}) {
  orderFeedback.flush();
  attractFeedback.flush();
  idle.stop();
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
  state.reviewing = false;
  state.visit += 1;
  state.ordering = false;
  state.cart.clear();
  state.attempt = null;
  orderScreen.clear();
  demoBooking.clear();
  hallPlan.clear();
  for (const id of ["order-status", "cart-notice"]) $(id).textContent = "";
  $("cart-notice").hidden = true;
  $("search").value = "";
  $("search-clear").hidden = true;
  closeSearchKeyboard();
  state.query = "";
  state.category = "";
  state.firm = null;
  orderFeedback.reset();
  attractFeedback.reset();
  access.reset();
  setContrast(false);
  setLanguage(DEFAULT_LANG);
  setTab("products");
  renderCategories();
  productGrid.scroller.scrollTop = 0;
  firmGrid.scroller.scrollTop = 0;
  renderCart();
  show(toScreen);
}

// ---------------------------------------------------------------- wiring

function wire() {
  $("pair-form").addEventListener("submit", submitPairing);
  $("attract-start").addEventListener("click", enterShop);
  $("attract-feedback").addEventListener("click", () => {
    attractFeedback.reset();
    $("feedback-dialog").showModal();
  });
  $("feedback-lang").addEventListener("click", () => setLanguage(nextLanguage()));
  $("feedback-close").addEventListener("click", () => {
    attractFeedback.flush();
    closeDialog($("feedback-dialog"));
  });
  $("feedback-dialog").addEventListener("close", () => {
    attractFeedback.flush();
    // The attract screen is everyone's: the next visitor starts in the default language.
    if (state.screen === "attract") setLanguage(DEFAULT_LANG);
  });
  const toggleContrast = () => setContrast(!document.body.classList.contains("hc"));
  $("attract-contrast").addEventListener("click", toggleContrast);
  $("contrast-btn").addEventListener("click", toggleContrast);
  $("lang-btn").addEventListener("click", () => setLanguage(nextLanguage()));
  $("home-btn").addEventListener("click", () => startOver());
  const searchBox = $("search");
  searchBox.addEventListener("input", onSearchInput);
  searchBox.addEventListener("pointerdown", openSearchKeyboard);
  searchBox.addEventListener("focus", () => { if (state.screen === "browse") openSearchKeyboard(); });
  $("search-clear").addEventListener("click", () => {
    searchBox.value = "";
    onSearchInput();
  });
  $("tab-products").addEventListener("click", () => setTab("products"));
  $("tab-firms").addEventListener("click", () => setTab("firms"));
  $("firm-filter-clear").addEventListener("click", () => {
    state.firm = null;
    renderResults();
  });
  $("order-btn").addEventListener("click", placeOrder);
  $("oos-back").addEventListener("click", closeShortages);
  $("oos-dialog").addEventListener("cancel", () => { state.reviewing = false; });
  $("oos-dialog").addEventListener("close", () => { state.reviewing = false; reconcileCart(); });
  $("order-done").addEventListener("click", () => startOver());
  $("attract-demos").addEventListener("click", () => demoBooking.open());
  $("demos-btn").addEventListener("click", () => demoBooking.open());
  $("demos-shop").addEventListener("click", enterShop);
  $("demos-home").addEventListener("click", () => startOver());
  $("demos-lang").addEventListener("click", () => setLanguage(nextLanguage()));
  $("plan-lang").addEventListener("click", () => setLanguage(nextLanguage()));
  $("plan-home").addEventListener("click", () => startOver());
  $("demo-done").addEventListener("click", () => startOver());
  $("attract-about").addEventListener("click", openAccessInfo);
  $("access-close").addEventListener("click", closeAccessInfo);
  $("idle-continue").addEventListener("click", stillHere);
  $("idle-reset").addEventListener("click", () => startOver());
  $("idle-dialog").addEventListener("cancel", (event) => { event.preventDefault(); stillHere(); });
  $("idle-dialog").addEventListener("pointerdown", (event) => {
    if (event.target === $("idle-dialog")) stillHere(); // a touch outside the box
  });
  // Any touch is a sign of life (the warning itself is answered only by its buttons).
  for (const type of ["pointerdown", "keydown", "input", "wheel", "touchstart"]) {
    document.addEventListener(type, () => idle.poke(), { capture: true, passive: true });
  }
  document.addEventListener("scroll", () => idle.poke(), { capture: true, passive: true });

  link.addEventListener("state", () => {
    if (link.state !== "online") setFresh(false);
    else renderLink();
    demoBooking.linkChanged();
  });
  link.addEventListener("ready", onReady);
  link.addEventListener("revoked", onRevoked);
  link.addEventListener("stock.changed", onStockChanged);
  link.addEventListener("catalog.loaded", async () => {
    try {
      applyCatalog(await fetchCatalog());
      reconcileCart();
    } catch (err) {
      state.catalogError = true;
      renderAttractStatus();
    }
  });
  for (const type of ["print.queued", "print.printed", "print.failed"]) {
    link.addEventListener(type, onPrintEvent);
    link.addEventListener(type, (event) => demoBooking.onPrint(event));
  }
  link.addEventListener("slot.changed", (event) => demoBooking.onSlotChanged(event));
  link.addEventListener("demos.loaded", () => demoBooking.load());
}

function numberParam(name, fallback) {
  const value = Number(query.get(name));
  return query.has(name) && Number.isFinite(value) && value > 0 ? value : fallback;
}

function registerServiceWorker() {
  // Needs a secure context: http://127.0.0.1 or localhost, or HTTPS on a hall LAN (README).
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/kiosk/sw.js", { scope: "/kiosk/" }).catch(() => {});
}

async function boot() {
  registerServiceWorker();
  const [, settings] = await Promise.all([
    loadLanguages(),
    fetch("/api/screen-settings").then((r) => (r.ok ? r.json() : DEFAULT_SETTINGS)).catch(() => DEFAULT_SETTINGS),
  ]);
  state.settings = { ...DEFAULT_SETTINGS, ...settings, kiosk: { ...DEFAULT_SETTINGS.kiosk, ...settings.kiosk } };
  // ?idle=3&warn=2 shortens the idle times (for tests and for staff checking the screen).
  const idleSeconds = numberParam("idle", state.settings.kiosk.idle_seconds);
  const warnSeconds = numberParam("warn", state.settings.kiosk.idle_warning_seconds);
  state.idle = { idleSeconds, warnSeconds };
  idle = new IdleWatch({
    idleMs: idleSeconds * 1000, warnMs: warnSeconds * 1000,
    onWarn: startIdleWarning, onTick: tickIdleWarning, onTimeout: () => startOver(),
  });

  link = new HallLink({ role: "kiosk" });
  productGrid = new VirtualGrid($("products"), {
    create: createCard, update: updateCard, key: (p) => p.sku,
  });
  firmGrid = new VirtualGrid($("firms"), {
    create: createFirmRow, update: updateFirmRow, key: (f) => f.firm,
  });
  searchKeyboard = new Keyboard($("search-keyboard"), {
    t, layout: DEFAULT_LANG, onClose: closeSearchKeyboard,
  });
  searchKeyboard.attach($("search"));
  const currentLang = () => language.current;
  orderFeedback = new FeedbackBox($("order-feedback"), { t, context: "order", send: sendFeedback, lang: currentLang });
  attractFeedback = new FeedbackBox($("attract-feedback-box"), {
    t, context: "attract", send: sendFeedback, lang: currentLang,
  });
  orderScreen = new OrderScreen({ link, prints: state.prints, holdMinutes: () => state.settings.hold_minutes,
    onCountdown: (seconds) => access.countdown(seconds) });
  access = new Access({
    link, screen: () => state.screen, roots: reachable, back: goBack, home: () => startOver(), changed: onModes,
  });
  fitIdle();
  demoBooking = new DemoBooking({
    link, maxParty: () => (state.settings.demos && state.settings.demos.max_party) || 4, onShow: () => show("demos"),
    firmName: firmNameOf,
    onBoothPlan: (booth) => (hallPlan.has(booth) ? () => openPlan([booth]) : null),
  });
  hallPlan = new HallPlan({
    onShow: () => show("plan"), onBack: (screen) => show(screen), firmsAt, deviceName: () => link.deviceName,
  });
  hallPlan.load().then((known) => {
    if (!known) return;
    productGrid.refresh();
    firmGrid.refresh();
    demoBooking.render();
  });
  buildPairKeys();
  wire();
  applyStrings();
  renderAttract();
  renderCategories();
  renderCart();
  renderLink();
  setFresh(false);
  renderResults();
  if (link.paired) startLinked();
  else show("pair");
}

boot().catch((err) => {
  const box = $("boot");
  box.hidden = false;
  box.classList.add("error");
  const ko = make("p", "", "키오스크를 시작하지 못했습니다. 직원에게 알려 주세요.");
  const en = make("p", "", `The kiosk could not start; please tell staff. (${err.message})`);
  en.lang = "en";
  box.replaceChildren(ko, en);
  setTimeout(() => location.reload(), 10000);
});
