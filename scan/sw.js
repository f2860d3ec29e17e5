// The door scanner's service worker (scope /scan/): the scanner reloads, and keeps admitting tickets by
// their signature, while the hub is out of reach. The hub's data never comes from here.
self.SHELL_PAGE = "/scan/";
self.SHELL_CACHE = "hall-scan-v5"; // v1 was its own worker, which deleted every other screen's cache
self.SHELL = [
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
  "/common/i18n.js",
  "/vendor/socket.io.min.js",
  "/vendor/nacl-fast.min.js",
  "/vendor/jsQR.js",
];
importScripts("/common/shell-worker.js");
