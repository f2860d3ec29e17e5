// The voice guide (음성 안내): the browser's speechSynthesis reads a line in the visitor's language at the
// chosen rate and volume, and the same line is shown as a caption for whoever cannot hear it. Lines come
// from the screen's message files; this module only says them.

const LOCALES = { ko: "ko-KR", en: "en-US" };
export const RATES = [0.6, 0.8, 1, 1.2, 1.4, 1.6];
export const VOLUMES = [0.2, 0.4, 0.6, 0.8, 1];

export class VoiceGuide {
  /** caption: the element that shows each spoken line; lang(): the visitor's language now. */
  constructor({ caption, lang }) {
    this.caption = caption;
    this.lang = lang;
    this.on = false;
    this.rateStep = RATES.indexOf(1);
    this.volumeStep = VOLUMES.length - 1;
  }

  get rate() {
    return RATES[this.rateStep];
  }

  get volume() {
    return VOLUMES[this.volumeStep];
  }

  /** Change speed (+1 faster, -1 slower) or volume within their steps. */
  step(what, by) {
    const [list, key] = what === "rate" ? [RATES, "rateStep"] : [VOLUMES, "volumeStep"];
    this[key] = Math.min(list.length - 1, Math.max(0, this[key] + by));
  }

  reset() {
    this.stop();
    this.on = false;
    this.rateStep = RATES.indexOf(1);
    this.volumeStep = VOLUMES.length - 1;
    this.caption.textContent = "";
  }

  stop() {
    if (window.speechSynthesis) window.speechSynthesis.cancel();
  }

  /**
   * Say `text` (and show it). `interrupt`: what the visitor just moved to replaces whatever was being read;
   * news (a status, an error, a countdown) waits for the line before it.
   */
  say(text, { interrupt = false } = {}) {
    if (!this.on || !text) return;
    const lang = this.lang();
    this.caption.textContent = text;
    this.caption.lang = lang;
    const synth = window.speechSynthesis;
    if (!synth || typeof SpeechSynthesisUtterance === "undefined") return; // captions still show it
    if (interrupt) synth.cancel();
    const line = new SpeechSynthesisUtterance(text);
    line.lang = LOCALES[lang] || lang;
    line.rate = this.rate;
    line.volume = this.volume;
    const voice = synth.getVoices().find((v) => v.lang === line.lang);
    if (voice) line.voice = voice;
    synth.speak(line);
  }
}
