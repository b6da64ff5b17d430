// Tellus kiosk: one customer at a time on a shared tablet.
// Screens: faces -> details (optional) -> thanks -> back to faces.
// Nothing from one customer survives to the next: every reset clears the
// inputs and the language, and nothing is kept in the browser except
// submissions still waiting for the network (the offline queue), which the
// kiosk sends as soon as the server answers again. Each submission carries an
// idempotency key made here, so a retry never makes a duplicate.
// The queue lives in IndexedDB: "thank you" shows only once the transaction
// that holds the submission has completed, so a browser killed a moment later
// still sends it after a restart. (It used to live in localStorage, which the
// browser writes to disk whenever it likes; what is left there moves over.)
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
  var DB_NAME = "tellus-kiosk", STORE = "queue";
  var OLD_QUEUE = "tellus-kiosk-queue";
  // The fields the server reads; anything else in a queued item stays here.
  var FIELDS = ["key", "face", "lang", "category", "message", "email", "consent"];
  var MIN_TAP_INTERVAL_MS = 1500;
  // The server takes 20 submissions a minute from one kiosk; a queue goes out slower.
  var BACKLOG_PACE_MS = 3100;

  var state = { lang: defaultLang, face: null, category: "" };
  var idleTimer = null, countdownTimer = null, thanksTimer = null, flushing = false;
  // Set when the last attempt to reach the server failed.
  var unreachable = false, queued = 0;

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
    $all("[data-lang-choice]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-lang-choice") === lang ? "true" : "false");
    });
    indicate();
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

  // The offline queue: an IndexedDB object store keyed by the submission's
  // key. Only a browser without a usable IndexedDB (a private window) keeps
  // it in localStorage, the old place.
  var dbPromise = null, useOldPlace = !window.indexedDB;
  function openQueue() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = function () { open.result.createObjectStore(STORE, { keyPath: "key" }); };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
        open.onblocked = function () { reject(new Error("queue blocked")); };
      });
      dbPromise.catch(function () { dbPromise = null; });
    }
    return dbPromise;
  }

  // Runs `work(store)` in one transaction and resolves with what it returns
  // once the transaction is complete: for a write, once it is on disk.
  function inQueue(mode, work) {
    return openQueue().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode, { durability: "strict" });
        var result;
        tx.oncomplete = function () { resolve(result); };
        tx.onabort = tx.onerror = function () { reject(tx.error || new Error("queue transaction failed")); };
        result = work(tx.objectStore(STORE));
      });
    });
  }

  function oldQueue() {
    try {
      var items = JSON.parse(localStorage.getItem(OLD_QUEUE) || "[]");
      return Array.isArray(items) ? items.filter(function (i) { return i && i.key; }) : [];
    } catch (e) { return []; }
  }
  function saveOldQueue(items) {
    if (items.length) { localStorage.setItem(OLD_QUEUE, JSON.stringify(items)); } else { localStorage.removeItem(OLD_QUEUE); }
  }

  // Adds submissions; resolves once they are kept.
  function enqueue(items) {
    if (useOldPlace) { saveOldQueue(oldQueue().concat(items)); return Promise.resolve(); }
    return inQueue("readwrite", function (store) { items.forEach(function (item) { store.put(item); }); })
      .catch(function () { useOldPlace = true; return enqueue(items); });
  }

  function dequeue(key) {
    if (useOldPlace) {
      saveOldQueue(oldQueue().filter(function (i) { return i.key !== key; }));
      return Promise.resolve();
    }
    return inQueue("readwrite", function (store) { store.delete(key); });
  }

  // Everything waiting, oldest first.
  function waiting() {
    if (useOldPlace) return Promise.resolve(oldQueue());
    return inQueue("readonly", function (store) {
      var all = { items: [] };
      store.getAll().onsuccess = function (event) { all.items = event.target.result || []; };
      return all;
    }).then(function (all) {
      return all.items.sort(function (a, b) { return (a.queuedAt || 0) - (b.queuedAt || 0); });
    });
  }

  // What an older kiosk script left in localStorage moves to IndexedDB with
  // its keys, in one transaction, so nothing is lost or stored twice.
  function migrate() {
    var old = useOldPlace ? [] : oldQueue();
    if (!old.length) return Promise.resolve();
    var start = Date.now() - old.length;
    old.forEach(function (item, n) { item.queuedAt = item.queuedAt || start + n; });
    return inQueue("readwrite", function (store) { old.forEach(function (item) { store.put(item); }); })
      .then(function () { localStorage.removeItem(OLD_QUEUE); }, function () { useOldPlace = true; });
  }

  // The small corner sign for staff: offline, and how many answers wait.
  function indicate() {
    var box = document.querySelector(".kiosk-offline");
    if (!box) return;
    var offline = unreachable || navigator.onLine === false;
    box.hidden = !offline && queued === 0;
    var text = box.getAttribute((queued ? "data-waiting-" : "data-offline-") + state.lang) || "";
    box.querySelector(".text").textContent = text.replace("{count}", queued);
    box.setAttribute("aria-label", (box.getAttribute("data-label-" + state.lang) || "").replace("{count}", queued));
  }

  function post(item) {
    var fields = {};
    FIELDS.forEach(function (f) { if (item[f] !== undefined) fields[f] = item[f]; });
    var body = new URLSearchParams(fields).toString();
    return fetch("/kiosk/submit", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Tellus-Kiosk": "1" },
      body: body
    });
  }

  // Sends what waits in the queue, oldest first; stops at the first network
  // failure. An item leaves the queue only once the server has answered for
  // it; if the kiosk dies between the answer and the removal, the server
  // knows the key and does not store it twice.
  function flush() {
    if (flushing) return Promise.resolve();
    flushing = true;
    var step = function () {
      return waiting().then(function (items) {
        queued = items.length; indicate();
        if (!items.length) return;
        var item = items[0];
        return post(item).then(function (res) {
          unreachable = false;
          if (res.status === 401 || res.status === 403) { location.reload(); return; }
          if (res.status >= 500) throw new Error("server " + res.status);
          // Stored (or refused for good): either way it leaves the queue.
          return dequeue(item.key).then(function () {
            queued = Math.max(0, queued - 1); indicate();
            return res.json().catch(function () { return {}; });
          }).then(function (data) {
            if (item.key === state.waitingFor && data.reference) showReference(data.reference);
            // A backlog goes out at a person's pace, not as a burst the server would hold back.
            if (queued) return new Promise(function (r) { setTimeout(r, BACKLOG_PACE_MS); }).then(step);
          });
        }, function (err) { unreachable = true; indicate(); throw err; });
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
    if (state.saving) return;
    state.saving = true;
    item.queuedAt = Date.now();
    state.waitingFor = item.key;
    Promise.resolve().then(function () { return enqueue([item]); }).then(function () {
      queued += 1; indicate();
      thanks();
      flush();
    }).catch(function () {}).then(function () { state.saving = false; });
  }

  function error(which) {
    var box = $("#kiosk-error");
    box.textContent = box.getAttribute("data-" + which + "-" + state.lang) || "";
    box.hidden = false;
    // The customer sees why nothing happened, next to what to change.
    var field = which === "error-consent" ? $("#kiosk-consent") : $("#kiosk-email");
    field.focus({ preventScroll: true });
    box.scrollIntoView({ block: "nearest" });
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
      case "set-lang": setLang(target.getAttribute("data-lang-choice") || defaultLang); armIdle(); break;
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

  window.addEventListener("online", function () { indicate(); flush(); });
  setInterval(flush, 10000);
  setInterval(function () {
    fetch("/kiosk/heartbeat", { method: "POST", credentials: "same-origin", headers: { "X-Tellus-Kiosk": "1" } })
      .then(function (res) { if (res.status === 401 || res.status === 403) location.reload(); })
      .catch(function () {});
  }, 5 * 60 * 1000);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/kiosk/sw.js", { scope: "/kiosk" }).catch(function () {});
  }

  window.addEventListener("offline", indicate);
  reset();
  migrate().then(flush);
})();
