// The kiosk's service worker (scope /kiosk/): after a reload while the hub is down (a kiosk PC restarted
// during a Wi-Fi outage) the kiosk shows itself, says it is waiting for the hall, and carries on when the
// hub answers, instead of a browser error page nobody at a kiosk can get out of.
self.SHELL_PAGE = "/kiosk/";
self.SHELL_CACHE = "kiosk-shell-v9";
self.SHELL = [
  "/kiosk/",
  "/kiosk/kiosk.css",
  "/kiosk/access.js",
  "/kiosk/app.js",
  "/kiosk/days.js",
  "/kiosk/demos.js",
  "/kiosk/feedback.js",
  "/kiosk/grid.js",
  "/kiosk/i18n.js",
  "/kiosk/idle.js",
  "/kiosk/keyboard.js",
  "/kiosk/keys.js",
  "/kiosk/order.js",
  "/kiosk/pictures.js",
  "/kiosk/plan.js",
  "/kiosk/voice.js",
  "/kiosk/i18n/languages.json",
  "/kiosk/i18n/ko.json",
  "/kiosk/i18n/en.json",
  "/kiosk/pictograms/3d-printing.svg",
  "/kiosk/pictograms/ai.svg",
  "/kiosk/pictograms/beauty.svg",
  "/kiosk/pictograms/defence.svg",
  "/kiosk/pictograms/drone.svg",
  "/kiosk/pictograms/eco.svg",
  "/kiosk/pictograms/education.svg",
  "/kiosk/pictograms/food.svg",
  "/kiosk/pictograms/health.svg",
  "/kiosk/pictograms/iot.svg",
  "/kiosk/pictograms/kitchen.svg",
  "/kiosk/pictograms/office.svg",
  "/kiosk/pictograms/other.svg",
  "/kiosk/pictograms/robot.svg",
  "/kiosk/pictograms/safety.svg",
  "/kiosk/pictograms/stationery.svg",
  "/kiosk/pictograms/textile.svg",
  "/kiosk/pictograms/tools.svg",
  "/common/hall.js",
  "/common/i18n.js",
  "/common/hangul.js",
  "/common/dom.js",
  "/common/plan.js",
  "/common/search.js",
  "/vendor/socket.io.min.js",
  "/vendor/es-hangul.mjs",
  "/api/screen-settings",
  "/api/hall-plan",
];
importScripts("/common/shell-worker.js");

// Product pictures are kept as they are first shown, not listed above: the catalog decides which there are.
// One is answered from here at once and refreshed behind, so a kiosk reloaded during an outage still
// shows the pictures it has shown, and a changed picture shows by the next visit.
const PICTURES = "kiosk-pictures-v1";
const PICTURES_FAMILY = "kiosk-pictures-";
const PICTURE_PATH = "/api/product-images/";
const PICTURES_KEPT = 4000; // a few hundred kilobytes of SVG, or some megabytes of photos, at most
let picturesPut = 0;

async function trimPictures(cache) {
  const keys = await cache.keys();
  for (const request of keys.slice(0, Math.max(0, keys.length - PICTURES_KEPT))) await cache.delete(request);
}

async function picture(event) {
  const cache = await caches.open(PICTURES);
  const kept = await cache.match(event.request);
  const fresh = fetch(event.request).then(async (response) => {
    if (response.ok) {
      await cache.put(event.request, response.clone());
      picturesPut += 1;
      if (picturesPut % 100 === 0) await trimPictures(cache);
    }
    return response;
  });
  if (!kept) return fresh;
  event.waitUntil(fresh.catch(() => {})); // offline: the kept copy stands
  return kept;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith(PICTURE_PATH)) return;
  event.respondWith(picture(event));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PICTURES_FAMILY) && name !== PICTURES) await caches.delete(name);
    }
  })());
});
