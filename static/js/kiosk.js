// Tellus kiosk: one customer at a time on a shared tablet.
// Screens: faces -> details (optional) -> thanks -> back to faces.
// Nothing from one customer survives to the next: every reset clears the
// inputs and the language, and nothing is kept in the browser except
// submissions still waiting for the network (the offline queue), which the
// kiosk sends as soon as the server answers again. Each submission carries an
// idempotency key made here, so a retry never makes a duplicate.
(function () {
  "use strict";

  // The closed screen looks again now and then, so the kiosk opens by itself.
  var closed = document.getElementById("kiosk-closed");
  if (closed) {
    setTimeout(function () { location.reload(); }, (Number(closed.getAttribute("data-refresh-seconds")) || 300) * 1000);
    return;
  }
  var root = document.getElementById("kiosk");
  if (!root) return;
  var defaultLang = root.getAttribute("data-lang") || "nl";
  var params = new URLSearchParams(location.search);
  // Shorter timings can be asked for in the address (for testing a kiosk).
  var IDLE_SECONDS = Number(params.get("idle")) || 45;
  var COUNTDOWN_SECONDS = Number(params.get("countdown")) || 10;
  var THANKS_SECONDS = Number(params.get("thanks")) || 8;
  var QUEUE = "tellus-kiosk-queue";
  var MIN_TAP_INTERVAL_MS = 1500;
  // The server takes 20 submissions a minute from one kiosk; a queue goes out slower.
  var BACKLOG_PACE_MS = 3100;

  var state = { lang: defaultLang, face: null, category: "" };
  var idleTimer = null, countdownTimer = null, thanksTimer = null, flushing = false;

  function $(sel) { return root.querySelector(sel); }
  function $all(sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }

  function show(name) {
    $all("[data-screen]").forEach(function (s) { s.hidden = s.getAttribute("data-screen") !== name; });
    root.setAttribute("data-current", name);
    state.shownAt = Date.now();
  }

  function setLang(lang) {
    state.lang = lang;
    document.documentElement.lang = lang;
    $all("[data-" + lang + "]").forEach(function (el) { el.textContent = el.getAttribute("data-" + lang); });
  }

  function randomKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function clearTimers() {
    clearTimeout(idleTimer); clearInterval(countdownTimer); clearTimeout(thanksTimer);
    $(".kiosk-countdown").hidden = true;
  }

  function reset() {
    clearTimers();
    state.face = null; state.category = ""; state.waitingFor = null;
    $("#kiosk-message").value = "";
    $("#kiosk-email").value = "";
    $("#kiosk-consent").checked = false;
    $("#kiosk-error").hidden = true;
    $all("[data-category]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    $(".kiosk-reference").hidden = true;
    $(".kiosk-reference .reference").textContent = "";
    setLang(defaultLang);
    show("faces");
  }

  // Inactivity on a half-filled screen: a short countdown, then a clean start.
  function armIdle() {
    clearTimeout(idleTimer); clearInterval(countdownTimer);
    $(".kiosk-countdown").hidden = true;
    if (root.getAttribute("data-current") !== "details") return;
    idleTimer = setTimeout(function () {
      var left = COUNTDOWN_SECONDS;
      var box = $(".kiosk-countdown");
      box.hidden = false;
      box.querySelector(".seconds").textContent = left;
      countdownTimer = setInterval(function () {
        left -= 1;
        box.querySelector(".seconds").textContent = left;
        if (left <= 0) reset();
      }, 1000);
    }, IDLE_SECONDS * 1000);
  }

  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); }

  function post(item) {
    var body = new URLSearchParams(item).toString();
    return fetch("/kiosk/submit", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Tellus-Kiosk": "1" },
      body: body
    });
  }

  // Sends what waits in the queue, oldest first; stops at the first network failure.
  function flush() {
    if (flushing) return Promise.resolve();
    flushing = true;
    var step = function () {
      var items = queue();
      if (!items.length) return Promise.resolve();
      return post(items[0]).then(function (res) {
        if (res.status === 401 || res.status === 403) { location.reload(); return; }
        if (res.status >= 500) throw new Error("server " + res.status);
        // Stored (or refused for good): either way it leaves the queue.
        saveQueue(queue().filter(function (i) { return i.key !== items[0].key; }));
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (items[0].key === state.waitingFor && data.reference) showReference(data.reference);
          // A backlog goes out at a person's pace, not as a burst the server would hold back.
          if (queue().length) return new Promise(function (r) { setTimeout(r, BACKLOG_PACE_MS); }).then(step);
        });
      });
    };
    return step().catch(function () {}).then(function () { flushing = false; });
  }

  function showReference(reference) {
    $(".kiosk-reference .reference").textContent = reference;
    $(".kiosk-reference").hidden = false;
  }

  function thanks() {
    clearTimers();
    show("thanks");
    thanksTimer = setTimeout(reset, THANKS_SECONDS * 1000);
  }

  function submit(withDetails) {
    var item = { key: randomKey(), face: String(state.face), lang: state.lang, category: "", message: "", email: "" };
    if (withDetails) {
      item.category = state.category;
      item.message = $("#kiosk-message").value;
      item.email = $("#kiosk-email").value.trim();
      if ($("#kiosk-consent").checked) item.consent = "yes";
      if (item.email && !$("#kiosk-email").checkValidity()) { return error("error-invalid"); }
      if (item.email && !item.consent) { return error("error-consent"); }
      if (!item.email && item.consent) { return error("error-email"); }
    }
    state.waitingFor = item.key;
    var items = queue(); items.push(item); saveQueue(items);
    thanks();
    flush();
  }

  function error(which) {
    var box = $("#kiosk-error");
    box.textContent = box.getAttribute("data-" + which + "-" + state.lang) || "";
    box.hidden = false;
    armIdle();
  }

  root.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) return;
    var face = target.getAttribute("data-face");
    if (face) {
      // A second customer cannot start within moments of the first.
      if (Date.now() - state.shownAt < MIN_TAP_INTERVAL_MS) return;
      state.face = Number(face);
      if (state.face >= 3) { submit(false); } else { show("details"); armIdle(); }
      return;
    }
    var category = target.getAttribute("data-category");
    if (category !== null) {
      state.category = state.category === category ? "" : category;
      $all("[data-category]").forEach(function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-category") === state.category ? "true" : "false");
      });
      armIdle();
      return;
    }
    switch (target.getAttribute("data-action")) {
      case "switch-lang": setLang(state.lang === "nl" ? "en" : "nl"); armIdle(); break;
      case "send": submit(true); break;
      case "skip": submit(false); break;
      case "continue": armIdle(); break;
    }
  });
  root.addEventListener("input", armIdle);
  root.addEventListener("keydown", armIdle);

  // No way back into a previous customer's screens.
  history.replaceState(null, "", location.pathname);
  window.addEventListener("pageshow", function (e) { if (e.persisted) reset(); });

  // Every few minutes, while nobody is using it, the kiosk reloads itself to
  // pick up closing time, new categories or a revocation.
  setInterval(function () {
    if (root.getAttribute("data-current") === "faces" && Date.now() - state.shownAt > 60000 && navigator.onLine) {
      location.reload();
    }
  }, 5 * 60 * 1000);

  window.addEventListener("online", flush);
  setInterval(flush, 10000);
  setInterval(function () {
    fetch("/kiosk/heartbeat", { method: "POST", credentials: "same-origin", headers: { "X-Tellus-Kiosk": "1" } })
      .then(function (res) { if (res.status === 401 || res.status === 403) location.reload(); })
      .catch(function () {});
  }, 5 * 60 * 1000);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/kiosk/sw.js", { scope: "/kiosk" }).catch(function () {});
  }

  reset();
  flush();
})();
