// A visitor's one-tap rating (1–5) with an optional short comment. The tap is the rating: it is sent
// when the visitor sends a comment, leaves the screen, or after a short pause, so one visit is one
// record and a comment never becomes a second rating.
import { newId } from "/common/hall.js";
import { make } from "/common/dom.js";
import { Keyboard } from "./keyboard.js";

const SEND_AFTER_MS = 15000;
const MAX_COMMENT = 300;

export class FeedbackBox {
  /** send(payload) → Promise: queues and delivers (retrying with the same feedback_id). */
  constructor(root, { t, context, send, lang }) {
    this.root = root;
    this.t = t;
    this.context = context;
    this.send = send;
    this.lang = lang;
    this.pending = null;
    this.timer = 0;
    this.build();
    this.reset();
  }

  build() {
    const id = `fb-${this.context}`;
    this.title = make("h2", "fb-title");
    this.title.id = `${id}-title`;
    this.stars = make("div", "fb-ratings");
    this.stars.setAttribute("role", "group");
    this.stars.setAttribute("aria-labelledby", this.title.id);
    this.buttons = [1, 2, 3, 4, 5].map((rating) => {
      const button = make("button", "fb-rating");
      button.type = "button";
      button.dataset.rating = String(rating);
      button.append(make("span", "fb-star", "★".repeat(rating)), make("span", "fb-rating-label"));
      button.addEventListener("click", () => this.rate(rating));
      this.stars.append(button);
      return button;
    });
    this.after = make("div", "fb-after");
    this.thanks = make("p", "fb-thanks");
    this.thanks.setAttribute("role", "status");
    this.commentLabel = make("label", "fb-comment-label");
    this.commentLabel.htmlFor = `${id}-comment`;
    this.comment = make("input", "fb-comment");
    this.comment.id = `${id}-comment`;
    this.comment.maxLength = MAX_COMMENT;
    this.comment.setAttribute("inputmode", "none");
    this.comment.autocomplete = "off";
    this.comment.addEventListener("focus", () => this.openKeyboard());
    this.comment.addEventListener("pointerdown", () => this.openKeyboard());
    this.comment.addEventListener("input", () => this.holdOn());
    this.sendButton = make("button", "btn btn-primary fb-send");
    this.sendButton.type = "button";
    this.sendButton.addEventListener("click", () => this.flush());
    const row = make("div", "fb-comment-row");
    row.append(this.comment, this.sendButton);
    this.keyboardBox = make("div", "fb-keyboard");
    this.keyboardBox.hidden = true;
    this.keyboard = new Keyboard(this.keyboardBox, {
      t: this.t, layout: this.lang(), maxLength: MAX_COMMENT,
      onClose: () => { this.keyboardBox.hidden = true; },
    });
    this.keyboard.attach(this.comment);
    this.after.append(this.commentLabel, row, this.keyboardBox);
    this.root.replaceChildren(this.title, this.stars, this.after, this.thanks);
    this.render();
  }

  render() {
    const t = this.t;
    this.title.textContent = t(`feedback.question_${this.context}`);
    this.buttons.forEach((button, i) => {
      button.querySelector(".fb-rating-label").textContent = t(`feedback.rating_${i + 1}`);
      button.setAttribute("aria-label", t("feedback.rating_aria", { n: i + 1, label: t(`feedback.rating_${i + 1}`) }));
    });
    this.commentLabel.textContent = t("feedback.comment_label");
    this.comment.placeholder = t("feedback.comment_placeholder");
    this.sendButton.textContent = t("feedback.send");
    this.keyboard.draw();
    if (this.state === "sent") this.thanks.textContent = t("feedback.thanks");
    else if (this.state === "rated") this.thanks.textContent = t("feedback.rated");
  }

  reset() {
    clearTimeout(this.timer);
    this.pending = null;
    this.state = "idle";
    this.comment.value = "";
    this.after.hidden = true;
    this.thanks.hidden = true;
    this.thanks.textContent = "";
    this.keyboardBox.hidden = true;
    this.stars.hidden = false;
    for (const button of this.buttons) {
      button.setAttribute("aria-pressed", "false");
      button.disabled = false;
    }
  }

  rate(rating) {
    if (this.state === "sent") return;
    this.pending = { feedback_id: this.pending ? this.pending.feedback_id : newId(), rating };
    this.state = "rated";
    for (const button of this.buttons) {
      button.setAttribute("aria-pressed", String(Number(button.dataset.rating) === rating));
    }
    this.after.hidden = false;
    this.thanks.hidden = false;
    this.thanks.textContent = this.t("feedback.rated");
    this.holdOn();
  }

  openKeyboard() {
    if (this.keyboardBox.hidden) this.keyboard.setLayout(this.lang() === "ko" ? "ko" : "en");
    this.keyboardBox.hidden = false;
    this.holdOn();
  }

  /** The visitor is still writing: wait before sending the rating on its own. */
  holdOn() {
    clearTimeout(this.timer);
    if (this.pending) this.timer = setTimeout(() => this.flush(), SEND_AFTER_MS);
  }

  /** Send the rating (and comment) now, if one was given. */
  flush() {
    clearTimeout(this.timer);
    if (!this.pending || this.state === "sent") return;
    const payload = { ...this.pending, comment: this.comment.value.trim().slice(0, MAX_COMMENT),
      context: this.context, lang: this.lang() };
    this.pending = null;
    this.state = "sent";
    this.send(payload);
    this.after.hidden = true;
    this.keyboardBox.hidden = true;
    this.stars.hidden = true;
    this.thanks.hidden = false;
    this.thanks.textContent = this.t("feedback.thanks");
  }
}
