// safetynet day list (今日): works with no signal. A visit is kept in the
// phone's storage with an ID made here and sent when the connection
// returns; the server treats a second sending of the same ID as the same
// visit, so nothing is recorded twice. "有困难" opens the clue form for
// the household (kept offline by the service worker too).
"use strict";
(function () {
  var forms = document.querySelectorAll("form.visit-form");
  var KEY = "safetynet-visits";
  var DONE = "safetynet-visits-done";
  var banner = document.getElementById("visits-offline");
  var pending = document.getElementById("visits-pending");

  function load(k) {
    try { return JSON.parse(localStorage.getItem(k)) || []; } catch (e) { return []; }
  }
  function save(k, v) { localStorage.setItem(k, JSON.stringify(v)); }
  function newID() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }

  // Items recorded on this phone stay hidden, also on the copy of the
  // page kept for use without signal.
  function hideDone() {
    load(DONE).forEach(function (id) {
      var li = document.getElementById("due-" + id);
      if (li) { li.hidden = true; li.style.display = "none"; } // the list's rows are flex boxes
    });
  }
  function render() {
    var q = load(KEY);
    if (pending) {
      pending.hidden = q.length === 0;
      document.getElementById("visits-pending-n").textContent = String(q.length);
    }
    if (banner) { banner.hidden = navigator.onLine; }
    hideDone();
  }

  var sending = false;
  function flush() {
    if (sending || !navigator.onLine) { render(); return; }
    var q = load(KEY).filter(function (x) { return !x.error; });
    if (q.length === 0) { render(); return; }
    sending = true;
    var item = q[0];
    fetch("/api/v1/visits", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept-Language": document.documentElement.lang },
      body: JSON.stringify(item)
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (body) {
        var rest = load(KEY);
        if (resp.status === 200 || resp.status === 201) {
          save(KEY, rest.filter(function (x) { return x.client_id !== item.client_id; }));
        } else if (resp.status === 401) {
          sending = false;
          return;
        } else if (resp.status >= 400 && resp.status < 500) {
          rest.forEach(function (x) {
            if (x.client_id === item.client_id) { x.error = (body.error && body.error.message) || resp.statusText; }
          });
          save(KEY, rest);
        } else {
          throw new Error("server " + resp.status);
        }
        sending = false;
        flush();
      });
    }).catch(function () {
      sending = false; // no connection or a server fault: try again later
      render();
    });
  }

  function photo(input) {
    return new Promise(function (resolve) {
      var f = input && input.files && input.files[0];
      if (!f) { resolve(""); return; }
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, 1280 / Math.max(img.width, img.height));
        var c = document.createElement("canvas");
        c.width = Math.round(img.width * scale);
        c.height = Math.round(img.height * scale);
        c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
        URL.revokeObjectURL(img.src);
        resolve(c.toDataURL("image/jpeg", 0.8));
      };
      img.onerror = function () { resolve(""); };
      img.src = URL.createObjectURL(f);
    });
  }

  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var result = (ev.submitter && ev.submitter.value) || "fine";
      var fd = new FormData(form);
      photo(form.querySelector("input[name=photo]")).then(function (data) {
        var v = {
          client_id: newID(), due_id: parseInt(form.dataset.due, 10) || 0, household_id: parseInt(form.dataset.household, 10) || 0,
          kind: String(fd.get("kind") || "call"), result: result, note: String(fd.get("note") || ""),
          checklist: fd.getAll("checklist").map(String), made_at: new Date().toISOString(), photo: data
        };
        var q = load(KEY);
        q.push(v);
        save(KEY, q);
        var done = load(DONE);
        done.push(form.dataset.due);
        save(DONE, done.slice(-500));
        render();
        flush();
        if (result === "not_fine") {
          location.href = "/report?household=" + form.dataset.household;
        }
      });
    });
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  setInterval(flush, 30000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").then(function () {
      if (navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage("refresh");
      }
    }).catch(function () {});
  }
  var js = document.getElementById("visits-js");
  if (js) { js.hidden = false; }
  // A fresh list from the server no longer holds visits it has: forget
  // the hidden ones once nothing waits to be sent.
  if (navigator.onLine && load(KEY).length === 0) { save(DONE, []); }
  render();
  flush();
})();
