// The door scanner's service worker: keeps the page and its libraries so the scanner reloads (and keeps
// admitting tickets by signature) while the hub is out of reach. The hub's data never comes from here:
// /api/ and /socket.io/ always go to the network.
const CACHE = "hall-scan-v1";
const SHELL = [
  "/scan/",
  "/scan/scan.css",
  "/scan/js/app.js",
  "/scan/js/camera.js",
  "/scan/js/i18n.js",
  "/scan/js/keys.js",
  "/scan/js/store.js",
  "/scan/js/ticket.js",
  "/scan/i18n/ko.json",
  "/scan/i18n/en.json",
  "/common/hall.js",
  "/vendor/socket.io.min.js",
  "/vendor/nacl-fast.min.js",
  "/vendor/jsQR.js",
];
// On a weak link, wait this long for the hub before serving the kept copy.
const NETWORK_MS = 2500;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

function kept(url) {
  return url.origin === self.location.origin && SHELL.includes(url.pathname === "/scan/index.html" ? "/scan/" : url.pathname);
}

// Network first, so a new version reaches the door at once; the kept copy when the hub is down or slow.
async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((resolve, reject) => setTimeout(() => reject(new Error("slow")), NETWORK_MS)),
    ]);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (err) {
    const copy = await cache.match(key);
    if (copy) return copy;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (request.mode === "navigate" && url.origin === self.location.origin && url.pathname.startsWith("/scan/")) {
    event.respondWith(networkFirst(request, "/scan/"));
  } else if (kept(url)) {
    event.respondWith(networkFirst(request, url.pathname));
  }
});
