// One-tap feedback from the phone: the tap is the rating, sent at once with its feedback_id; one the hub has
// not acknowledged is kept and sent again (same id) when the link comes back, and the phone says so.
import { newId } from "/common/hall.js";
import { make } from "/common/dom.js";
import { language, t } from "./i18n.js";
import { keep } from "./keep.js";
import { TRANSIENT } from "./orders.js";

export class Feedback {
  constructor(link) {
    this.link = link;
    this.boxes = [];
    link.addEventListener("ready", () => this.flush());
  }

  /** A row of five ratings in `root`, asked about `context` (order, attract, demo). */
  mount(root, context) {
    const title = make("h3", "fb-title", t(`feedback.question_${context}`));
    title.id = `fb-${root.id}-title`;
    const row = make("div", "fb-ratings");
    row.setAttribute("role", "group");
    row.setAttribute("aria-labelledby", title.id);
    for (const rating of [1, 2, 3, 4, 5]) {
      const button = make("button", "fb-rating");
      button.type = "button";
      button.dataset.rating = String(rating);
      button.setAttribute("aria-label", t("feedback.rating_aria", { n: rating, label: t(`feedback.rating_${rating}`) }));
      button.append(make("span", "fb-star", "★".repeat(rating)), make("span", "fb-label", t(`feedback.rating_${rating}`)));
      button.addEventListener("click", () => this.rate(root, context, rating));
      row.append(button);
    }
    const status = make("p", "fb-status");
    status.setAttribute("role", "status");
    root.replaceChildren(title, row, status);
  }

  async rate(root, context, rating) {
    const item = { feedback_id: newId(), rating, context, lang: language.current };
    keep.setFeedback([...keep.feedback(), item]);
    for (const button of root.querySelectorAll(".fb-rating")) {
      button.setAttribute("aria-pressed", String(Number(button.dataset.rating) === rating));
      button.disabled = true;
    }
    const status = root.querySelector(".fb-status");
    status.textContent = t("feedback.sending");
    status.textContent = t(await this.flush() ? "feedback.thanks" : "feedback.not_sent");
  }

  /** Send what is kept; resolves whether all of it is acknowledged. */
  async flush() {
    for (const item of keep.feedback()) {
      try {
        await this.link.command("feedback", item);
      } catch (err) {
        if (TRANSIENT.has(err.code)) return false;
        // Refused for good (invalid, id_reused): nothing to send again.
      }
      keep.setFeedback(keep.feedback().filter((kept) => kept.feedback_id !== item.feedback_id));
    }
    return true;
  }
}
