// A panel that loads lazily: while hidden it only notes that its figures went stale,
// and reloads (throttled) when shown or when a change arrives while it is in view.
import { throttle } from "./util.js";

export class LazyPanel {
  constructor(refreshMs) {
    this.visible = false;
    this.dirty = true;
    this.refreshSoon = throttle(() => this.load(), refreshMs);
  }

  /** Whether the panel has figures to show; subclasses keep them where they like. */
  loaded() {
    return Boolean(this.data);
  }

  show() {
    this.visible = true;
    if (this.dirty || !this.loaded()) this.load();
  }

  hide() {
    this.visible = false;
  }

  /** An event made this panel's figures stale. */
  changed() {
    this.dirty = true;
    if (this.visible) this.refreshSoon();
  }
}
