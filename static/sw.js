// Tellus kiosk service worker: keeps the kiosk shell (page, styles, script,
// images) so a reload on flaky shop Wi-Fi still shows the kiosk. Submissions
// are never cached: the kiosk script queues them itself.
"use strict";
var CACHE = "tellus-kiosk-v3";
var SHELL = [
  "/kiosk",
  "/static/css/tellus.css",
  "/static/css/kiosk.css",
  "/static/js/kiosk.js",
  "/static/img/face-1.svg",
  "/static/img/face-2.svg",
  "/static/img/face-3.svg",
  "/static/img/face-4.svg"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== location.origin || SHELL.indexOf(url.pathname) < 0) return;
  // Fresh whenever the server answers (a new version, a revocation), the copy
  // only when it does not. The closed screen is never kept: offline at opening
  // time the kiosk must still take complaints.
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.headers.get("X-Tellus-Kiosk-Screen")) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
    }
    return response;
  }).catch(function () { return caches.match(url.pathname); }));
});
