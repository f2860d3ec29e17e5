// "Are you still there?": after idleMs without a touch, a warning counts warnMs down, then time is up.
// Time is measured from the last touch with performance.now(), so a busy page cannot skip the warning.

export class IdleWatch {
  constructor({ idleMs, warnMs, onWarn, onTick, onTimeout }) {
    this.idleMs = idleMs;
    this.warnMs = warnMs;
    this.onWarn = onWarn;
    this.onTick = onTick;
    this.onTimeout = onTimeout;
    this.timer = 0;
    this.last = 0;
    this.warning = false;
    this.held = false; // a visitor waiting for staff is there, touching nothing
  }

  get running() {
    return this.timer !== 0;
  }

  start() {
    this.last = performance.now();
    this.warning = false;
    if (!this.timer) this.timer = setInterval(() => this.check(), 200);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = 0;
    this.warning = false;
  }

  /** A touch: the visitor is here. Ignored while warning (only the warning's own answer counts). */
  poke() {
    if (!this.warning) this.last = performance.now();
  }

  /** The visitor answered the warning. */
  resume() {
    this.warning = false;
    this.last = performance.now();
  }

  check() {
    if (this.held && !this.warning) this.last = performance.now();
    const quiet = performance.now() - this.last;
    if (!this.warning && quiet >= this.idleMs) {
      this.warning = true;
      this.onWarn(Math.ceil(this.warnMs / 1000));
    }
    if (this.warning) {
      const left = this.idleMs + this.warnMs - quiet;
      if (left <= 0) {
        this.stop();
        this.onTimeout();
      } else {
        this.onTick(Math.ceil(left / 1000));
      }
    }
  }
}
