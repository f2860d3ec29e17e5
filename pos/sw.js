// The till's service worker (scope /pos/): the page loads and sells after a reload while the hub is down.
// The catalog is not here: the page keeps it in IndexedDB with its event seq.
self.SHELL_PAGE = "/pos/";
self.SHELL_CACHE = "pos-shell-v8";
self.SHELL = [
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
  "/pos/shelf.js",
  "/pos/shift.js",
  "/pos/ui.js",
  "/pos/vlist.js",
  "/pos/i18n/ko.json",
  "/pos/i18n/en.json",
  "/common/hall.js",
  "/common/i18n.js",
  "/common/hangul.js",
  "/common/time.js",
  "/common/favicon.svg",
  "/vendor/socket.io.min.js",
  "/vendor/es-hangul.mjs",
  "/api/screen-settings",
];
importScripts("/common/shell-worker.js");
