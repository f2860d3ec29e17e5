// What every screen's words have in common: one JSON file per language, {name} placeholders, a fallback
// language, counts by the language's plural rules, numbers formatted once per locale, and the page's fixed
// words filled from data- attributes. Each screen's own i18n.js chooses its languages and how it shows them.
import { loadStrings } from "/common/hall.js";

const LOCALES = { ko: "ko-KR", en: "en-US" };

/** The BCP 47 locale for a language code ("ko" -> "ko-KR"); unknown codes pass through. */
export function localeOf(lang) {
  return LOCALES[lang] || lang;
}

/**
 * Words for several languages, looked up with a fallback: the asked language, then English, then Korean,
 * then the key itself (visible in review, never blank).
 */
export class Words {
  constructor(base, langs) {
    this.base = base;
    this.langs = langs;
    this.strings = Object.fromEntries(langs.map((lang) => [lang, {}]));
  }

  async load(langs = this.langs) {
    const files = await Promise.all(langs.map((lang) => loadStrings(this.base, lang)));
    langs.forEach((lang, i) => { this.strings[lang] = files[i]; });
    this.langs = langs;
  }

  template(lang, key) {
    const { strings } = this;
    return strings[lang]?.[key] ?? strings.en?.[key] ?? strings.ko?.[key] ?? key;
  }

  has(lang, key) {
    return this.strings[lang]?.[key] !== undefined || this.strings.en?.[key] !== undefined;
  }

  /** The text of `key` in `lang` with {name} filled from vars (a value may be {ko, en} per language). */
  text(lang, key, vars) {
    return fill(this.template(lang, key), vars, lang);
  }

  /** The text for a count: "key_one" (or another plural form) where the language has it for n, else "key". */
  count(lang, key, n, vars = {}) {
    const form = `${key}_${plurals(lang).select(n)}`;
    const chosen = this.strings[lang]?.[form] !== undefined ? form : key;
    return this.text(lang, chosen, { n: formatNumber(n, lang), ...vars });
  }
}

/** A template with {name} filled; a placeholder with no value is left as it is, so a gap shows in review. */
export function fill(template, vars, lang) {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = vars[name];
    if (value === undefined) return whole;
    if (value !== null && typeof value === "object") return String(value[lang] ?? value.en ?? "");
    return String(value ?? "");
  });
}

// Making an Intl formatter costs far more than using one: keep one per language.
const numberFormats = new Map();
const pluralRules = new Map();

export function formatNumber(n, lang) {
  let format = numberFormats.get(lang);
  if (!format) {
    format = new Intl.NumberFormat(localeOf(lang));
    numberFormats.set(lang, format);
  }
  return format.format(n ?? 0);
}

function plurals(lang) {
  let rules = pluralRules.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(localeOf(lang));
    pluralRules.set(lang, rules);
  }
  return rules;
}

/** Fill `el` with one <span lang> per language, in order: {ko: "…", en: "…"}; classes by language. */
export function bilingual(el, texts, classes = {}) {
  el.replaceChildren(...Object.entries(texts).map(([lang, text]) => {
    const span = document.createElement("span");
    span.lang = lang;
    if (classes[lang]) span.className = classes[lang];
    span.textContent = text;
    return span;
  }));
  return el;
}

/**
 * The page's fixed words: data-i18n (text), data-i18n-label (aria-label), data-i18n-placeholder,
 * data-i18n-title, each through `t`; data-both through `both(el, key)` where the screen says both languages.
 */
export function applyStatic(root, t, both) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  if (both) for (const el of root.querySelectorAll("[data-both]")) both(el, el.dataset.both);
}
