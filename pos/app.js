// The cashier's till: pairing, sign-in, shifts, selling, and the link to the hub.
//
// Everything the cashier does that the hub must record (sales, shift open and
// close) goes through the outbox (outbox.js), written to IndexedDB first, so a
// dropped link or a reload loses nothing and a replay never doubles anything.
import { HallLink, newId, pairingCodeInAddress } from "/common/hall.js";
import * as i18n from "./i18n.js";
import { both, bothBy, bothCount, num, say, t, tCount, won } from "./i18n.js";
import { TillStore } from "./db.js";
import { Outbox } from "./outbox.js";
import { Catalog } from "./catalog.js";
import { Cart } from "./cart.js";
import { Scanner } from "./scanner.js";
import { VirtualList } from "./vlist.js";
import { PrintTracker } from "./printing.js";
import { errorText, isoNow, timeOf } from "./messages.js";
import { $, h, keypads, moneyFields, confirmDialog, amountOf, pinDialog } from "./ui.js";
import { PayScreen } from "./pay.js";
import { RefundScreen } from "./refund.js";
import { Shelf } from "./shelf.js";
import { ShiftClose } from "./shift.js";
import { watchRevocation } from "./revocation.js";

const SESSION_KEY = "pos.session";
const CASHIERS_KEY = "pos.cashiers";
const SETTINGS_KEY = "pos.settings";
const RESULT_ROW = 64;

const pos = {
  link: new HallLink({ role: "pos" }),
  catalog: new Catalog(),
  store: null,
  outbox: null,
  cart: null,
  prints: null,
  scanner: null,
  results: null,
  session: loadSession(),
  settings: JSON.parse(localStorage.getItem(SETTINGS_KEY) || "null"),
  cashiers: JSON.parse(localStorage.getItem(CASHIERS_KEY) || "[]"),
  hubFailures: new Map(), // sale_id -> the hub's record of a refused replay from this till
  catchingUp: false,
  screen: null,
  persistent: null,
};
// Tests and the benchmark look in here; nothing on the page depends on it.
window.__pos = pos;

// ---------------------------------------------------------------- session

function loadSession() {
  try {
    return JSON.parse(localStorage.getItem(SESSION_KEY) || "null") || { cashier: null, shift: null };
  } catch (err) {
    return { cashier: null, shift: null };
  }
}

function saveSession() {
  localStorage.setItem(SESSION_KEY, JSON.stringify(pos.session));
  renderTopbar();
}

pos.saveSession = saveSession;

pos.connected = () => Boolean(pos.link.socket && pos.link.socket.connected);
// Stock counts are only worth showing when they are live.
pos.stockKnown = () => pos.connected() && !pos.catchingUp;

pos.productName = (product) => (i18n.currentLang() === "en" ? product.name_en || product.name : product.name);
pos.firmName = (product) => (i18n.currentLang() === "en" ? product.firm_en || product.firm : product.firm);

pos.message = (message, kind = "") => {
  const el = $("sell-msg");
  const serious = (k) => k === "error" || k === "warn";
  // News (a sale landed) does not push a warning off the screen before it has been read.
  if (message && !serious(kind) && !el.hidden && serious(el.dataset.kind) && Date.now() - pos.messageAt < 10000) return;
  say(el, message, kind);
  pos.messageAt = Date.now();
  clearTimeout(pos.messageTimer);
  if (message && !serious(kind)) {
    pos.messageTimer = setTimeout(() => say(el, null), 8000);
  }
};

// What reached the hub from the outbox (made offline), told once per drain rather than once per sale.
const landed = { receipts: [], closes: [], refused: 0, timer: 0 };

function noteLanded(kind, value) {
  if (kind === "sale") landed.receipts.push(value);
  else if (kind === "close") landed.closes.push(value);
  else landed.refused += 1;
  clearTimeout(landed.timer);
  landed.timer = setTimeout(flushLanded, 300);
}

function flushLanded() {
  const parts = [];
  if (landed.refused) parts.push(both("failures.new"));
  if (landed.receipts.length) {
    const shown = landed.receipts.slice(0, 3).join(", ") + (landed.receipts.length > 3 ? ", …" : "");
    parts.push(bothCount("done.landed", landed.receipts.length, { receipts: shown }));
  }
  for (const name of landed.closes) parts.push(both("close.landed", { name }));
  const kind = landed.refused ? "error" : "ok";
  landed.receipts = [];
  landed.closes = [];
  landed.refused = 0;
  if (!parts.length) return;
  pos.message({ ko: parts.map((p) => p.ko).join(" "), en: parts.map((p) => p.en).join(" ") }, kind);
}

// ---------------------------------------------------------------- boot

async function boot() {
  registerServiceWorker();
  try {
    await i18n.loadAll();
  } catch (err) {
    bootError({ ko: "화면 문구를 불러오지 못했습니다. 허브 연결을 확인하세요.",
                en: "Could not load the screen's words. Check the link to the hub." });
    return;
  }
  i18n.setLang(i18n.currentLang());
  keypads(document);
  moneyFields(document);
  try {
    pos.store = await TillStore.open();
  } catch (err) {
    bootError(both("boot.no_storage"));
    return;
  }
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persist().then((granted) => { pos.persistent = granted; }).catch(() => {});
  }
  pos.outbox = new Outbox(pos.store, pos.link);
  await pos.outbox.load();
  pos.prints = new PrintTracker(pos.link);
  pos.cart = new Cart(pos.catalog);
  pos.scanner = new Scanner({ enabled: () => pos.screen === "sell" });
  loadSettings();
  wireLink();
  wireTopbar();
  wirePair();
  wireSignin();
  wireShift();
  wireSell();
  pos.pay = new PayScreen(pos);
  pos.refund = new RefundScreen(pos);
  pos.shiftClose = new ShiftClose(pos);
  $("boot").hidden = true;
  $("topbar").hidden = false;
  renderTopbar();
  if (!pos.link.paired) {
    showScreen("pair");
    return;
  }
  await startLinked();
}

function bootError(message) {
  say($("boot-error"), message, "error");
}

function registerServiceWorker() {
  // Needs a secure context: http://127.0.0.1 or localhost, or HTTPS on a hall LAN.
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/pos/sw.js", { scope: "/pos/" }).catch(() => {});
}

async function loadSettings() {
  try {
    const answer = await fetch("/api/screen-settings", { cache: "no-store" });
    if (answer.ok) {
      pos.settings = await answer.json();
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(pos.settings));
    }
  } catch (err) {
    // Offline: the settings kept from last time will do.
  }
  renderTopbar();
}

async function startLinked() {
  await loadCatalog();
  pos.cart.restore();
  pos.link.lastSeq = Math.max(pos.link.lastSeq, pos.catalog.seq);
  pos.link.connect();
  watchRevocation(pos.link);
  route();
}

/** The catalog from the hub if it answers, else the copy kept on this device. */
async function loadCatalog() {
  let fresh = null;
  try {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 4000);
    const answer = await fetch("/api/products", { cache: "no-store", signal: controller.signal });
    clearTimeout(timer);
    if (answer.ok) fresh = await answer.json();
  } catch (err) {
    fresh = null;
  }
  if (fresh && Array.isArray(fresh.products)) {
    pos.catalog.load(fresh.products, fresh.seq);
    saveCatalogSoon(0);
    return;
  }
  const kept = await pos.store.get("catalog").catch(() => null);
  if (kept && Array.isArray(kept.products)) pos.catalog.load(kept.products, kept.seq);
}

/** A fresh catalog from the hub; `reset` when the hub's log starts again below what this till has seen. */
async function refreshCatalog(reset = false) {
  try {
    const answer = await pos.link.command("catalog", {});
    pos.catalog.load(answer.products, answer.seq);
    pos.link.lastSeq = reset ? answer.seq : Math.max(pos.link.lastSeq, answer.seq);
    saveCatalogSoon(0);
    renderCart();
    runSearch();
  } catch (err) {
    // The next reconnect tries again.
  }
}

let saveTimer = 0;
let lastSave = 0;
/** Keep the catalog (prices, and stock as last known) on the device, at most every few seconds. */
function saveCatalogSoon(delay = 3000) {
  if (saveTimer) return;
  const wait = Math.max(delay, lastSave + 10000 - Date.now(), 0);
  saveTimer = setTimeout(async () => {
    saveTimer = 0;
    lastSave = Date.now();
    const seq = Math.max(pos.catalog.seq, pos.link.lastSeq);
    await pos.store.set("catalog", { seq, products: pos.catalog.products, saved_at: isoNow() }).catch(() => {});
  }, delay === 0 ? 0 : wait);
}

// ---------------------------------------------------------------- link

function wireLink() {
  const link = pos.link;
  link.addEventListener("state", (event) => {
    if (event.detail === "online") pos.catchingUp = true;
    else pos.catchingUp = false;
    renderLink();
    refreshStockShown();
    if (pos.screen === "signin") renderCashiers();
  });
  link.addEventListener("ready", onReady);
  link.addEventListener("went-back", async () => {
    pos.hubWentBack = true;
    const offered = await pos.outbox.offerAgain();
    // A warning, not news: the hub lost part of the day, and the replays landing right after must not push
    // the why off the screen before the cashier has read it.
    if (offered) pos.message(bothCount("outbox.offer_again", offered), "warn");
  });
  link.addEventListener("revoked", () => {
    pos.session = { cashier: null, shift: pos.session.shift };
    saveSession();
    $("pair-revoked").hidden = false;
    for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
    showScreen("pair");
  });
  link.addEventListener("stock.changed", (event) => {
    if (event.detail.seq <= pos.catalog.seq) return; // already in the catalog snapshot
    const product = pos.catalog.applyStock(event.detail.data);
    if (product) {
      stockChanged(product);
      saveCatalogSoon();
    }
  });
  link.addEventListener("catalog.loaded", () => refreshCatalog());
  link.addEventListener("sale.replay_refused", (event) => {
    const data = event.detail.data;
    if (data.device !== link.deviceName) return;
    pos.hubFailures.set(data.sale_id, { sale_id: data.sale_id, error_code: data.code, error: data.message,
                                        payload: data.sale, at: data.at });
    renderTopbar();
  });
  link.addEventListener("replay.resolved", async (event) => {
    // Staff dealt with a refused offline sale: it leaves this till's screen.
    const saleId = event.detail.data.sale_id;
    pos.hubFailures.delete(saleId);
    const entry = pos.outbox.refused.find((e) => e.id === saleId);
    if (entry) await pos.outbox.forget(entry);
    renderTopbar();
  });
  link.addEventListener("cashier.locked", (event) => {
    const data = event.detail.data;
    const known = pos.cashiers.find((c) => c.cashier_id === data.cashier_id);
    if (known) known.locked_until = data.until;
    renderCashiers();
  });
  link.addEventListener("sign_in.unlocked", (event) => {
    // Staff, or a supervisor at this till, lifted a lock: the name is chosen again without waiting it out.
    const data = event.detail.data;
    if (data.kind !== "cashier" || (data.device && data.device !== link.deviceName)) return;
    const known = pos.cashiers.find((c) => c.cashier_id === data.person);
    if (known) known.locked_until = null;
    renderCashiers();
    offerUnlock();
  });
  for (const type of ["hold.consumed", "hold.expired", "hold.released"]) {
    link.addEventListener(type, (event) => holdClosedElsewhere(type, event.detail.data));
  }
  pos.outbox.addEventListener("change", () => {
    renderTopbar();
  });
  pos.outbox.addEventListener("done", (event) => {
    const { entry, answer, waited } = event.detail;
    if (entry.kind === "checkout") pos.shelf.soon(); // the best sellers may have moved
    if (waited) return;
    // Something made offline has reached the hub.
    if (entry.kind === "checkout") {
      pos.pay.landed(entry, answer.sale);
      noteLanded("sale", answer.sale.receipt_no);
    } else if (entry.kind === "shift_close") {
      pos.shiftClose.landed(entry, answer.report);
      noteLanded("close", answer.report.cashier);
    }
  });
  pos.outbox.addEventListener("refused", () => {
    renderTopbar();
    noteLanded("refused");
  });
}

async function onReady() {
  pos.catchingUp = false;
  renderLink();
  refreshStockShown();
  const reset = pos.hubWentBack || (await hubWasReset());
  pos.hubWentBack = false;
  await Promise.allSettled([refreshCashiers(), pos.catalog.size && !reset ? null : refreshCatalog(true)]);
  pos.shelf.refresh();
  await pos.outbox.drain();
  await refreshFailures();
  renderLink();
}

/** A hub started on a fresh data folder numbers its events from 1 again: the kept catalog and seq are not its. */
async function hubWasReset() {
  try {
    const health = await (await fetch("/api/health", { cache: "no-store" })).json();
    return health.seq < pos.link.lastSeq;
  } catch (err) {
    return false;
  }
}

async function refreshCashiers() {
  try {
    const answer = await pos.link.command("cashiers", {});
    pos.cashiers = answer.cashiers;
    localStorage.setItem(CASHIERS_KEY, JSON.stringify(pos.cashiers));
    renderCashiers();
  } catch (err) {
    // Shown from the copy kept last time.
  }
}

/** The hub's list of this till's refused replays is the truth: what staff resolved leaves the screen. */
async function refreshFailures() {
  let answer;
  try {
    answer = await pos.link.command("replay_failures", {});
  } catch (err) {
    return;
  }
  pos.hubFailures = new Map(answer.failures.map((f) => [f.sale_id, f]));
  for (const entry of pos.outbox.refused) {
    if (entry.payload.offline_at && !pos.hubFailures.has(entry.id)) await pos.outbox.forget(entry);
  }
  renderTopbar();
}

/** Every refused replay to show: the hub's records and the ones only this till knows of. */
pos.failures = () => {
  const list = new Map();
  for (const entry of pos.outbox.refused) {
    list.set(entry.id, { sale_id: entry.id, kind: entry.kind, payload: entry.payload, code: entry.error.code,
                         message: entry.error.message, details: entry.error.details, at: entry.refused_at,
                         entry, on_hub: pos.hubFailures.has(entry.id) });
  }
  for (const failure of pos.hubFailures.values()) {
    if (list.has(failure.sale_id)) continue;
    list.set(failure.sale_id, { sale_id: failure.sale_id, kind: "checkout", payload: failure.payload,
                                code: failure.error_code, message: failure.error, details: failure.details,
                                at: failure.at, on_hub: true });
  }
  return [...list.values()];
};

function linkState() {
  if (!pos.link.paired) return "offline";
  if (!pos.connected()) return pos.link.state === "connecting" ? "connecting" : "offline";
  if (pos.outbox.hubCannotSave) return "storage";
  if (pos.catchingUp || pos.outbox.draining || pos.outbox.pendingCount) return "syncing";
  return "online";
}

pos.linkState = linkState;

function renderLink() {
  const state = linkState();
  const pill = $("link-pill");
  pill.dataset.state = state;
  const message = both(`link.${state}`);
  pill.textContent = `${message.ko} · ${message.en}`;
  document.body.dataset.link = state;
}

// ---------------------------------------------------------------- top bar

function wireTopbar() {
  $("lang-btn").addEventListener("click", () => {
    i18n.setLang(i18n.currentLang() === "ko" ? "en" : "ko");
    renderAll();
  });
  $("signout-btn").addEventListener("click", signOut);
  $("pending-pill").addEventListener("click", () => {
    const count = pos.outbox.pendingCount;
    const last = pos.outbox.lastError;
    if (!count) pos.message(both("top.nothing_pending"));
    else if (last) pos.message({ ko: `${both("top.pending_note").ko} (${last.code})`, en: `${both("top.pending_note").en} (${last.code})` }, "warn");
    else pos.message(both("top.pending_note"), "warn");
  });
  $("refused-pill").addEventListener("click", showFailures);
  $("failures-close").addEventListener("click", () => $("failures-dlg").close());
}

function renderTopbar() {
  renderLink();
  $("device-name").textContent = pos.link.deviceName || "";
  const pending = pos.outbox ? pos.outbox.pendingCount : 0;
  const pill = $("pending-pill");
  const text = bothCount("top.pending", pending);
  pill.textContent = `${text.ko} · ${text.en}`;
  pill.dataset.count = String(pending);
  const failures = pos.outbox ? pos.failures().length : 0;
  const refused = $("refused-pill");
  refused.hidden = failures === 0;
  const refusedText = bothCount("top.refused", failures);
  refused.textContent = `${refusedText.ko} · ${refusedText.en}`;
  const who = $("who");
  who.replaceChildren();
  const cashier = pos.session.cashier;
  if (cashier) {
    who.append(h("span", { class: "who-name" }, `${cashier.name} (${cashier.cashier_id})`));
    const shift = pos.session.shift;
    if (shift && shift.cashier_id === cashier.cashier_id) {
      who.append(h("span", { class: "who-shift" }, t("top.shift_since", { time: timeOf(shift.opened_at) })));
    }
  } else {
    who.append(h("span", { class: "who-none" }, t("top.nobody")));
  }
  $("signout-btn").hidden = !cashier;
  $("lang-btn").textContent = i18n.currentLang() === "ko" ? "English" : "한국어";
  if ($("failures-dlg").open) renderFailures();
}

function showFailures() {
  renderFailures();
  if (!$("failures-dlg").open) $("failures-dlg").showModal();
}

function renderFailures() {
  const list = $("failures-list");
  list.replaceChildren();
  for (const failure of pos.failures()) {
    const payload = failure.payload || {};
    const lines = (payload.lines || []).map((l) => {
      const product = pos.catalog.bySku.get(l.sku);
      return `${product ? pos.productName(product) : l.sku} × ${num(l.qty)}`;
    }).join(", ");
    const total = (payload.lines || []).reduce((sum, l) => sum + (pos.catalog.bySku.get(l.sku)?.price || 0) * l.qty, 0);
    const reason = h("p", { class: "msg", dataset: { kind: "error" } });
    say(reason, errorText({ code: failure.code, message: failure.message, details: failure.details }, pos.catalog), "error");
    const item = h("li", { class: "failure", dataset: { saleId: failure.sale_id } },
      h("p", { class: "failure-head" },
        h("strong", {}, payload.offline_at ? t("failures.offline_sale", { time: timeOf(payload.offline_at) }) : t("failures.sale")),
        " ", h("span", { class: "mono" }, failure.sale_id.slice(0, 8)), " · ", won(total)),
      h("p", {}, lines), reason);
    const status = h("p", { class: "help" });
    if (failure.on_hub) say(status, both("failures.on_hub"));
    else say(status, both("failures.local_only"));
    item.append(status);
    if (!failure.on_hub && failure.entry) {
      item.append(h("button", { type: "button", class: "btn", onclick: async () => {
        const sure = await confirmDialog(both("failures.dismiss_confirm"), { yes: "failures.dismiss", danger: true });
        if (sure) await pos.outbox.forget(failure.entry);
        renderFailures();
      } }, t("failures.dismiss")));
    }
    list.append(item);
  }
  if (!list.childElementCount) list.append(h("li", { class: "help" }, t("failures.none")));
}

// ---------------------------------------------------------------- screens

function showScreen(name) {
  pos.screen = name;
  for (const id of ["pair", "signin", "shift", "sell"]) $(`${id}-screen`).hidden = id !== name;
  if (name !== "sell") pos.scanner.clear();
  if (name === "pair") $("pair-code").value ||= pairingCodeInAddress();
  if (name === "pair") setTimeout(() => $("pair-code").focus(), 0);
  if (name === "signin") renderCashiers();
  if (name === "sell") {
    renderCart();
    runSearch();
    if (pos.results) pos.results.schedule();
  }
  renderTopbar();
}

pos.route = route;

function route() {
  if (!pos.link.paired) showScreen("pair");
  else if (!pos.session.cashier) showScreen("signin");
  else if (!pos.session.shift || pos.session.shift.cashier_id !== pos.session.cashier.cashier_id) showShiftOpen();
  else showScreen("sell");
}

function renderAll() {
  renderTopbar();
  renderCashiers();
  renderCart();
  if (pos.results) pos.results.refresh();
  runSearch();
  pos.pay.render();
}

// ---------------------------------------------------------------- pairing

function wirePair() {
  $("pair-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = $("pair-code").value.trim().toUpperCase();
    if (!code) {
      say($("pair-msg"), both("pair.empty"), "error");
      return;
    }
    say($("pair-msg"), both("pair.working"), "busy");
    try {
      await pos.link.pair(code);
    } catch (err) {
      say($("pair-msg"), errorText(err), "error");
      return;
    }
    say($("pair-msg"), null);
    $("pair-revoked").hidden = true;
    $("pair-code").value = "";
    await startLinked();
  });
}

// ---------------------------------------------------------------- sign-in

let chosenCashier = null;

function wireSignin() {
  $("pin-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await signIn();
  });
  $("unlock-btn").addEventListener("click", unlockChosen);
}

function renderCashiers() {
  const list = $("cashier-list");
  if (!list) return;
  list.replaceChildren();
  if (!pos.cashiers.length) {
    say($("signin-list-msg"), pos.connected() ? both("signin.no_cashiers") : both("signin.needs_hub"), "warn");
    return;
  }
  say($("signin-list-msg"), pos.connected() ? null : both("signin.offline_note"), "warn");
  for (const cashier of pos.cashiers) {
    const locked = lockedNow(cashier);
    const button = h("button", {
      type: "button", class: "cashier", role: "listitem", dataset: { cashierId: cashier.cashier_id },
      "aria-pressed": chosenCashier === cashier.cashier_id ? "true" : "false",
      onclick: () => chooseCashier(cashier),
    }, h("span", { class: "cashier-name" }, cashier.name),
       h("span", { class: "cashier-id" }, cashier.cashier_id + (cashier.supervisor ? ` · ${t("signin.supervisor")}` : "")));
    if (locked) button.append(h("span", { class: "cashier-locked" }, t("signin.locked_until", { time: timeOf(cashier.locked_until) })));
    list.append(button);
  }
}

function lockedNow(cashier) {
  return Boolean(cashier && cashier.locked_until && Date.parse(cashier.locked_until) > Date.now());
}

/** A supervisor at the till lifts the lock of the chosen cashier, so a cashier who mistyped need not wait. */
function offerUnlock() {
  const cashier = pos.cashiers.find((c) => c.cashier_id === chosenCashier);
  const supervisors = pos.cashiers.filter((c) => c.supervisor && c.cashier_id !== chosenCashier);
  $("unlock-btn").hidden = !(lockedNow(cashier) && supervisors.length);
}

async function unlockChosen() {
  const cashierId = chosenCashier;
  const cashier = pos.cashiers.find((c) => c.cashier_id === cashierId);
  if (!pos.connected()) return say($("pin-msg"), both("signin.needs_hub"), "error");
  let failure = null;
  const unlocked = await pinDialog({
    title: bothBy("signin.unlock_title", () => ({ name: cashier.name })),
    cashiers: pos.cashiers.filter((c) => c.supervisor && c.cashier_id !== cashierId),
    attempt: async (supervisorId, pin) => {
      try {
        await pos.link.command("cashier_unlock", { cashier_id: cashierId, supervisor_id: supervisorId,
                                                   supervisor_pin: pin });
        return null;
      } catch (err) {
        if (SUPERVISOR_PIN_ERRORS.has(err.code)) return errorText(err);
        failure = err;
        return null;
      }
    },
  });
  if (failure) return say($("pin-msg"), errorText(failure), "error");
  if (!unlocked) return;
  cashier.locked_until = null;
  renderCashiers();
  offerUnlock();
  say($("pin-msg"), bothBy("signin.unlocked", () => ({ name: cashier.name })), "ok");
  $("pin-input").focus();
}

// Said in the dialog and asked again; anything else closes it.
const SUPERVISOR_PIN_ERRORS = new Set(["wrong_pin", "locked", "slow_down", "supervisor_required"]);

function chooseCashier(cashier) {
  chosenCashier = cashier.cashier_id;
  $("pin-who").textContent = `${cashier.name} (${cashier.cashier_id})`;
  $("pin-input").disabled = false;
  $("pin-submit").disabled = false;
  $("pin-input").value = "";
  say($("pin-msg"), null);
  renderCashiers();
  offerUnlock();
  $("pin-input").focus();
}

async function signIn() {
  const pin = $("pin-input").value;
  if (!chosenCashier) {
    say($("pin-msg"), both("signin.pick_first"), "error");
    return;
  }
  if (!/^[0-9]{4,8}$/.test(pin)) {
    say($("pin-msg"), both("signin.pin_format"), "error");
    return;
  }
  if (!pos.connected()) {
    say($("pin-msg"), both("signin.needs_hub"), "error");
    return;
  }
  say($("pin-msg"), both("status.working"), "busy");
  $("pin-submit").disabled = true;
  let answer;
  try {
    answer = await pos.link.command("login", { cashier_id: chosenCashier, pin });
  } catch (err) {
    $("pin-submit").disabled = false;
    $("pin-input").value = "";
    say($("pin-msg"), errorText(err), "error");
    if (err.code === "locked") {
      const known = pos.cashiers.find((c) => c.cashier_id === chosenCashier);
      if (known) known.locked_until = err.details.locked_until;
      renderCashiers();
      offerUnlock();
    }
    $("pin-input").focus();
    return;
  }
  $("pin-submit").disabled = false;
  $("pin-input").value = "";
  say($("pin-msg"), null);
  pos.session.cashier = answer.cashier;
  // The hub's record of this sign-in: every sale, refund and shift carries it, offline ones too.
  pos.session.signIn = answer.sign_in;
  saveSession();
  chosenCashier = null;
  route();
}

/** The hub no longer knows this till's sign-in (signed out, expired, or signed in elsewhere): ask for the PIN. */
function signInAgain(error) {
  pos.session.cashier = null;
  pos.session.signIn = null;
  saveSession();
  route();
  say($("signin-list-msg"), errorText(error), "warn");
}

pos.signInAgain = signInAgain;

async function signOut() {
  if (pos.screen === "sell" && !pos.cart.empty) {
    const sure = await confirmDialog(both("top.signout_cart"), { yes: "top.signout" });
    if (!sure) return;
  }
  const signIn = pos.session.signIn;
  pos.session.cashier = null;
  pos.session.signIn = null;
  saveSession();
  route();
  // The hub ends the sign-in too; when it cannot be reached, the next PIN sign-in at this till ends it.
  if (signIn && pos.connected()) pos.link.command("logout", { sign_in: signIn }).catch(() => {});
}

pos.signOut = signOut;

// ---------------------------------------------------------------- shift open

function showShiftOpen() {
  const shift = pos.session.shift;
  const note = $("shift-note");
  if (shift && shift.cashier_id !== pos.session.cashier.cashier_id) {
    say(note, both("shift.other_open", { name: shift.cashier_name || shift.cashier_id }), "warn");
    $("shift-close-prev").hidden = false;
    $("shift-submit").disabled = true;
  } else {
    say(note, null);
    $("shift-close-prev").hidden = true;
    $("shift-submit").disabled = false;
  }
  say($("shift-msg"), null);
  $("float-input").value = "";
  showScreen("shift");
  $("float-input").focus();
}

pos.showShiftOpen = showShiftOpen;

function wireShift() {
  $("shift-close-prev").addEventListener("click", () => pos.shiftClose.open());
  $("shift-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const amount = amountOf($("float-input"));
    if (amount === null) {
      say($("shift-msg"), both("shift.float_needed"), "error");
      return;
    }
    const cashier = pos.session.cashier;
    const payload = { shift_id: newId(), sign_in: pos.session.signIn, float: amount };
    const online = pos.connected();
    if (!online) payload.opened_at = isoNow();
    $("shift-submit").disabled = true;
    say($("shift-msg"), both("status.working"), "busy");
    let entry;
    try {
      entry = await pos.outbox.add("shift_open", payload);
    } catch (err) {
      $("shift-submit").disabled = false;
      say($("shift-msg"), both("status.storage_failed"), "error");
      return;
    }
    const outcome = online ? await pos.outbox.sendAndWait(entry) : { status: "pending" };
    $("shift-submit").disabled = false;
    if (outcome.status === "refused") {
      if (outcome.error.code === "sign_in_required") return signInAgain(outcome.error);
      say($("shift-msg"), errorText(outcome.error), "error");
      return;
    }
    pos.session.shift = { shift_id: payload.shift_id, cashier_id: cashier.cashier_id, cashier_name: cashier.name,
                          float: amount, opened_at: outcome.answer ? outcome.answer.shift.opened_at : isoNow() };
    saveSession();
    say($("shift-msg"), null);
    showScreen("sell");
    if (outcome.status === "pending") pos.message(both("shift.saved_offline"), "warn");
    else pos.message(bothBy("shift.opened", (lang) => ({ amount: won(amount, lang) })));
  });
}

// ---------------------------------------------------------------- selling

const lineEls = new Map(); // sku -> {li, stock}

function wireSell() {
  pos.cart.addEventListener("change", (event) => {
    renderCart(event.detail);
  });
  pos.scanner.addEventListener("typing", (event) => {
    const text = event.detail;
    $("scan-echo").textContent = text ? `${t("sell.typing")} ${text}` : "";
  });
  pos.scanner.addEventListener("scan", (event) => onScan(event.detail.code));
  pos.scanner.addEventListener("line-key", (event) => lineKey(event.detail));

  const results = new VirtualList($("results"), { rowHeight: RESULT_ROW, renderRow: renderResult });
  pos.results = results;
  pos.shelf = new Shelf(pos, { stockOf: stockText, pick: (product) => addProduct(product) });
  $("results").addEventListener("click", (event) => {
    const row = event.target.closest(".vlist-row");
    if (!row) return;
    const product = results.items[Number(row.dataset.index)];
    if (product) addProduct(product);
  });
  const search = $("search-input");
  search.addEventListener("input", () => runSearch());
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      results.setActive(results.active + 1);
      event.preventDefault();
    } else if (event.key === "ArrowUp") {
      results.setActive(results.active - 1);
      event.preventDefault();
    } else if (event.key === "Enter") {
      const product = results.activeItem;
      if (product) addProduct(product);
      event.preventDefault();
    } else if (event.key === "Escape") {
      search.value = "";
      runSearch();
      search.blur();
      event.preventDefault();
    }
  });

  $("cart-lines").addEventListener("click", onCartClick);
  $("cart-lines").addEventListener("change", onQtyTyped);
  $("cart-lines").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.classList.contains("qty-input")) {
      event.preventDefault();
      onQtyTyped(event);
      event.target.blur();
    }
  });
  $("hold-drop").addEventListener("click", () => {
    const hold = pos.cart.hold;
    if (!hold) return;
    for (const line of hold.lines) {
      const mine = pos.cart.line(line.sku);
      if (mine) pos.cart.setQty(line.sku, mine.qty - line.qty);
    }
    pos.cart.dropHold();
    pos.message(both("hold.dropped", { code: hold.code }));
  });
  $("pay-btn").addEventListener("click", () => openPay());
  $("clear-btn").addEventListener("click", clearCart);
  $("hold-btn").addEventListener("click", () => openHold());
  $("refund-btn").addEventListener("click", () => pos.refund.open());
  $("close-shift-btn").addEventListener("click", () => pos.shiftClose.open());
  wireHoldDialog();

  document.addEventListener("keydown", (event) => {
    if (pos.screen !== "sell") return;
    const anyDialog = document.querySelector("dialog[open]");
    const key = event.key;
    if (!anyDialog) {
      const shortcuts = { F2: () => $("search-input").focus(), F4: openHold, F6: () => pos.refund.open(),
                          F8: clearCart, F9: openPay };
      if (shortcuts[key]) {
        event.preventDefault();
        shortcuts[key]();
        return;
      }
      const inField = event.target.closest && event.target.closest("input, select, textarea");
      if (inField) return;
      if (key === "Delete" && pos.cart.selected) {
        pos.cart.remove(pos.cart.selected);
        event.preventDefault();
      } else if (key === "ArrowDown" || key === "ArrowUp") {
        moveSelection(key === "ArrowDown" ? 1 : -1);
        event.preventDefault();
      }
    }
  });
  setInterval(() => {
    if (pos.cart.hold) renderHoldBanner();
  }, 15000);
}

function lineKey(key) {
  const sku = pos.cart.selected;
  if (!sku || document.querySelector("dialog[open]")) return;
  const line = pos.cart.line(sku);
  if (!line) return;
  if (key === "+") changeQty(sku, line.qty + 1);
  else changeQty(sku, line.qty - 1);
}

function moveSelection(step) {
  const lines = pos.cart.lines;
  if (!lines.length) return;
  const index = lines.findIndex((l) => l.sku === pos.cart.selected);
  const next = lines[Math.max(0, Math.min(lines.length - 1, index + step))];
  pos.cart.select(next.sku);
  for (const [sku, els] of lineEls) els.li.classList.toggle("selected", sku === next.sku);
  lineEls.get(next.sku)?.li.scrollIntoView({ block: "nearest" });
}

async function onScan(code) {
  const upper = code.toUpperCase();
  const open = document.querySelector("dialog[open]");
  if (upper.startsWith("RCPT:")) {
    if (open && open.id !== "refund-dlg" && open.id !== "done-dlg") return pos.message(both("scan.busy"), "warn");
    if (open && open.id === "done-dlg") pos.pay.closeDone();
    pos.refund.open(code.slice(5));
    return;
  }
  if (upper.startsWith("HOLD:")) {
    if (open && open.id === "hold-dlg") {
      $("hold-code").value = code.slice(5);
      return lookupHold(code.slice(5));
    }
    if (open && open.id !== "done-dlg") return pos.message(both("scan.busy"), "warn");
    if (open) pos.pay.closeDone();
    return lookupHold(code.slice(5));
  }
  if (open && open.id === "done-dlg") pos.pay.closeDone(); // scan, pay, next: the next buyer's first item
  else if (open) {
    pos.message(both("scan.busy"), "warn");
    return;
  }
  const product = pos.catalog.lookup(code.trim());
  if (!product) {
    pos.message(both("scan.unknown", { code }), "error");
    return;
  }
  await addProduct(product);
}

pos.addProduct = addProduct;

/** Add units of a product, warning first when the hub would have nothing to sell. */
async function addProduct(product, qty = 1) {
  const want = pos.cart.qtyOf(product.sku) + qty;
  if (!(await stockOk(product, want))) return;
  pos.cart.add(product.sku, qty);
  say($("sell-msg"), null);
}

function changeQty(sku, qty) {
  const product = pos.catalog.bySku.get(sku);
  if (!product) return;
  if (qty > pos.cart.qtyOf(sku)) {
    stockOk(product, qty).then((ok) => {
      if (ok) pos.cart.setQty(sku, qty);
      else renderCart();
    });
  } else {
    pos.cart.setQty(sku, qty);
  }
}

/** Units of `sku` this till sold offline that the hub has not heard of yet. */
function soldOffline(sku) {
  let units = 0;
  for (const entry of pos.outbox.pending) {
    if (entry.kind !== "checkout" || !entry.payload.offline_at) continue;
    for (const line of entry.payload.lines) if (line.sku === sku) units += line.qty;
  }
  return units;
}

/** Offline: the stock last heard from the hub, less what this till sold since. */
function lastKnown(product) {
  if (typeof product.available !== "number") return null;
  return Math.max(pos.cart.usable(product.sku) - soldOffline(product.sku), 0);
}

async function stockOk(product, want) {
  if (!pos.stockKnown()) {
    // The sale will stand when it is replayed; selling past what the hub last said makes a discrepancy.
    const known = lastKnown(product);
    if (known === null || want <= known) return true;
    const message = bothBy("stock.offline_short", (lang) => ({ available: num(known, lang), want: num(want, lang),
      name: lang === "en" ? product.name_en || product.name : product.name }));
    return confirmDialog(message, { yes: "stock.add_anyway", no: "dlg.cancel", danger: true });
  }
  const usable = pos.cart.usable(product.sku);
  if (want <= usable) return true;
  const counts = { available: Math.max(usable, 0), want,
                  held: product.held ?? Math.max(0, product.on_hand - product.available) };
  const numbers = (lang) => Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, num(v, lang)]));
  let key = "stock.short";
  if (product.on_hand <= 0) key = "stock.gone";
  else if (product.on_hand >= want) key = "stock.held";
  const message = bothBy(key, (lang) => ({ ...numbers(lang), name: lang === "en" ? product.name_en || product.name : product.name }));
  return confirmDialog(message, { yes: "stock.add_anyway", no: "dlg.cancel", danger: true });
}

function onCartClick(event) {
  const li = event.target.closest("li[data-sku]");
  if (!li) return;
  const sku = li.dataset.sku;
  const button = event.target.closest("button[data-act]");
  if (!button) {
    pos.cart.select(sku);
    for (const [other, els] of lineEls) els.li.classList.toggle("selected", other === sku);
    return;
  }
  const line = pos.cart.line(sku);
  if (!line) return;
  if (button.dataset.act === "plus") changeQty(sku, line.qty + 1);
  else if (button.dataset.act === "minus") changeQty(sku, line.qty - 1);
  else if (button.dataset.act === "remove") pos.cart.remove(sku);
}

function onQtyTyped(event) {
  const input = event.target;
  if (!input.classList.contains("qty-input")) return;
  const sku = input.closest("li").dataset.sku;
  const qty = Number(String(input.value).replace(/[^0-9]/g, ""));
  if (!Number.isFinite(qty) || input.value.trim() === "") {
    renderCart();
    return;
  }
  if (qty !== pos.cart.qtyOf(sku)) changeQty(sku, qty);
}

function stockText(product) {
  if (!pos.stockKnown()) {
    const known = lastKnown(product);
    return { text: known === null ? t("stock.unknown") : tCount("stock.last_known", known), kind: "unknown" };
  }
  const available = product.available;
  const low = (pos.settings && pos.settings.low_stock_threshold) || 5;
  let kind = "ok";
  if (available <= 0) kind = "out";
  else if (available <= low) kind = "low";
  return { text: tCount("stock.available", available), kind };
}

function renderLineStock(sku) {
  const els = lineEls.get(sku);
  const product = pos.catalog.bySku.get(sku);
  if (!els || !product) return;
  const line = pos.cart.line(sku);
  const { text, kind } = stockText(product);
  els.stock.textContent = text;
  els.stock.dataset.kind = kind;
  const short = pos.stockKnown() && line && line.qty > pos.cart.usable(sku);
  els.li.classList.toggle("short", Boolean(short));
  els.warn.hidden = !short;
  if (short) {
    const usable = Math.max(pos.cart.usable(sku), 0);
    say(els.warn, bothCount(product.on_hand <= 0 ? "stock.line_gone" : "stock.line_short", usable), "warn");
  }
}

function stockChanged(product) {
  if (lineEls.has(product.sku)) renderLineStock(product.sku);
  if (pos.shelf) pos.shelf.stockChanged(product);
  if (pos.results && pos.results.items.length) scheduleResultsRefresh();
}

let resultsFrame = 0;
function scheduleResultsRefresh() {
  if (resultsFrame) return;
  resultsFrame = requestAnimationFrame(() => {
    resultsFrame = 0;
    pos.results.refresh();
  });
}

function refreshStockShown() {
  for (const sku of lineEls.keys()) renderLineStock(sku);
  if (pos.shelf && !$("shelf").hidden) pos.shelf.render();
  if (pos.results) scheduleResultsRefresh();
  renderPayWarning();
}

function renderPayWarning() {
  if (pos.pay && $("pay-dlg").open) pos.pay.renderWarning();
}

function renderCart(detail = {}) {
  const list = $("cart-lines");
  const cart = pos.cart;
  lineEls.clear();
  list.replaceChildren();
  for (const line of cart.lines) {
    const product = cart.product(line.sku);
    if (!product) continue;
    const stock = h("span", { class: "stock" });
    const warn = h("p", { class: "line-warn msg", hidden: true });
    const qty = h("input", { class: "qty-input", value: String(line.qty), inputmode: "numeric", maxlength: "3",
                             "aria-label": t("cart.qty_of", { name: pos.productName(product) }) });
    const li = h("li", { class: "line", dataset: { sku: line.sku } },
      h("div", { class: "line-name" },
        h("span", { class: "name" }, pos.productName(product)),
        h("span", { class: "firm" }, `${pos.firmName(product)} · ${product.booth}${product.tax_free ? " · " + t("cart.tax_free") : ""}`),
        fromOrder(line.sku),
        warn),
      h("span", { class: "price" }, won(product.price)),
      h("span", { class: "qty" },
        h("button", { type: "button", class: "btn qty-btn", dataset: { act: "minus" }, "aria-label": t("cart.less") }, "−"),
        qty,
        h("button", { type: "button", class: "btn qty-btn", dataset: { act: "plus" }, "aria-label": t("cart.more") }, "+")),
      h("span", { class: "amount" }, won(product.price * line.qty)),
      stock,
      h("button", { type: "button", class: "btn remove", dataset: { act: "remove" },
                    "aria-label": t("cart.remove_of", { name: pos.productName(product) }) }, "×"));
    if (line.sku === cart.selected) li.classList.add("selected");
    if (detail.sku === line.sku && detail.added) li.classList.add("flash");
    list.append(li);
    lineEls.set(line.sku, { li, stock, warn });
    renderLineStock(line.sku);
  }
  $("cart-empty").hidden = !cart.empty;
  list.hidden = cart.empty;
  $("item-count").textContent = t("sell.count", { units: tCount("sell.units", cart.count),
                                                   lines: tCount("sell.lines", cart.lines.length) });
  $("cart-total").textContent = won(cart.total);
  $("pay-btn").disabled = cart.empty;
  renderHoldBanner();
}

/** " · 키오스크 주문 2개" on a line that the loaded kiosk order holds. */
function fromOrder(sku) {
  const held = pos.cart.hold && pos.cart.hold.lines.find((l) => l.sku === sku);
  return held ? h("span", { class: "from-order" }, tCount("cart.from_order", held.qty)) : null;
}

function renderHoldBanner() {
  const hold = pos.cart.hold;
  $("hold-banner").hidden = !hold;
  if (!hold) return;
  const expired = Date.parse(hold.expires_at) <= Date.now();
  const key = expired ? "hold.banner_expired" : "hold.banner";
  const message = bothCount(key, hold.lines.length, { code: hold.code, time: timeOf(hold.expires_at) });
  $("hold-text").textContent = `${message.ko} · ${message.en}`;
  $("hold-banner").classList.toggle("expired", expired);
}

function holdClosedElsewhere(type, data) {
  const hold = pos.cart.hold;
  if (!hold || hold.code !== data.code) return;
  if (type === "hold.consumed" && pos.pay.ownSale(data.sale_id)) return;
  const key = { "hold.consumed": "hold.consumed_elsewhere", "hold.expired": "hold.expired_now",
                "hold.released": "hold.released_now" }[type];
  pos.message(both(key, { code: data.code }), "warn");
  renderHoldBanner();
}

function renderResult(el, product) {
  el.replaceChildren();
  if (!product) return;
  const { text, kind } = stockText(product);
  el.setAttribute("role", "option");
  el.append(
    h("span", { class: "r-name" }, pos.productName(product)),
    h("span", { class: "r-firm" }, `${pos.firmName(product)} · ${product.booth}`),
    h("span", { class: "r-price" }, won(product.price)),
    h("span", { class: "r-stock stock", dataset: { kind } }, text));
}

function runSearch() {
  if (!pos.results) return;
  const query = $("search-input").value;
  const searching = Boolean(query.trim());
  const { found, query: meant } = searching ? pos.catalog.find(query) : { found: [], query };
  $("shelf").hidden = searching;
  $("results").hidden = !searching;
  if (!searching) pos.shelf.render();
  pos.results.setItems(found);
  const count = $("search-count");
  if (!query.trim()) count.textContent = tCount("search.hint", pos.catalog.size);
  else if (meant !== query) count.textContent = tCount("search.count_other_layout", found.length, { query: meant });
  else count.textContent = tCount("search.count", found.length);
}

async function clearCart() {
  if (pos.cart.empty) return;
  const sure = await confirmDialog(both("sell.clear_confirm"), { yes: "sell.clear", danger: true });
  if (sure) {
    pos.cart.clear();
    pos.message(both("sell.cleared"));
  }
}

function openPay() {
  if (pos.cart.empty) {
    pos.message(both("sell.empty"), "warn");
    return;
  }
  pos.pay.open();
}

// ---------------------------------------------------------------- kiosk orders

function wireHoldDialog() {
  $("hold-form").addEventListener("submit", (event) => {
    event.preventDefault();
    lookupHold($("hold-code").value);
  });
  $("hold-cancel").addEventListener("click", () => $("hold-dlg").close());
}

function openHold() {
  $("hold-code").value = "";
  say($("hold-msg"), null);
  $("hold-dlg").showModal();
  $("hold-code").focus();
}

async function lookupHold(raw) {
  const code = String(raw || "").trim().toUpperCase().replace(/^HOLD:/, "").replace(/-/g, "");
  const inDialog = $("hold-dlg").open;
  const show = (message, kind) => (inDialog ? say($("hold-msg"), message, kind) : pos.message(message, kind));
  if (!code) return show(both("hold.empty"), "error");
  if (!pos.connected()) return show(both("hold.needs_hub"), "error");
  if (pos.cart.hold && pos.cart.hold.code === code) return show(both("hold.already", { code }), "warn");
  show(both("hold.looking", { code }), "busy");
  let hold;
  try {
    hold = (await pos.link.command("hold_lookup", { code })).hold;
  } catch (err) {
    return show(errorText(err), "error");
  }
  const expired = hold.status === "expired" || (hold.status === "active" && Date.parse(hold.expires_at) <= Date.now());
  if (hold.status === "consumed") return show(both("err.hold_used", { code: hold.code }), "error");
  if (hold.status === "released") return show(both("hold.released", { code: hold.code }), "error");
  if (expired) return show(both("err.hold_expired", { code: hold.code }), "error");
  if (pos.cart.hold) return show(both("hold.one_only", { code: pos.cart.hold.code }), "error");
  pos.cart.loadHold(hold);
  if (inDialog) $("hold-dlg").close();
  pos.message(bothBy("hold.loaded", (lang) => ({ code: hold.code, total: won(hold.total, lang) })), "ok");
}

boot();
