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
