// A phone listens only to what it shows: the products and demo sessions on its screen are its `watch`, sent
// again whenever the view changes and after every reconnect; the ack is the catch-up and `changes` pushes keep
// it live (coalesced by the hub). Values are kept by seq, so an older answer never overwrites a newer push.
const MAX_SKUS = 60;
const MAX_SLOTS = 40;
const SETTLE_MS = 150; // a scroll or a keystroke changes the view many times a second; send once it settles

export class Watcher extends EventTarget {
  /** link: the HallLink; wanted(): {skus, slots} on screen now. */
  constructor(link, wanted) {
    super();
    this.link = link;
    this.wanted = wanted;
    this.stock = new Map(); // sku → {on_hand, available, seq}
    this.slots = new Map(); // slot_id → {capacity, booked, available, starts_at, seq}
    this.sent = "";
    this.timer = 0;
    this.sending = false;
    link.addEventListener("push:changes", (event) => this.apply(event.detail));
    link.addEventListener("ready", () => this.refresh({ force: true }));
  }

  /** The view changed: watch what it shows now (once the changes settle). */
  refresh({ force = false } = {}) {
    if (force) this.sent = "";
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.send(), force ? 0 : SETTLE_MS);
  }

  async send() {
    const { skus, slots } = this.wanted();
    const payload = { skus: [...new Set(skus)].slice(0, MAX_SKUS), slots: [...new Set(slots)].slice(0, MAX_SLOTS) };
    const key = JSON.stringify(payload);
    if (key === this.sent || this.link.state !== "online") return;
    if (this.sending) {
      this.refresh();
      return;
    }
    this.sending = true;
    this.sent = key;
    try {
      this.apply(await this.link.command("watch", payload));
    } catch (err) {
      // Not watched: an offline link says so itself, and the next reconnect (or view change) sends it again;
      // a phone past its pace asks again once the hub says it may, or its screen would say "checking" for good.
      this.sent = "";
      if (err.code === "slow_down") {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.send(), Math.max(1, err.details.retry_after || 1) * 1000);
      }
    } finally {
      this.sending = false;
    }
  }

  apply({ seq = 0, stock = {}, slots = {} }) {
    const changed = { skus: [], slots: [] };
    for (const [sku, value] of Object.entries(stock)) {
      if ((this.stock.get(sku)?.seq ?? -1) > seq) continue;
      this.stock.set(sku, { ...value, seq });
      changed.skus.push(sku);
    }
    for (const [id, value] of Object.entries(slots)) {
      if ((this.slots.get(id)?.seq ?? -1) > seq) continue;
      this.slots.set(id, { ...this.slots.get(id), ...value, seq });
      changed.slots.push(id);
    }
    if (changed.skus.length || changed.slots.length) this.dispatchEvent(new CustomEvent("changed", { detail: changed }));
  }
}
