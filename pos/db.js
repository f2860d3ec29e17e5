// The till's own durable storage (IndexedDB): the outbox of commands not yet
// acknowledged by the hub, and a few kept values (the catalog snapshot).
// Writes to the outbox ask for strict durability: the cashier is told a sale is
// done only after the browser has flushed it to disk.

const DB_NAME = "hall-pos";
// 2: "sent", the day's acknowledged entries, offered again to a hub whose record went back (outbox.js).
const VERSION = 2;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function finished(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}

export class TillStore {
  static async open() {
    if (!("indexedDB" in self)) throw new Error("IndexedDB is not available");
    const request = indexedDB.open(DB_NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("outbox")) {
        const outbox = db.createObjectStore("outbox", { keyPath: "n", autoIncrement: true });
        outbox.createIndex("id", "id", { unique: true });
      }
      if (!db.objectStoreNames.contains("kv")) db.createObjectStore("kv");
      if (!db.objectStoreNames.contains("sent")) db.createObjectStore("sent", { keyPath: "id" });
    };
    const db = await promised(request);
    return new TillStore(db);
  }

  constructor(db) {
    this.db = db;
  }

  _tx(store, mode, strict = false) {
    return this.db.transaction(store, mode, strict ? { durability: "strict" } : undefined);
  }

  async outboxAll() {
    const tx = this._tx("outbox", "readonly");
    const all = await promised(tx.objectStore("outbox").getAll());
    return all.sort((a, b) => a.n - b.n);
  }

  /** Adds an entry; resolves with its number once the write is on disk. */
  async outboxAdd(entry) {
    const tx = this._tx("outbox", "readwrite", true);
    const n = await promised(tx.objectStore("outbox").add(entry));
    await finished(tx);
    return n;
  }

  async outboxPut(entry) {
    const tx = this._tx("outbox", "readwrite", true);
    tx.objectStore("outbox").put(entry);
    await finished(tx);
  }

  /** strict = false for an acknowledged entry: a delete lost in a crash only sends it again, answered as before. */
  async outboxDelete(n, strict = true) {
    const tx = this._tx("outbox", "readwrite", strict);
    tx.objectStore("outbox").delete(n);
    await finished(tx);
  }

  async sentAll() {
    const tx = this._tx("sent", "readonly");
    return promised(tx.objectStore("sent").getAll());
  }

  /** Not strict: losing one to a crash only means it is not offered again after a restore. */
  async sentPut(entry) {
    const tx = this._tx("sent", "readwrite");
    tx.objectStore("sent").put(entry);
    await finished(tx);
  }

  async sentDelete(ids) {
    const tx = this._tx("sent", "readwrite");
    for (const id of ids) tx.objectStore("sent").delete(id);
    await finished(tx);
  }

  async get(key) {
    const tx = this._tx("kv", "readonly");
    return promised(tx.objectStore("kv").get(key));
  }

  async set(key, value) {
    const tx = this._tx("kv", "readwrite");
    tx.objectStore("kv").put(value, key);
    await finished(tx);
  }
}
