// The visitor's service worker (scope /visit/): on a poor mobile link the page shell comes from here, and the
// catalog too, answered at once from the copy kept and brought up to date behind (stale-while-revalidate,
// asked with its ETag, so an unchanged catalog costs the hub a 304). Tickets' QR pictures are kept by the page
// itself (visit/keep.js), so a ticket shows at the door with no connection.
self.SHELL_PAGE = "/visit/";
self.SHELL_CACHE = "visit-shell-v1";
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

// Read by HTTP and cacheable: answered from the copy kept, refreshed behind. The browser's own HTTP cache
// sends the ETag the hub gave (If-None-Match), so most refreshes are a 304.
const READS = "visit-reads-v1";
const READS_FAMILY = "visit-reads-";
const STALE_WHILE_REVALIDATE = new Set(["/api/visit/catalog", "/api/visit/program"]);

async function staleWhileRevalidate(event) {
  const cache = await caches.open(READS);
  const kept = await cache.match(event.request);
  const fresh = fetch(event.request).then(async (response) => {
    if (response.ok) await cache.put(event.request, response.clone());
    return response;
  });
  if (!kept) return fresh;
  event.waitUntil(fresh.catch(() => {})); // offline: the kept copy stands
  return kept;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!STALE_WHILE_REVALIDATE.has(url.pathname)) return;
  event.respondWith(staleWhileRevalidate(event));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(READS_FAMILY) && name !== READS) await caches.delete(name);
    }
  })());
});
