// The staff screen's link: the shared HallLink, plus two things this screen needs.
//
// 1. The catalog first. On the first connect the stock table is loaded with `catalog`, and the catch-up
//    starts from the catalog's seq, not from the start of the log (which would replay every sale of the show).
// 2. Live events that arrive while a catch-up is in flight are held back and applied after it, in seq order.
//    HallLink applies them at once, and its seq check would then drop the older events the `sync` answer
//    brings (they are "behind" the live one): a reconnect during a busy minute would lose stock changes.
import { HallLink } from "/common/hall.js";

const HOLD_MAX = 20000;
const RETRY_MS = [1000, 2000, 5000, 10000];

export class StaffLink extends HallLink {
  constructor(options) {
    super(options);
    this.needCatalog = true;
    this._held = null;
    this.catchingUp = null;
  }

  connect() {
    super.connect();
    // Who is connected comes as its own push, outside the numbered log (protocol.md, Presence).
    this.socket?.on("presence", (presence) => this.dispatchEvent(new CustomEvent("presence", { detail: presence })));
    // So does the hub's health, with the alerts it keeps in memory while its disk takes no writes.
    this.socket?.on("health", (health) => this.dispatchEvent(new CustomEvent("health", { detail: health })));
  }

  _apply(event) {
    if (this._held) {
      this._held.push(event);
      return;
    }
    super._apply(event);
  }

  catchUp() {
    // One catch-up at a time: a manual retry joins the one already running.
    if (!this.catchingUp) {
      this.catchingUp = this._catchUp().finally(() => { this.catchingUp = null; });
    }
    return this.catchingUp;
  }

  async _catchUp() {
    // Live events are held from here until the catch-up has applied everything before them.
    this._held ||= [];
    try {
      if (this.needCatalog) {
        this.dispatchEvent(new CustomEvent("catalog-loading"));
        let listing;
        try {
          listing = await this.command("catalog", {}, { timeout: 30000 });
        } catch (err) {
          this.dispatchEvent(new CustomEvent("catalog-failed", { detail: err }));
          throw err;
        }
        this.lastSeq = listing.seq;
        this.needCatalog = false;
        this.dispatchEvent(new CustomEvent("catalog", { detail: listing }));
      }
      for (;;) {
        const answer = await this.command("sync", { since: this.lastSeq }, { timeout: 30000 });
        for (const event of answer.events) super._apply(event);
        if (!answer.more) {
          this.lastSeq = Math.max(this.lastSeq, answer.seq);
          break;
        }
      }
    } catch (err) {
      // Still holding: applying the held events now would skip the ones the sync did not bring.
      // Try again shortly (a reconnect tries again too); past HOLD_MAX, start over from the catalog.
      if (this._held.length > HOLD_MAX) {
        this._held = [];
        this.needCatalog = true;
      }
      this.retries = (this.retries || 0) + 1;
      clearTimeout(this.retryTimer);
      if (this.socket?.connected) {
        this.retryTimer = setTimeout(() => this.catchUp().catch(() => {}),
          RETRY_MS[Math.min(this.retries, RETRY_MS.length) - 1]);
      }
      throw err;
    }
    this.retries = 0;
    const held = this._held.sort((a, b) => a.seq - b.seq);
    this._held = null;
    for (const event of held) super._apply(event);
  }
}
