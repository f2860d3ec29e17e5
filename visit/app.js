// The visitor's own phone: the hall in a pocket, opened from a QR poster, no app and no account. One page
// with a view per address (#/find, #/product/SKU, #/cart, #/order/CODE, #/demos, #/book/SLOT,
// #/ticket/ID, #/plan/BOOTH, #/mine), so the phone's back button goes back. The phone asks the hub for an
// anonymous session, connects as a `visitor`, and watches only what its screen shows.
import { HallLink } from "/common/hall.js";
import { Demos } from "./demos.js";
import { Feedback } from "./feedback.js";
import { Finder } from "./find.js";
import { applyStaticStrings, errorText, language, loadLanguages, otherLanguage, setLanguage, t, tCount } from "./i18n.js";
import { Mine } from "./mine.js";
import { Orders } from "./orders.js";
import { PlanView } from "./plan.js";
import { dropSession, ensureSession } from "./session.js";
import { Watcher } from "./watch.js";

// Asked as the module loads, beside the words and the session: the catalog is the largest read of a first visit.
const catalogAsked = fetch("/api/visit/catalog");
const $ = (id) => document.getElementById(id);
const VIEWS = ["find", "product", "cart", "order", "demos", "book", "ticket", "plan", "mine"];
const NAV = { find: "find", product: "find", cart: "cart", order: "mine", demos: "demos", book: "demos",
  ticket: "mine", plan: "plan", mine: "mine" };
const RETRY_READ_MS = 5000;

const settings = { hold_minutes: 15, demos: { max_party: 4 }, hall: null };
const link = new HallLink({ role: "visitor", sync: false, pushes: ["changes", "mine"], query: { visitor: "1" } });
const route = { view: "find", arg: "" };
const go = (path) => { location.hash = `#${path}`; };

const watcher = new Watcher(link, () => ({
  skus: finder.watched(route.view),
  slots: demos.watched(route.view),
}));
const orders = new Orders({ link, products: (sku) => finder.product(sku), go, holdMinutes: () => settings.hold_minutes });
const finder = new Finder({ watcher, cart: orders, go });
const demos = new Demos({ link, watcher, go, maxParty: () => settings.demos.max_party || 4 });
const plan = new PlanView({ firmsAt: (booth) => finder.firmsAt(booth) });
const mine = new Mine({ link, orders, demos, go });
const feedback = new Feedback(link);

function readRoute() {
  const [, view = "find", ...rest] = location.hash.replace(/^#/, "").split("/");
  route.view = VIEWS.includes(view) ? view : "find";
  route.arg = decodeURIComponent(rest.join("/"));
}

function show() {
  readRoute();
  const { view, arg } = route;
  for (const name of VIEWS) $(`${name}-view`).hidden = name !== view;
  for (const item of document.querySelectorAll(".nav-item")) {
    if (item.id === `nav-${NAV[view]}`) item.setAttribute("aria-current", "page");
    else item.removeAttribute("aria-current");
  }
  if (view === "product") finder.open(arg);
  else finder.close();
  if (view === "order") orders.open(arg);
  else orders.close();
  if (view === "cart") orders.renderCart();
  if (view === "demos") demos.openList();
  else if (view === "book") demos.openBook(arg);
  else if (view === "ticket") demos.openTicket(arg);
  else demos.view = "";
  if (view === "plan") plan.open(arg);
  if (view === "mine") mine.render();
  if (view === "find") finder.render();
  watcher.refresh();
  window.scrollTo(0, 0);
}

function renderLink() {
  const status = $("link-status");
  status.dataset.state = link.state;
  status.textContent = t(`link.${link.state}`);
}

function notice(text) {
  const node = $("notice");
  node.hidden = !text;
  node.textContent = text || "";
}

function renderCartCount() {
  const n = orders.count();
  $("cart-count").textContent = n ? tCount("nav.cart_count", n) : "";
}

function renderLanguage() {
  applyStaticStrings();
  const other = otherLanguage();
  const button = $("lang-btn");
  button.lang = other;
  button.textContent = t(`language.switch_${other}`);
  document.title = t("app.title");
  if (settings.hall) $("hall-name").textContent = language.current === "ko" ? settings.hall.name : settings.hall.name_en || settings.hall.name;
  renderLink();
  renderCartCount();
  finder.renderCategories();
  feedback.mount($("order-feedback"), "order");
  feedback.mount($("mine-feedback"), "attract");
  show();
}

/** Read something by HTTP until it comes (the service worker answers from its copy when the link is down). */
async function readUntilDone(read, onFail) {
  for (;;) {
    try {
      await read();
      return;
    } catch (err) {
      onFail();
      await new Promise((resolve) => { setTimeout(resolve, RETRY_READ_MS); });
    }
  }
}

/** Get a session (a new one when `why` says the last was refused) and connect; the notice says what happened. */
async function startLink(why = "") {
  const session = await ensureSession(link, (error) => {
    renderLink();
    notice(error.code === "offline" ? t("session.offline") : `${t("session.waiting")} ${errorText(error)}`);
  });
  notice(why ? t(why) : "");
  $("views").dataset.visitor = session.visitor || "";
  link.connect();
}

function wire() {
  window.addEventListener("hashchange", show);
  $("lang-btn").addEventListener("click", () => {
    setLanguage(otherLanguage());
    renderLanguage();
  });
  link.addEventListener("state", renderLink);
  // Back online after a drop: read the catalog again (the service worker's copy at once, a 304 from the hub
  // behind); not on the first connect, which comes just after the first read.
  let connects = 0;
  link.addEventListener("ready", () => {
    connects += 1;
    if (connects > 1 && finder.loaded) finder.load().catch(() => {});
  });
  // An expired or revoked session is refused at connect: say so and start a new one.
  link.addEventListener("revoked", () => {
    dropSession();
    startLink("session.renewed");
  });
  watcher.addEventListener("changed", (event) => {
    finder.onStock(event.detail.skus);
    if (event.detail.slots.length) demos.onSlots();
  });
  orders.addEventListener("cart", () => {
    renderCartCount();
    finder.render();
  });
  orders.addEventListener("orders", () => { if (route.view === "mine") mine.render(); });
  demos.addEventListener("tickets", () => { if (route.view === "mine") mine.render(); });
}

async function readSettings() {
  const answer = await fetch("/api/screen-settings");
  if (!answer.ok) throw new Error(`settings ${answer.status}`);
  Object.assign(settings, await answer.json());
}

function registerServiceWorker() {
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/visit/sw.js", { scope: "/visit/" }).catch(() => {});
}

async function boot() {
  await loadLanguages();
  wire();
  renderLanguage();
  registerServiceWorker();
  readSettings().then(renderLanguage).catch(() => {});
  startLink();
  let asked = catalogAsked;
  readUntilDone(() => finder.load(asked), () => {
    asked = undefined; // the next try asks again
    if (!finder.loaded) $("result-count").textContent = t("find.not_loaded");
  });
  readUntilDone(() => demos.load(), () => { if (!demos.loaded) $("demos-note").textContent = t("demos.not_loaded"); });
  document.body.dataset.ready = "true";
}

boot();
