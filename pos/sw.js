// The till's service worker (scope /pos/): keeps the app shell so the page loads
// and sells after a reload while the hub is down. Network first, so an updated
// till is picked up whenever the hub answers; the copy kept here when it does not.
// The catalog is not here: the page keeps it in IndexedDB with its event seq.
// Service workers need a secure context: http://127.0.0.1, localhost, or HTTPS.

const CACHE = "pos-shell-v1";
const SHELL = [
  "/pos/",
  "/pos/pos.css",
  "/pos/app.js",
  "/pos/cart.js",
  "/pos/catalog.js",
  "/pos/db.js",
  "/pos/i18n.js",
  "/pos/messages.js",
  "/pos/outbox.js",
  "/pos/pay.js",
  "/pos/printing.js",
  "/pos/refund.js",
  "/pos/revocation.js",
  "/pos/scanner.js",
  "/pos/shift.js",
  "/pos/ui.js",
  "/pos/vlist.js",
  "/pos/i18n/ko.json",
  "/pos/i18n/en.json",
  "/common/hall.js",
  "/vendor/socket.io.min.js",
  "/api/screen-settings",
];
const KEPT = new Set(SHELL);
const NETWORK_WAIT_MS = 3000;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL.map((path) => new Request(path, { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("pos-shell-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("network too slow")), ms);
    promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    }, (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await withTimeout(fetch(request), NETWORK_WAIT_MS);
    if (response.ok && !response.redirected) await cache.put(key, response.clone());
    return response;
  } catch (err) {
    const kept = await cache.match(key);
    if (kept) return kept;
    return new Response("The hub cannot be reached and this page is not kept on the device yet.",
                        { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  let path = url.pathname;
  if (path === "/pos/index.html") path = "/pos/";
  if (!KEPT.has(path)) return; // the socket, the catalog, receipt pictures: always the network
  event.respondWith(networkFirst(request, url.origin + path));
});
