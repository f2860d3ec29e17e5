// The kiosk's accessibility (무인정보단말기 접근성): the row of buttons always at the bottom of every screen
// (low screen, voice guide, text size, simple screen, call staff; back and start over in the simple screen),
// the voice guide's captions and settings, what is read aloud and when, and calling staff. The modes last one
// visit: starting over gives the next visitor the kiosk as it was.
import { newId } from "/common/hall.js";
import { bilingual } from "/common/i18n.js";
import { language, t, tCount } from "./i18n.js";
import { Keypad, position } from "./keys.js";
import { RATES, VOLUMES, VoiceGuide } from "./voice.js";

const $ = (id) => document.getElementById(id);
const LONG_PRESS_MS = 2000;
const TEXT_SIZES = 3;
// Any mode on: the visitor gets this many times as long before "are you still there?".
export const MORE_TIME = 3;
const TRANSIENT = new Set(["offline", "timeout", "internal", "storage_unavailable", "writer_unreachable"]);
// Live regions the guide does not read: the link's state pill (the stale banner says what matters) and the
// attract screen's catalog counts.
const QUIET = new Set(["link-status", "attract-status", "caption", "help-status"]);

function nameOf(el) {
  const label = el.getAttribute("aria-label");
  if (label) return label;
  if (el.labels && el.labels.length) return el.labels[0].textContent.trim();
  if (el.matches("input")) return el.placeholder || "";
  return el.textContent.replace(/\s+/g, " ").trim();
}

export class Access {
  /**
   * link: the HallLink; screen(): the screen shown now; roots(): the parts a visitor can reach;
   * back(), home(): the kiosk's own; changed(modes): after any mode changes (the idle time follows).
   */
  constructor({ link, screen, roots, back, home, changed }) {
    this.link = link;
    this.screen = screen;
    this.roots = roots;
    this.changed = changed;
    this.voice = new VoiceGuide({ caption: $("caption-text"), lang: () => language.current });
    this.modes = { lowReach: false, textSize: 0, simple: false };
    this.help = { state: "", alertId: null, callId: null, vars: null };
    this.keypad = new Keypad({ roots, back });
    $("access-low").addEventListener("click", () => this.set({ lowReach: !this.modes.lowReach }));
    $("access-voice").addEventListener("click", () => this.setVoice(!this.voice.on));
    $("access-text").addEventListener("click", () => this.set({ textSize: (this.modes.textSize + 1) % TEXT_SIZES }));
    $("access-simple").addEventListener("click", () => this.set({ simple: !this.modes.simple }));
    $("access-call").addEventListener("click", () => this.callStaff());
    $("access-back").addEventListener("click", back);
    $("access-home").addEventListener("click", home);
    for (const [id, what, by] of [["voice-slower", "rate", -1], ["voice-faster", "rate", 1],
      ["voice-quieter", "volume", -1], ["voice-louder", "volume", 1]]) {
      $(id).addEventListener("click", () => {
        this.voice.step(what, by);
        this.renderVoice();
        this.voice.say(this.voiceSettings(), { interrupt: true });
      });
    }
    link.addEventListener("help.acknowledged", (event) => this.acknowledged(event.detail.data));
    document.addEventListener("focusin", (event) => this.focused(event.target));
    document.addEventListener("keydown", (event) => this.key(event));
    this.watchLongPress();
    this.watchLiveRegions();
    new ResizeObserver(() => {
      document.documentElement.style.setProperty("--dock-h", `${$("dock").offsetHeight}px`);
    }).observe($("dock"));
  }

  /** True while any mode is on: the kiosk then gives more time. */
  get any() {
    return this.modes.lowReach || this.modes.textSize > 0 || this.modes.simple || this.voice.on;
  }

  set(change) {
    Object.assign(this.modes, change);
    const { lowReach, textSize, simple } = this.modes;
    document.body.classList.toggle("low-reach", lowReach);
    document.body.classList.toggle("simple", simple);
    for (let size = 1; size < TEXT_SIZES; size += 1) {
      document.documentElement.classList.toggle(`text-${size}`, textSize === size);
    }
    this.render();
    this.changed(this.modes);
    // Saying what changed is the only way a blind visitor knows the press did something.
    if ("lowReach" in change) this.voice.say(`${t("access.low_reach")} ${t(lowReach ? "voice.pressed" : "voice.not_pressed")}`);
    if ("simple" in change) this.voice.say(`${t("access.simple")} ${t(simple ? "voice.pressed" : "voice.not_pressed")}`);
    if ("textSize" in change) this.voice.say(t("access.text_size_named", { size: t(`access.size.${textSize}`) }));
  }

  setVoice(on) {
    if (!on) this.voice.say(t("voice.off"), { interrupt: true });
    this.voice.on = on;
    this.listen(on);
    if (!on) this.voice.stop();
    this.render();
    this.changed(this.modes);
    if (on) {
      this.voice.say(t("voice.on"), { interrupt: true });
      this.screenShown(this.screenVars, { interrupt: false });
    }
  }

  /** A new visitor: every mode off, no call on screen (a call already made still brings staff). */
  reset() {
    this.voice.reset();
    this.listen(false);
    this.help = { state: "", alertId: null, callId: null, vars: null };
    this.set({ lowReach: false, textSize: 0, simple: false });
  }

  // ------------------------------------------------------------ what is shown

  render() {
    const screen = this.screen();
    // Before a visitor has chosen a language the attract screen says everything in both.
    const both = screen === "attract";
    const word = (el, key, vars) => {
      if (both) bilingual(el, { ko: t(key, vars, "ko"), en: t(key, vars, "en") }, { en: "second-lang" });
      else el.textContent = t(key, vars);
    };
    $("dock").hidden = screen === "pair" || screen === "boot";
    // The dock grows and the words grow: the page may then need to scroll (kiosk.css, body.a11y).
    document.body.classList.toggle("a11y", this.any || Boolean(this.help.state));
    $("dock").setAttribute("aria-label", t("access.bar_label"));
    word($("access-low"), "access.low_reach");
    word($("access-voice"), "access.voice");
    const size = `access.size.${this.modes.textSize}`;
    word($("access-text"), "access.text_size", { size: { ko: t(size, null, "ko"), en: t(size, null, "en") } });
    word($("access-simple"), "access.simple");
    word($("access-call"), "access.call");
    word($("access-back"), "access.back");
    word($("access-home"), "access.home");
    $("access-low").setAttribute("aria-pressed", String(this.modes.lowReach));
    $("access-voice").setAttribute("aria-pressed", String(this.voice.on));
    $("access-simple").setAttribute("aria-pressed", String(this.modes.simple));
    $("access-text").dataset.size = String(this.modes.textSize);
    // Back and start over are always in reach in the simple screen; elsewhere each screen has its own.
    const simpleNav = this.modes.simple && screen !== "attract";
    $("access-back").hidden = !simpleNav;
    $("access-home").hidden = !simpleNav;
    $("reach-note").hidden = !this.modes.lowReach;
    $("reach-note").textContent = t("access.reach_note");
    $("simple-step").hidden = !this.modes.simple || !["browse", "order"].includes(screen);
    $("simple-step").textContent = t(screen === "order" ? "simple.step_order" : "simple.step_browse");
    this.renderVoice();
    this.renderHelp();
  }

  voiceSettings() {
    return t("voice.settings", { rate: this.voice.rate.toFixed(1), volume: Math.round(this.voice.volume * 100) });
  }

  renderVoice() {
    $("voice-panel").hidden = !this.voice.on;
    $("voice-panel").setAttribute("aria-label", t("voice.settings_label"));
    $("voice-settings").textContent = this.voiceSettings();
    for (const [id, key] of [["voice-slower", "voice.rate_down"], ["voice-faster", "voice.rate_up"],
      ["voice-quieter", "voice.volume_down"], ["voice-louder", "voice.volume_up"]]) {
      $(id).textContent = t(key);
    }
    $("voice-slower").disabled = this.voice.rateStep === 0;
    $("voice-faster").disabled = this.voice.rateStep === RATES.length - 1;
    $("voice-quieter").disabled = this.voice.volumeStep === 0;
    $("voice-louder").disabled = this.voice.volumeStep === VOLUMES.length - 1;
    $("caption").setAttribute("aria-label", t("voice.caption_label"));
    if (!this.voice.on) $("caption-text").textContent = "";
  }

  // ------------------------------------------------------------ what is read aloud

  /** A new screen: what it is, and what is on it that the visitor must know (a code, a time, a total). */
  screenShown(vars = this.screenVars, { interrupt = true } = {}) {
    this.screenVars = vars;
    this.render();
    const screen = this.screen();
    const key = `voice.screen.${screen}`;
    if (this.voice.on && key !== "voice.screen.pair") this.voice.say(t(key, vars || {}), { interrupt });
  }

  focused(el) {
    if (!this.voice.on || !el || el === document.body || el.closest("#caption")) return;
    const parts = [nameOf(el)];
    if (el.getAttribute("aria-pressed") === "true") parts.push(t("voice.pressed"));
    if (el.getAttribute("aria-selected") === "true") parts.push(t("voice.selected"));
    const scope = this.roots().find((root) => root && root.contains(el)) || document.body;
    const where = position(el, scope);
    if (where) parts.push(t("voice.position", where));
    this.voice.say(parts.filter(Boolean).join(", "), { interrupt: true });
  }

  /** The cart changed: the product, how many now, and the total. */
  cart({ name, qty, total }) {
    this.voice.say(t(qty ? "voice.cart" : "voice.cart_removed", { name, qty, total }));
  }

  /** The order's time to pay: spoken each minute, then at 30 and 10 seconds. */
  countdown(seconds) {
    // The order screen's own line says the time to pay by as it opens; the countdown follows from there.
    if (this.screen() !== "order") return;
    if (!(seconds > 0) || !(seconds % 60 === 0 || seconds === 30 || seconds === 10)) return;
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    const time = m && s ? t("voice.minutes_seconds", { m, s }) : m ? t("voice.minutes", { m }) : t("voice.seconds", { s });
    this.voice.say(t("voice.countdown", { time }));
  }

  /** "Are you still there?": read when it opens, then every 5 seconds and each of the last 3. */
  idleWarning(seconds, first) {
    if (first || seconds % 5 === 0 || seconds <= 3) this.voice.say(tCount("idle.text", seconds), { interrupt: first });
  }

  watchLiveRegions() {
    const timers = new Map();
    const read = (el) => {
      const text = el.textContent.replace(/\s+/g, " ").trim();
      if (!text || el.closest("[hidden], [inert]") || !el.getClientRects().length) return;
      if (el.dataset.spoken === text) return;
      el.dataset.spoken = text;
      this.voice.say(text);
    };
    this.liveRegions = new MutationObserver((changes) => {
      for (const change of changes) {
        const node = change.target.nodeType === 1 ? change.target : change.target.parentElement;
        const region = node && node.closest("[role='status'], [role='alert'], [aria-live]");
        if (!region || QUIET.has(region.id) || region.getAttribute("aria-live") === "off") continue;
        // A region rewritten on every keystroke (the result count) is read once the visitor pauses.
        clearTimeout(timers.get(region));
        timers.set(region, setTimeout(() => read(region), 500));
      }
    });
  }

  /** Only a guide that speaks watches the page's changes: a silent kiosk pays nothing for it. */
  listen(on) {
    if (on) this.liveRegions.observe(document.body, { subtree: true, childList: true, characterData: true });
    else this.liveRegions.disconnect();
  }

  // ------------------------------------------------------------ starting the voice guide

  key(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    // The keypad's voice key: * on a number pad, F1 or Help on others.
    if (event.key === "*" || event.key === "F1" || event.key === "Help") {
      if (event.target.matches && event.target.matches("input")) return;
      event.preventDefault();
      this.setVoice(!this.voice.on);
    }
  }

  /** Holding a finger on the screen for 2 seconds starts the voice guide (and that press does nothing else). */
  watchLongPress() {
    let timer = 0;
    let fired = false;
    const cancel = () => clearTimeout(timer);
    document.addEventListener("pointerdown", (event) => {
      fired = false;
      cancel();
      const at = { x: event.clientX, y: event.clientY };
      timer = setTimeout(() => {
        fired = true;
        if (!this.voice.on) this.setVoice(true);
      }, LONG_PRESS_MS);
      const moved = (move) => {
        if (Math.hypot(move.clientX - at.x, move.clientY - at.y) > 24) cancel();
      };
      document.addEventListener("pointermove", moved, { passive: true });
      document.addEventListener("pointerup", () => {
        cancel();
        document.removeEventListener("pointermove", moved);
      }, { once: true });
    }, { capture: true });
    document.addEventListener("click", (event) => {
      if (!fired) return;
      fired = false;
      event.preventDefault();
      event.stopPropagation();
    }, { capture: true });
  }

  // ------------------------------------------------------------ calling staff

  async callStaff() {
    if (this.help.state === "calling") return;
    // A call whose answer was lost is asked again with its id: the hub answers it as the first time.
    if (!this.help.callId || !this.help.retry) this.help.callId = newId();
    this.showHelp("calling");
    try {
      const answer = await this.link.command("call_staff", { call_id: this.help.callId, lang: language.current },
        { timeout: 8000 });
      this.help.retry = false;
      this.help.alertId = answer.alert_id;
      this.showHelp(answer.status === "waiting" ? "waiting" : "called");
    } catch (err) {
      this.help.retry = TRANSIENT.has(err.code);
      if (err.code === "call_too_soon") this.showHelp("too_soon", { n: err.details.retry_after });
      else this.showHelp(TRANSIENT.has(err.code) ? "failed" : "error", { code: err.code });
    }
  }

  acknowledged(data) {
    if (data.device !== this.link.deviceName || data.alert_id !== this.help.alertId) return;
    this.showHelp("acked");
  }

  /** While staff are on their way the visitor waits without touching anything: the kiosk waits too. */
  get waitingForStaff() {
    return ["called", "waiting", "acked"].includes(this.help.state);
  }

  showHelp(state, vars = null) {
    this.help.state = state;
    this.help.vars = vars;
    this.renderHelp();
    this.changed(this.modes);
    if (state !== "calling") this.voice.say(this.helpText(), { interrupt: true });
  }

  helpText() {
    const { state, vars } = this.help;
    if (state === "too_soon") return tCount("help.too_soon", vars.n);
    return t(`help.${state}`, vars || {});
  }

  renderHelp() {
    const box = $("help-status");
    box.hidden = !this.help.state;
    box.dataset.state = this.help.state;
    box.textContent = this.help.state ? this.helpText() : "";
    $("access-call").setAttribute("aria-pressed", String(this.waitingForStaff));
  }
}
