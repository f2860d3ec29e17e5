// Feedback: the kiosks' one-tap ratings and comments, newest first, with the average per day.
import { num, t, when } from "./i18n.js";
import { PanelStatus } from "./status.js";
import { LazyPanel } from "./panel.js";
import { h } from "./util.js";

const $ = (id) => document.getElementById(id);

export class FeedbackPanel extends LazyPanel {
  constructor(app) {
    super(1500);
    this.app = app;
    this.status = new PanelStatus($("feedback-status"));
    this.data = null;
    $("feedback-refresh").addEventListener("click", () => this.load());
  }

  async load() {
    this.dirty = false;
    if (!this.data) this.status.loading("feedback.what");
    try {
      this.data = await this.app.link.command("feedback_list");
      this.status.note(this.data.feedback.length ? "feedback.count" : "feedback.none",
        { n: this.data.feedback.length });
      this.render();
    } catch (err) {
      this.dirty = true;
      this.status.failed("feedback.what", err, () => this.load());
    }
  }

  render() {
    if (!this.data) return;
    const daily = $("daily-table");
    daily.tHead.rows[0].replaceChildren(...["feedback.col.day", "feedback.col.count", "feedback.col.average"]
      .map((key, i) => h("th", { scope: "col", class: i ? "num" : "", text: t(key) })));
    const days = [...this.data.daily].reverse();
    daily.tBodies[0].replaceChildren(...(days.length ? days.map((day) => h("tr", { data: { day: day.day } },
      h("th", { scope: "row", text: day.day }),
      h("td", { class: "num", text: num(day.count) }),
      h("td", { class: "num avg" },
        h("span", { class: "meter", "aria-hidden": "true" },
          h("span", { style: `width:${Math.round((day.average / 5) * 100)}%` })),
        h("span", { data: { field: "average" }, text: day.average.toFixed(2) })))) : [h("tr", {},
      h("td", { colspan: 3, class: "muted", text: t("feedback.none") }))]));
    const list = $("feedback-list");
    list.replaceChildren(...this.data.feedback.map((item) => h("li", { class: `fb r${item.rating}`,
      data: { rating: item.rating } },
    h("span", { class: "stars", "aria-label": t("feedback.rating", { n: item.rating }),
      text: "★".repeat(item.rating) + "☆".repeat(5 - item.rating) }),
    h("span", { class: "comment", text: item.comment || t("feedback.no_comment") }),
    h("span", { class: "muted small", text: [when(item.at), t(`feedback.context.${item.context}`), item.device,
      item.lang].filter(Boolean).join(" · ") }))));
    if (!this.data.feedback.length) list.append(h("li", { class: "muted", text: t("feedback.none") }));
  }

  relabel() {
    this.status.render();
    this.render();
  }
}
