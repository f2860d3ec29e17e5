// What a panel is doing, said in the screen's language: loading, failed (with the reason and a retry),
// or a short note. Kept as state, so switching the language re-says it.
import { errorText, t, tCount } from "./i18n.js";
import { h } from "./util.js";

export class PanelStatus {
  constructor(el) {
    this.el = el;
    this.state = null;
  }

  loading(what) {
    this.state = { kind: "loading", what };
    this.render();
  }

  failed(what, err, retry) {
    this.state = { kind: "error", what, err, retry };
    this.render();
  }

  /** A short note; a number `n` among the vars is a count, said in the language's plural form. */
  note(key, vars) {
    this.state = key ? { kind: "note", key, vars } : null;
    this.render();
  }

  clear() {
    this.note(null);
  }

  get busy() {
    return this.state?.kind === "loading";
  }

  render() {
    const { el, state } = this;
    el.replaceChildren();
    el.dataset.state = state ? state.kind : "";
    if (!state) return;
    if (state.kind === "loading") {
      el.append(h("span", { class: "spinner", "aria-hidden": "true" }), t("status.loading", { what: t(state.what) }));
    } else if (state.kind === "error") {
      el.append(t("status.failed", { what: t(state.what), error: errorText(state.err) }));
      if (state.retry) {
        el.append(" ", h("button", { type: "button", class: "btn small", text: t("common.retry"),
          on: { click: () => state.retry() } }));
      }
    } else {
      const { n, ...rest } = state.vars || {};
      el.append(typeof n === "number" ? tCount(state.key, n, rest) : t(state.key, state.vars));
    }
  }
}

/**
 * The hall-wide banner for a demo program that is wholly past (/api/screen-settings' demo_program): nothing
 * can be booked, and the fix is the hall's settings, so every panel shows it. Call again after a language
 * switch to re-say it.
 */
export function showProgramBanner(program) {
  let banner = document.getElementById("program-banner");
  if (!program?.over) {
    if (banner) banner.hidden = true;
    return;
  }
  if (!banner) {
    // The offline banner and this one share the frame's banner row, one above the other.
    const offline = document.getElementById("offline-banner");
    // Set through the CSSOM: the hub's CSP (style-src 'self') refuses style attributes.
    const row = h("div");
    row.style.gridArea = "banner";
    offline.replaceWith(row);
    banner = h("p", { id: "program-banner", class: "banner", role: "status" });
    row.append(offline, banner);
  }
  banner.hidden = false;
  const ends = program.ends_at || "";
  banner.textContent = t("banner.program_over", { first_day: program.first_day || "—",
    ends: `${ends.slice(0, 10)} ${ends.slice(11, 16)}` });
}
