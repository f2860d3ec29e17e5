// The staff screen: pairing, a person's sign-in, and the panels (stock, sales, devices, printers,
// feedback, alerts, demos, visitors' phones). Every hub event goes through route(); catalog text is only ever set as text.
import { pairingCodeInAddress } from "/common/hall.js";
import { clockShort } from "/common/time.js";
import { AlertsPanel } from "./alerts.js";
import { DemosPanel } from "./demos.js";
import { DevicesPanel } from "./devices.js";
import { FeedbackPanel } from "./feedback.js";
import { applyStatic, errorText, has, lang, LANGS, loadLanguages, num, setLang, t, useProducts } from "./i18n.js";
import { StaffLink } from "./link.js";
import { PrintersPanel } from "./printers.js";
import { ProductSide } from "./product.js";
import { SalesPanel } from "./sales.js";
import { showProgramBanner } from "./status.js";
import { StockDialog, StockPanel } from "./stock.js";
import { VisitorsPanel } from "./visitors.js";
import { h, localDay } from "./util.js";

const $ = (id) => document.getElementById(id);
const PANELS = ["stock", "sales", "devices", "printers", "feedback", "alerts", "demos", "visitors"];
const DEFAULT_SETTINGS = { hall: { name: "", name_en: "" }, low_stock_threshold: 5 };
const MAX_TOASTS = 4;
const PERF_CAP = 500000;
const SIGNIN_WAIT_MS = 15000;

// The hub keeps a sign-in per connection. So that a reload, a Wi-Fi blip or a restarted hub does not sign the
// person out mid-restock, the screen keeps the session token staff_login gave it (never the password) for this
// tab only, and presents it with staff_resume whenever the socket connects (protocol.md, staff_login).
const SESSION_KEY = "staff.session";

function keptSession() {
  try {
    const kept = JSON.parse(sessionStorage.getItem(SESSION_KEY) || "null");
    // A token is good only at the device it was given to: another pairing in this tab starts afresh.
    return kept && kept.token && kept.device === app.link.deviceName ? kept : null;
  } catch (err) {
    return null;
  }
}

function keepSession(session, name) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token: session.token, expires_at: session.expires_at,
    name, device: app.link.deviceName }));
}

function dropSession() {
  sessionStorage.removeItem(SESSION_KEY);
}

/**
 * How long the page spends applying each stock event, for the benchmark and for anyone curious:
 * staffPerf.stock holds one duration (ms, performance.now()) per stock.changed handled.
 */
const perf = {
  stock: [],
  other: [],
  reset() {
    this.stock = [];
    this.other = [];
  },
};
window.staffPerf = perf;

const app = {
  link: null,
  health: null, // the hub's last `health` push
  settings: DEFAULT_SETTINGS,
  person: null,
  panel: null,
  screen: "boot",

  /** A command whose refusal for want of a signed-in person sends the screen back to sign-in. */
  async command(name, payload = {}, options) {
    try {
      return await this.link.command(name, payload, options);
    } catch (err) {
      if (err.code === "sign_in_required") lostSignIn();
      throw err;
    }
  },

  errorText(err, prefix) {
    return errorText(err, prefix);
  },

  toast(text, tone = "info") {
    const box = $("toasts");
    const toast = h("div", { class: `toast ${tone}`, role: tone === "bad" ? "alert" : "status" },
      h("span", { text }),
      h("button", { type: "button", class: "btn link small", text: "×", "aria-label": t("common.close"),
        on: { click: () => toast.remove() } }));
    box.append(toast);
    while (box.children.length > MAX_TOASTS) box.firstElementChild.remove();
    setTimeout(() => toast.remove(), tone === "bad" ? 9000 : 5000);
  },

  confirm(title, body, okLabel) {
    const dialog = $("confirm-dialog");
    $("confirm-title").textContent = title;
    $("confirm-body").textContent = body;
    $("confirm-ok").textContent = okLabel;
    dialog.returnValue = "";
    dialog.showModal();
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    });
  },

  showPanel(name) {
    if (!PANELS.includes(name)) name = "stock";
    if (this.panel === name) return;
    if (name !== "stock" && this.side?.isOpen) this.side.close();
    const previous = this.panels[this.panel];
    if (previous?.hide) previous.hide();
    this.panel = name;
    for (const panel of PANELS) $(`panel-${panel}`).hidden = panel !== name;
    for (const link of document.querySelectorAll(".sidenav a")) {
      if (link.dataset.panel === name) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
    this.panels[name]?.show?.();
  },

  /** The hall's day (the hub says it with the sales figures), else this computer's. */
  today() {
    return this.sales?.report?.day || localDay();
  },

  openProduct(sku) {
    this.showPanel("stock");
    this.side.open(sku);
  },

  retryCatalog() {
    this.link.needCatalog = true;
    this.link.catchUp().catch(() => {});
  },
};

// ---------------------------------------------------------------- events

function route(event) {
  const data = event.data || {};
  switch (event.type) {
    case "stock.changed": {
      const started = performance.now();
      app.stock.applyStock(data);
      app.side.touched(data.sku);
      app.stockDialog.refresh(data.sku);
      if (perf.stock.length < PERF_CAP) perf.stock.push(performance.now() - started);
      return;
    }
    case "stock.restocked":
    case "stock.adjusted":
      app.side.touched(data.sku);
      return;
    case "product.threshold":
      app.stock.applyThreshold(event);
      app.side.thresholdChanged(data.sku);
      return;
    case "catalog.loaded":
      // A catalog loaded while we were listening: take the listing again.
      if (!app.link.needCatalog && app.stock.loaded) app.retryCatalog();
      return;
    default:
      break;
  }
  const started = performance.now();
  switch (event.type) {
    case "sale.completed":
    case "refund.completed":
      app.sales.changed();
      break;
    case "device.added":
    case "device.paired":
    case "device.revoked":
    case "pairing.created":
      app.devices.changed(event);
      break;
    case "print.queued":
    case "print.printed":
    case "print.failed":
    case "printer.status":
      app.printers.changed();
      break;
    case "feedback.received":
      app.feedback.changed();
      break;
    case "alert.raised":
      app.alerts.raised(event);
      break;
    case "alert.acked":
      app.alerts.acked(event);
      break;
    case "sale.replay_refused":
    case "replay.resolved":
      app.alerts.reloadFailures();
      break;
    case "stock.oversold":
    case "stock.discrepancy_settled":
      app.alerts.discrepancyChanged();
      break;
    case "day.closed":
      app.sales.dayClose.load();
      break;
    case "slot.changed":
      app.demos.slotChanged(data);
      break;
    case "demos.loaded":
    case "checkin.conflict":
      app.demos.changed(event);
      break;
    case "hold.created":
    case "hold.consumed":
    case "hold.expired":
    case "hold.released":
    case "ticket.booked":
    case "ticket.cancelled":
      app.visitors.heard(event);
      break;
    case "visitor.revoked":
      app.visitors.changed();
      break;
    default:
      return;
  }
  if (perf.other.length < PERF_CAP) perf.other.push(performance.now() - started);
}

// ---------------------------------------------------------------- screens

function showScreen(name) {
  app.screen = name;
  $("boot").hidden = name !== "boot";
  $("pair-screen").hidden = name !== "pair";
  $("signin-screen").hidden = name !== "signin";
  $("app").hidden = name !== "app";
  if (name === "pair") $("pair-code").value ||= pairingCodeInAddress();
  if (name === "pair") $("pair-code").focus();
  if (name === "signin") {
    $("signin-device").textContent = t("signin.device", { device: app.link.deviceName || "?" });
    (($("signin-name").value && $("signin-password")) || $("signin-name")).focus();
    showLinkState();
  }
}

function showLinkState() {
  const state = app.link?.state || "unpaired";
  const pill = $("link-pill");
  pill.dataset.state = state;
  pill.textContent = t(`link.${state}`);
  $("signin-link").textContent = state === "online" ? "" : t(`link.${state}`);
  const banner = $("offline-banner");
  banner.hidden = state !== "offline";
  banner.textContent = t("link.offline_banner");
  showHealth();
}

/** The hub's health, said plainly while it is not ok (what it was told last is stale while disconnected). */
function showHealth() {
  const banner = $("health-banner");
  const health = app.health;
  const shown = Boolean(health && health.status !== "ok" && app.link?.state === "online");
  banner.hidden = !shown;
  if (!shown) return;
  banner.dataset.status = health.status;
  const reasons = health.reasons.map((reason) => healthReason(reason, health)).join(" · ");
  banner.textContent = t(`health.${health.status}`, { reasons });
}

function healthReason(reason, health) {
  const key = `health.reason.${reason.code}`;
  if (!has(key)) return reason.message;
  return t(key, { printer: reason.printer || "", seconds: num(Math.round(health.writer?.busy_seconds || 0)),
    free: num(Math.floor((health.disk?.free_bytes || 0) / 1e6)),
    since: clockShort(health.writer?.relay?.unreachable_since || "") });
}

async function pairSubmit(event) {
  event.preventDefault();
  const code = $("pair-code").value.trim();
  const status = $("pair-status");
  status.classList.remove("error");
  if (!code) {
    status.textContent = t("pair.error.empty");
    status.classList.add("error");
    return;
  }
  status.textContent = t("pair.working");
  $("pair-submit").disabled = true;
  try {
    await app.link.pair(code);
    status.textContent = "";
    $("pair-code").value = "";
    $("pair-notice").hidden = true;
    app.link.needCatalog = true;
    app.link.connect();
    showScreen("signin");
  } catch (err) {
    status.textContent = errorText(err, "pair.error");
    status.classList.add("error");
  } finally {
    $("pair-submit").disabled = false;
  }
}

async function signInSubmit(event) {
  event.preventDefault();
  const name = $("signin-name").value.trim();
  const secret = $("signin-password").value;
  const out = $("signin-error");
  if (!name || !secret) {
    out.textContent = t("signin.missing");
    return;
  }
  $("signin-submit").disabled = true;
  try {
    // A screen just paired or just woken may still be connecting: a person who signs in quickly waits
    // for the link a few seconds instead of being told to try again.
    if (app.link.state !== "online") {
      out.textContent = t("link.connecting");
      await app.link.whenOnline(SIGNIN_WAIT_MS);
    }
    out.textContent = t("signin.working");
    const answer = await app.link.command("staff_login", { name, password: secret });
    keepSession(answer.session, answer.staff.name);
    app.person = answer.staff.name;
    out.textContent = "";
    $("signin-password").value = "";
    $("signin-notice").hidden = true;
    $("signin-resuming").textContent = "";
    enterApp();
  } catch (err) {
    if (err.code === "locked") out.textContent = t("signin.locked", { time: clockShort(err.details.locked_until) });
    else if (err.code === "invalid" && err.details.field === "name") out.textContent = t("signin.bad_name");
    else out.textContent = errorText(err, "signin.error");
    $("signin-password").select();
  } finally {
    $("signin-submit").disabled = false;
  }
}

function enterApp() {
  showWho();
  showScreen("app");
  app.alerts.load();
  const wanted = location.hash.slice(1);
  const panel = app.panel || (PANELS.includes(wanted) ? wanted : "stock");
  app.panel = null;
  app.showPanel(panel);
}

function showWho() {
  $("who").textContent = app.person ? t("top.who", { person: app.person, device: app.link.deviceName }) : "";
}

function closeOverlays() {
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
  if (app.side.isOpen) app.side.close();
}

async function signOut() {
  dropSession();
  app.person = null;
  closeOverlays();
  app.link.command("staff_logout").catch(() => {});
  $("signin-name").value = "";
  showScreen("signin");
}

/** The hub no longer has this person signed in (it restarted, or the reconnect sign-in failed). */
function lostSignIn(err) {
  if (!app.person && app.screen !== "app") return;
  dropSession();
  app.person = null;
  closeOverlays();
  $("signin-notice").hidden = false;
  $("signin-notice").textContent = err?.code === "session_ended" ? t(`signin.ended.${err.details.reason}`)
    : t("signin.lost");
  $("signin-resuming").textContent = "";
  showScreen("signin");
}

/** The socket is up: sign the person in on it again with the kept session, before anything else is sent. */
function resume() {
  const kept = keptSession();
  if (!kept) return;
  app.link.command("staff_resume", { token: kept.token }).then((answer) => {
    app.person = answer.staff.name;
    $("signin-resuming").textContent = "";
    if (app.screen !== "app") enterApp();
  }, (err) => {
    if (["offline", "timeout"].includes(err.code)) return; // the next connect tries again
    lostSignIn(err);
  });
}

function relabel() {
  applyStatic();
  for (const button of document.querySelectorAll(".lang-btn")) {
    const other = LANGS.find((l) => l !== lang());
    button.textContent = t(`language.switch_${other}`);
    button.lang = other;
  }
  document.title = t("page.title");
  const hall = app.settings.hall || {};
  $("hall-name").textContent = lang() === "en" ? hall.name_en || hall.name : hall.name;
  showLinkState();
  showProgramBanner(app.settings.demo_program);
  showWho();
  if (app.screen === "signin") $("signin-device").textContent = t("signin.device", { device: app.link.deviceName || "?" });
  for (const panel of [app.stock, app.sales, app.devices, app.printers, app.feedback, app.alerts, app.demos,
    app.visitors, app.side]) {
    panel?.relabel();
  }
}

// ---------------------------------------------------------------- start

async function boot() {
  try {
    await loadLanguages();
  } catch (err) {
    $("boot").hidden = true;
    $("boot-error").hidden = false;
    $("boot-error").textContent = "화면 문구를 불러오지 못했습니다. 새로 고침하세요. · "
      + "The screen's strings did not load; reload the page.";
    return;
  }
  try {
    const response = await fetch("/api/screen-settings", { cache: "no-store" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    app.settings = { ...DEFAULT_SETTINGS, ...(await response.json()) };
  } catch (err) {
    setTimeout(() => app.toast(t("settings.failed", { n: DEFAULT_SETTINGS.low_stock_threshold }), "bad"), 0);
  }

  app.link = new StaffLink({ role: "staff" });
  app.stock = new StockPanel(app);
  useProducts(() => app.stock.products); // refusals name products in the screen's language
  app.stockDialog = new StockDialog(app);
  app.side = new ProductSide(app);
  app.sales = new SalesPanel(app);
  app.devices = new DevicesPanel(app);
  app.printers = new PrintersPanel(app);
  app.feedback = new FeedbackPanel(app);
  app.alerts = new AlertsPanel(app);
  app.demos = new DemosPanel(app);
  app.visitors = new VisitorsPanel(app);
  app.panels = { stock: null, sales: app.sales, devices: app.devices, printers: app.printers,
    feedback: app.feedback, alerts: app.alerts, demos: app.demos, visitors: app.visitors };
  window.staffApp = app; // for the benchmark and the browser tests

  const link = app.link;
  link.addEventListener("state", (event) => {
    showLinkState();
    if (event.detail === "online") resume();
  });
  link.addEventListener("presence", (event) => app.devices.presence(event.detail));
  link.addEventListener("health", (event) => {
    app.health = event.detail;
    showHealth();
    app.alerts.unwrittenChanged(event.detail.unwritten || []);
  });
  link.addEventListener("revoked", () => {
    dropSession();
    app.person = null;
    closeOverlays();
    $("pair-notice").hidden = false;
    $("pair-notice").textContent = t("pair.revoked");
    showScreen("pair");
  });
  link.addEventListener("catalog-loading", () => app.stock.loading());
  link.addEventListener("catalog-failed", (event) => app.stock.failed(event.detail));
  link.addEventListener("catalog", (event) => {
    app.stock.load(event.detail);
    app.stock.scanThresholds(event.detail.seq);
  });
  link.addEventListener("hall-event", (event) => route(event.detail));
  link.addEventListener("ready", () => {
    if (app.screen !== "app") return;
    app.alerts.load();
    app.panels[app.panel]?.show?.();
  });

  $("pair-form").addEventListener("submit", pairSubmit);
  $("signin-form").addEventListener("submit", signInSubmit);
  $("signout-btn").addEventListener("click", signOut);
  $("unpair-btn").addEventListener("click", async () => {
    if (await app.confirm(t("signin.unpair_title"), t("signin.unpair_body"), t("signin.unpair"))) {
      dropSession();
      link.forget();
      showScreen("pair");
    }
  });
  for (const button of document.querySelectorAll(".lang-btn")) {
    button.addEventListener("click", () => {
      setLang(LANGS.find((l) => l !== lang()));
      relabel();
    });
  }
  for (const a of document.querySelectorAll(".sidenav a")) {
    a.addEventListener("click", (event) => {
      event.preventDefault();
      app.showPanel(a.dataset.panel);
    });
  }
  window.addEventListener("hashchange", () => {
    if (app.screen === "app") app.showPanel(location.hash.slice(1));
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && app.screen === "app" && app.panel === "stock"
        && !["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement?.tagName) && !document.querySelector("dialog[open]")) {
      event.preventDefault();
      $("stock-search").focus();
    }
  });

  relabel();
  if (!link.paired) {
    showScreen("pair");
  } else {
    const kept = keptSession();
    if (kept) {
      // A reload: the person is signed in again as soon as the hub answers, without the password.
      app.person = kept.name;
      $("signin-name").value = kept.name;
      $("signin-resuming").textContent = t("signin.resuming", { person: kept.name });
    }
    showScreen("signin");
    link.connect();
  }
}

boot();
