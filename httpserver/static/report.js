// safetynet clue form: works with no signal. A report is kept in the
// phone's storage with an ID made here, and sent when the connection
// returns; the server treats a second sending of the same ID as the same
// clue, so nothing is reported twice.
"use strict";
(function () {
  var form = document.getElementById("report-form");
  if (!form) {
    return;
  }
  var KEY = "safetynet-queue";
  var list = document.getElementById("queue");
  var banner = document.getElementById("offline-banner");
  var msg = form.dataset;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function save(q) { localStorage.setItem(KEY, JSON.stringify(q)); }
  function newID() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }

  function render() {
    var q = load();
    list.textContent = "";
    document.getElementById("queue-box").hidden = q.length === 0;
    q.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "queued";
      li.dataset.clientId = item.clue.client_id;
      var text = (item.label || "") + " · " + new Date(item.clue.reported_at).toLocaleString();
      li.textContent = text + " — " + (item.error || msg.waiting);
      if (item.error) {
        var del = document.createElement("button");
        del.type = "button";
        del.className = "link";
        del.textContent = msg.remove;
        del.addEventListener("click", function () {
          save(load().filter(function (x) { return x.clue.client_id !== item.clue.client_id; }));
          render();
        });
        li.appendChild(del);
      }
      list.appendChild(li);
    });
    banner.hidden = navigator.onLine;
  }

  var sending = false;
  function flush() {
    if (sending || !navigator.onLine) { render(); return; }
    var q = load().filter(function (x) { return !x.error; });
    if (q.length === 0) { render(); return; }
    sending = true;
    var item = q[0];
    fetch("/api/v1/clues", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept-Language": document.documentElement.lang },
      body: JSON.stringify(item.clue)
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (body) {
        var rest = load();
        if (resp.status === 200 || resp.status === 201) {
          save(rest.filter(function (x) { return x.clue.client_id !== item.clue.client_id; }));
          var done = document.getElementById("sent");
          var a = document.createElement("a");
          a.href = "/clues/" + body.id;
          a.textContent = msg.sent + " #" + body.id;
          var li = document.createElement("li");
          li.appendChild(a);
          done.appendChild(li);
          document.getElementById("sent-box").hidden = false;
        } else if (resp.status === 401) {
          sending = false;
          banner.hidden = false;
          banner.textContent = msg.login;
          return;
        } else if (resp.status >= 400 && resp.status < 500) {
          rest.forEach(function (x) {
            if (x.clue.client_id === item.clue.client_id) {
              x.error = (body.error && body.error.message) || resp.statusText;
            }
          });
          save(rest);
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
      var f = input.files && input.files[0];
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

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    ev.stopImmediatePropagation();
    var fd = new FormData(form);
    var hh = fd.get("household_id");
    var kinds = fd.getAll("kinds");
    var errorBox = document.getElementById("report-error");
    errorBox.hidden = true;
    if (!kinds.length) {
      errorBox.textContent = msg.needKinds;
      errorBox.hidden = false;
      return;
    }
    if (!hh && !String(fd.get("name") || "").trim()) {
      errorBox.textContent = msg.needWho;
      errorBox.hidden = false;
      return;
    }
    photo(form.querySelector("input[name=photo]")).then(function (data) {
      var clue = {
        client_id: newID(), household_id: hh ? parseInt(hh, 10) : 0, name: hh ? "" : String(fd.get("name") || ""),
        place_code: hh ? "" : String(fd.get("place_code") || ""), kinds: kinds, urgency: String(fd.get("urgency") || "normal"),
        note: String(fd.get("note") || ""), source: String(fd.get("source") || "grid"), reported_at: new Date().toISOString(), photo: data
      };
      var label = hh ? (form.querySelector("input[name=household_id]:checked") || {}).dataset : null;
      var q = load();
      q.push({ clue: clue, label: label ? label.name : clue.name });
      save(q);
      form.reset();
      window.scrollTo(0, 0);
      flush();
    });
  }, true);

  var filter = document.getElementById("household-filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var f = filter.value.trim();
      document.querySelectorAll("#households li").forEach(function (li) {
        li.hidden = f !== "" && li.textContent.indexOf(f) < 0;
      });
    });
  }
  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  setInterval(flush, 30000);
  window.safetynetOffline.worker();
  document.getElementById("report-js").hidden = false;
  flush();
})();
