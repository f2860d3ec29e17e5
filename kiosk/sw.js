// The kiosk's service worker (scope /kiosk/): after a reload while the hub is down (a kiosk PC restarted
// during a Wi-Fi outage) the kiosk shows itself, says it is waiting for the hall, and carries on when the
// hub answers, instead of a browser error page nobody at a kiosk can get out of.
self.SHELL_PAGE = "/kiosk/";
self.SHELL_CACHE = "kiosk-shell-v3";
self.SHELL = [
  "/kiosk/",
  "/kiosk/kiosk.css",
  "/kiosk/app.js",
  "/kiosk/days.js",
  "/kiosk/demos.js",
  "/kiosk/feedback.js",
  "/kiosk/grid.js",
  "/kiosk/hangul.js",
  "/kiosk/i18n.js",
  "/kiosk/idle.js",
  "/kiosk/keyboard.js",
  "/kiosk/order.js",
  "/kiosk/search.js",
  "/kiosk/i18n/languages.json",
  "/kiosk/i18n/ko.json",
  "/kiosk/i18n/en.json",
  "/common/hall.js",
  "/common/i18n.js",
  "/vendor/socket.io.min.js",
  "/api/screen-settings",
];
importScripts("/common/shell-worker.js");
