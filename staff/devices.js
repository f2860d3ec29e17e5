// Devices: every paired kiosk, till, scanner and staff screen, online or not and when last heard; pair a
// new one (a one-time code, shown big with its QR) and revoke one (it is disconnected at once).
// A device coming or going is pushed (`presence`); the list is also re-read every POLL_MS while in view, for
// the last-heard times of devices that stay connected, and after a reconnect.
import { clockShort, nowClock } from "/common/time.js";
import { num, t, when } from "./i18n.js";
import { PanelStatus } from "./status.js";
import { h, throttle } from "./util.js";

const $ = (id) => document.getElementById(id);
const POLL_MS = 10000;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const COLUMNS = ["devices.col.name", "devices.col.role", "devices.col.state", "devices.col.last_seen",
  "devices.col.printer", "devices.col.paired", ""];

export class DevicesPanel {
  constructor(app) {
    this.app = app;
    this.status = new PanelStatus($("devices-status"));
    this.devices = null;
    this.visible = false;
    this.pairing = null; // the code on show: {code, role, name, expires_at, paired}
    this.timer = 0;
    this.tick = 0;
    this.refreshSoon = throttle(() => this.load(), 500);
    $("devices-refresh").addEventListener("click", () => this.load());
    // Comings and goings pushed while this screen was away are lost with the socket: read the list again.
    app.link.addEventListener("ready", () => { if (this.visible) this.load(); });
    $("pairnew-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.createPairing();
    });
    $("pairnew-role").addEventListener("change", () => this.suggestName());
    $("devices-table").tBodies[0].addEventListener("click", (event) => {
      const button = event.target.closest("button[data-revoke]");
      if (button) this.revoke(button.dataset.revoke);
    });
  }

  show() {
    this.visible = true;
    this.load();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.load(), POLL_MS);
  }

  hide() {
    this.visible = false;
    clearInterval(this.timer);
  }

  /** device.added / paired / revoked */
  changed(event) {
    if (event.type === "device.paired" && this.pairing && event.data.name === this.pairing.name) {
      this.pairing.paired = true;
      this.renderPairing();
    }
    if (this.visible) this.refreshSoon();
  }

  /** A `presence` push: a device's first socket connected or its last one went. */
  presence({ name, online, at }) {
    const device = this.devices?.find((d) => d.name === name);
    if (!device) {
      if (this.visible) this.refreshSoon();
      return;
    }
    Object.assign(device, { online, last_seen: at });
    if (this.visible) this.render();
  }

  async load() {
    if (!this.devices) this.status.loading("devices.what");
    try {
      const answer = await this.app.link.command("devices");
      this.devices = answer.devices;
      this.status.note("devices.as_of", { time: nowClock() });
      this.render();
      if (!$("pairnew-name").value) this.suggestName();
    } catch (err) {
      this.status.failed("devices.what", err, () => this.load());
    }
  }

  render() {
    if (!this.devices) return;
    const table = $("devices-table");
    table.tHead.rows[0].replaceChildren(...COLUMNS.map((key) => h("th", { scope: "col", text: key ? t(key) : "" })));
    const me = this.app.link.deviceName;
    const order = (d) => (d.revoked_at ? 2 : d.online ? 0 : 1);
    const sorted = [...this.devices].sort((a, b) => order(a) - order(b) || a.role.localeCompare(b.role)
      || a.name.localeCompare(b.name, undefined, { numeric: true }));
    table.tBodies[0].replaceChildren(...sorted.map((device) => {
      const state = device.revoked_at ? "revoked" : device.online ? "online" : "offline";
      return h("tr", { class: `dev ${state}`, data: { device: device.name, state } },
        h("th", { scope: "row" }, device.name, device.name === me ? h("span", { class: "tag", text: t("devices.this") }) : null),
        h("td", { text: t(`role.${device.role}`) }),
        h("td", {}, h("span", { class: `dot ${state}`, "aria-hidden": "true" }), t(`devices.state_${state}`),
          device.revoked_at ? h("span", { class: "l2", text: when(device.revoked_at) }) : null),
        h("td", { text: device.online ? t("devices.now") : device.last_seen ? when(device.last_seen) : t("devices.never") }),
        h("td", { text: device.printer || "—" }),
        h("td", { text: when(device.created_at) }),
        h("td", {}, device.revoked_at ? null : h("button", { type: "button", class: "btn small danger",
          data: { revoke: device.name }, text: t("devices.revoke") })));
    }));
    const live = this.devices.filter((d) => !d.revoked_at);
    const counts = {};
    for (const device of live) {
      counts[device.role] ||= { online: 0, all: 0 };
      counts[device.role].all += 1;
      if (device.online) counts[device.role].online += 1;
    }
    $("devices-summary").textContent = Object.keys(counts).length
      ? Object.entries(counts).map(([role, c]) => t("devices.count", { role: t(`role.${role}`),
        online: num(c.online), all: num(c.all) })).join(" · ")
      : t("devices.none");
  }

  suggestName() {
    const role = $("pairnew-role").value;
    const taken = new Set((this.devices || []).map((d) => d.name));
    let n = 1;
    while (taken.has(`${role}-${n}`)) n += 1;
    $("pairnew-name").placeholder = `${role}-${n}`;
  }

  async createPairing() {
    const role = $("pairnew-role").value;
    const name = $("pairnew-name").value.trim() || $("pairnew-name").placeholder;
    const error = $("pairnew-error");
    if (!NAME.test(name)) {
      error.textContent = t("pairnew.bad_name");
      return;
    }
    const existing = (this.devices || []).find((d) => d.name === name && !d.revoked_at);
    if (existing && !(await this.app.confirm(t("pairnew.replace_title", { name }),
      t("pairnew.replace_body", { name, role: t(`role.${existing.role}`) }), t("pairnew.replace_ok")))) return;
    error.textContent = t("dialog.saving");
    try {
      const answer = await this.app.command("pair_create", { role, name });
      error.textContent = "";
      this.pairing = { ...answer, paired: false };
      $("pairnew-name").value = "";
      this.renderPairing();
      clearInterval(this.tick);
      this.tick = setInterval(() => this.renderCountdown(), 1000);
    } catch (err) {
      error.textContent = this.app.errorText(err);
    }
  }

  renderPairing() {
    const box = $("pairnew-result");
    const pairing = this.pairing;
    if (!pairing) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    box.replaceChildren(
      h("p", { class: "pair-for", text: t("pairnew.for", { role: t(`role.${pairing.role}`), name: pairing.name }) }),
      h("p", { class: "pair-code", id: "pairnew-code", text: pairing.code }),
      // The QR opens the screen on this hub's address with the code filled in (common/hall.js).
      h("img", { class: "pair-qr", src: `/api/qr.svg?data=${encodeURIComponent(pairingUrl(pairing))}`,
        alt: t("pairnew.qr_alt", { code: pairing.code }), width: 180, height: 180 }),
      h("p", { class: "pair-expiry", id: "pairnew-expiry" }),
      h("p", { class: "muted small", text: t("pairnew.how", { role: pairing.role }) }),
      h("button", { type: "button", class: "btn small", text: t("pairnew.dismiss"),
        on: { click: () => { this.pairing = null; clearInterval(this.tick); this.renderPairing(); } } }));
    this.renderCountdown();
  }

  renderCountdown() {
    const out = $("pairnew-expiry");
    if (!out || !this.pairing) return;
    if (this.pairing.paired) {
      out.textContent = t("pairnew.paired", { name: this.pairing.name });
      out.className = "pair-expiry good";
      clearInterval(this.tick);
      return;
    }
    const left = Math.round((Date.parse(this.pairing.expires_at) - Date.now()) / 1000);
    if (left <= 0) {
      out.textContent = t("pairnew.expired");
      out.className = "pair-expiry bad";
      clearInterval(this.tick);
      return;
    }
    out.className = "pair-expiry";
    out.textContent = t("pairnew.expires", { time: clockShort(this.pairing.expires_at),
      left: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` });
  }

  async revoke(name) {
    const device = this.devices.find((d) => d.name === name);
    const self = name === this.app.link.deviceName;
    const ok = await this.app.confirm(t("devices.revoke_title", { name }),
      t(self ? "devices.revoke_self" : "devices.revoke_body", { name, role: t(`role.${device?.role || "kiosk"}`) }),
      t("devices.revoke"));
    if (!ok) return;
    try {
      await this.app.command("device_revoke", { name });
      this.app.toast(t("devices.revoked", { name }), "ok");
      this.load();
    } catch (err) {
      this.app.toast(t("devices.revoke_failed", { name, error: this.app.errorText(err) }), "bad");
    }
  }

  relabel() {
    this.status.render();
    this.render();
    this.renderPairing();
  }
}

const SCREEN_OF_ROLE = { kiosk: "kiosk", pos: "pos", staff: "staff", scanner: "scan" };

/** Where a new device of this role opens, on the address this staff screen reached the hub by. */
export function pairingUrl({ role, code }) {
  return `${location.origin}/${SCREEN_OF_ROLE[role]}/#pair=${code}`;
}
