// The visitor's service worker (scope /visit/): on a poor mobile link the page shell comes from here, and the
// catalog and the demo program too, answered at once from the copy kept and brought up to date behind
// (stale-while-revalidate, below). Tickets' QR pictures are kept by the page itself (visit/keep.js), so a
// ticket shows at the door with no connection.
self.SHELL_PAGE = "/visit/";
self.SHELL_CACHE = "visit-shell-v2";
self.SHELL = [
  "/visit/",
  "/visit/visit.css",
  "/visit/app.js",
  "/visit/demos.js",
  "/visit/feedback.js",
  "/visit/find.js",
  "/visit/i18n.js",
  "/visit/keep.js",
  "/visit/mine.js",
  "/visit/orders.js",
  "/visit/plan.js",
  "/visit/session.js",
  "/visit/watch.js",
  "/visit/i18n/ko.json",
  "/visit/i18n/en.json",
  "/common/hall.js",
  "/common/i18n.js",
  "/common/hangul.js",
  "/common/dom.js",
  "/common/plan.js",
  "/common/search.js",
  "/common/time.js",
  "/common/favicon.svg",
  "/vendor/socket.io.min.js",
  "/vendor/es-hangul.mjs",
  "/api/screen-settings",
  "/api/hall-plan",
];
importScripts("/common/shell-worker.js");

// Read by HTTP and cacheable: answered from the copy kept, refreshed behind with the copy's ETag, so an
// unchanged catalog costs the hub a 304 and no body. Kept at install too, so a phone that loses its link
// right after its first visit still finds the products and the program.
const READS = "visit-reads-v1";
const READS_FAMILY = "visit-reads-";
const STALE_WHILE_REVALIDATE = ["/api/visit/catalog", "/api/visit/program"];

async function revalidate(request, cache, kept) {
  const headers = new Headers();
  const tag = kept && kept.headers.get("ETag");
  if (tag) headers.set("If-None-Match", tag);
  // no-store: this worker's copy is the cache; the browser's own would answer the ETag for it.
  const response = await fetch(request.url, { headers, cache: "no-store" });
  if (response.status === 304 && kept) return kept;
  if (response.ok) await cache.put(request.url, response.clone());
  return response;
}

async function staleWhileRevalidate(event) {
  const cache = await caches.open(READS);
  const kept = await cache.match(event.request.url);
  const fresh = revalidate(event.request, cache, kept);
  if (!kept) return fresh;
  event.waitUntil(fresh.catch(() => {})); // offline: the kept copy stands
  return kept;
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(READS).then((cache) => Promise.all(
    STALE_WHILE_REVALIDATE.map((path) => revalidate(new Request(path), cache, null).catch(() => {})))));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!STALE_WHILE_REVALIDATE.includes(url.pathname) || url.search) return;
  event.respondWith(staleWhileRevalidate(event));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(READS_FAMILY) && name !== READS) await caches.delete(name);
    }
  })());
});
