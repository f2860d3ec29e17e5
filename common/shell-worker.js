// A screen's service worker: keeps the screen's app shell so its page loads after a reload while the hub
// is down (a till sells, a kiosk shows itself and waits for the hub instead of a browser error page).
// Network first, so an updated screen is picked up whenever the hub answers; the copy kept here when it
// does not. Each screen's sw.js sets SHELL_PAGE (its scope), SHELL_CACHE and SHELL (the paths kept),
// then imports this file. Service workers need a secure context: http://127.0.0.1, localhost, or HTTPS.
/* global SHELL_PAGE, SHELL_CACHE, SHELL */

const CACHE = SHELL_CACHE;
const SHELL_FAMILY = SHELL_CACHE.replace(/v\d+$/, "");
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
    // Only this screen's older copies: the caches are shared by every screen of the hub's origin, and on
    // one laptop running the whole hall the kiosk, the till and the door scanner share a browser.
    for (const name of await caches.keys()) {
      if (name.startsWith(SHELL_FAMILY) && name !== CACHE) await caches.delete(name);
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
  // Any page of the screen (index.html, a query string) is the screen's one page.
  const path = request.mode === "navigate" && url.pathname.startsWith(SHELL_PAGE) ? SHELL_PAGE : url.pathname;
  if (!KEPT.has(path)) return; // the socket, the catalog, pictures: always the network
  event.respondWith(networkFirst(request, url.origin + path));
});
