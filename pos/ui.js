// Small DOM helpers shared by the till's screens: element building (text always
// through textContent), on-screen keypads, and the confirm and PIN dialogs.
import { both, say, t } from "./i18n.js";

export const $ = (id) => document.getElementById(id);

/** h("div", {class: "x", dataset: {sku}}, "text", child) — text is set as text, never as HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Digits only, as a number (or null when empty). */
export function amountOf(input) {
  const digits = String(input.value || "").replace(/[^0-9]/g, "");
  return digits ? Number(digits) : null;
}

export function setAmount(input, value) {
  input.value = value === null || value === undefined ? "" : new Intl.NumberFormat("ko-KR").format(value);
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

/** Fill every .keypad[data-target] inside root with buttons that type into its target field. */
export function keypads(root) {
  for (const pad of root.querySelectorAll(".keypad[data-target]")) {
    if (pad.childElementCount) continue;
    const keys = pad.dataset.keys ? pad.dataset.keys.split(",") : ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "⌫"];
    pad.setAttribute("role", "group");
    for (const key of keys) {
      const label = key === "⌫" ? "⌫" : key;
      const button = h("button", { type: "button", class: "key", tabindex: "-1", dataset: { key } }, label);
      if (key === "⌫") button.setAttribute("aria-label", "Backspace");
      if (key === "C") button.setAttribute("aria-label", "Clear");
      pad.append(button);
    }
    pad.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-key]");
      if (!button) return;
      const input = document.getElementById(pad.dataset.target);
      const key = button.dataset.key;
      const money = input.classList.contains("amount-input");
      let raw = money ? String(input.value).replace(/[^0-9]/g, "") : input.value;
      if (key === "C") raw = "";
      else if (key === "⌫") raw = raw.slice(0, -1);
      else if (!input.maxLength || input.maxLength < 0 || raw.length < input.maxLength) raw += key;
      if (money) setAmount(input, raw ? Number(raw) : null);
      else {
        input.value = raw;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
      input.focus();
    });
  }
}

/** Amount fields show thousands separators as the cashier types. */
export function moneyFields(root) {
  for (const input of root.querySelectorAll("input.amount-input")) {
    input.addEventListener("input", () => {
      const digits = input.value.replace(/[^0-9]/g, "").slice(0, 9);
      const formatted = digits ? new Intl.NumberFormat("ko-KR").format(Number(digits)) : "";
      if (formatted !== input.value) input.value = formatted;
    });
  }
}

/** Ask a yes/no question in both languages; resolves true or false. */
export function confirmDialog(message, { yes = "dlg.yes", no = "dlg.no", danger = false } = {}) {
  const dialog = $("confirm-dlg");
  say($("confirm-text"), message, danger ? "warn" : "");
  $("confirm-yes").textContent = t(yes);
  $("confirm-no").textContent = t(no);
  $("confirm-yes").classList.toggle("danger", danger);
  return new Promise((resolve) => {
    const done = (answer) => {
      dialog.removeEventListener("close", onClose);
      $("confirm-yes").onclick = null;
      $("confirm-no").onclick = null;
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const onClose = () => done(false);
    dialog.addEventListener("close", onClose);
    $("confirm-yes").onclick = () => done(true);
    $("confirm-no").onclick = () => done(false);
    dialog.showModal();
    // A risky "yes" (sell what is not there, empty the cart) must be chosen, never reached by Enter.
    $(danger ? "confirm-no" : "confirm-yes").focus();
  });
}

/**
 * Ask for someone's PIN: {cashiers: [{cashier_id, name}], title: {ko,en}, preselect}.
 * `attempt(cashier_id, pin)` returns null when done or a {ko, en} message to show and ask again.
 * Resolves true when attempt succeeded, false when cancelled.
 */
export function pinDialog({ title, cashiers, preselect, attempt }) {
  const dialog = $("pin-dlg");
  say($("pin-dlg-title"), title);
  const select = $("pin-dlg-who");
  select.replaceChildren(...cashiers.map((c) => h("option", { value: c.cashier_id }, `${c.name} (${c.cashier_id})`)));
  if (preselect) select.value = preselect;
  $("pin-dlg-input").value = "";
  say($("pin-dlg-msg"), null);
  return new Promise((resolve) => {
    let busy = false;
    const form = $("pin-dlg-form");
    const finish = (answer) => {
      form.onsubmit = null;
      dialog.onclose = null;
      $("pin-dlg-cancel").onclick = null;
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    form.onsubmit = async (event) => {
      event.preventDefault();
      if (busy) return;
      const pin = $("pin-dlg-input").value;
      if (!/^[0-9]{4,8}$/.test(pin)) {
        say($("pin-dlg-msg"), both("signin.pin_format"), "error");
        return;
      }
      busy = true;
      say($("pin-dlg-msg"), both("status.working"), "busy");
      const problem = await attempt(select.value, pin);
      busy = false;
      if (problem) {
        $("pin-dlg-input").value = "";
        say($("pin-dlg-msg"), problem, "error");
        $("pin-dlg-input").focus();
      } else {
        finish(true);
      }
    };
    $("pin-dlg-cancel").onclick = () => finish(false);
    dialog.onclose = () => finish(false);
    dialog.showModal();
    $("pin-dlg-input").focus();
  });
}
