// safetynet 我的服务: records a service with no signal. The record (with
// its photos scaled down, the drawn signature as PNG and the phone's
// location if allowed) is kept in the phone's storage under an ID made
// here and sent when the connection returns; the server treats a second
// sending of the same ID as the same record, so a service is never
// recorded twice. A refused record stays listed with the server's reason.
"use strict";
(function () {
  var KEY = "safetynet-services";
  var DONE = "safetynet-services-done";
  var banner = document.getElementById("services-offline");
  var pending = document.getElementById("services-pending");
  var failed = document.getElementById("services-failed");

  var off = window.safetynetOffline, load = off.load, save = off.save, newID = off.newID;

  function render() {
    var q = load(KEY);
    var waiting = q.filter(function (x) { return !x.error; });
    if (pending) {
      pending.hidden = waiting.length === 0;
      document.getElementById("services-pending-n").textContent = String(waiting.length);
    }
    if (failed) {
      failed.innerHTML = "";
      q.filter(function (x) { return x.error; }).forEach(function (x) {
        var li = document.createElement("li");
        li.className = "error";
        li.textContent = x.label + "：" + x.error;
        failed.appendChild(li);
      });
      failed.hidden = failed.children.length === 0;
    }
    if (banner) { banner.hidden = navigator.onLine; }
    load(DONE).forEach(function (id) {
      var li = document.getElementById("sdue-" + id);
      if (li) { li.hidden = true; li.style.display = "none"; }
    });
  }

  var flush = off.queue({ key: KEY, done: DONE, render: render, url: function () { return "/api/v1/services/records"; },
    body: function (item) { return item.record; }, id: function (item) { return item.record.client_id; } });

  var scaled = off.shrink;
  function photos(input) {
    var files = input && input.files ? Array.prototype.slice.call(input.files, 0, 4) : [];
    return Promise.all(files.map(scaled)).then(function (l) { return l.filter(Boolean); });
  }
  function position(form) {
    var box = form.querySelector("input[name=geo]");
    if (!box || !box.checked || !navigator.geolocation) { return Promise.resolve(null); }
    return new Promise(function (resolve) {
      var done = false;
      var finish = function (v) { if (!done) { done = true; resolve(v); } };
      setTimeout(function () { finish(null); }, 4000);
      navigator.geolocation.getCurrentPosition(function (p) {
        finish({ lat_e6: Math.round(p.coords.latitude * 1e6), lon_e6: Math.round(p.coords.longitude * 1e6),
          accuracy_m: Math.round(p.coords.accuracy || 0) });
      }, function () { finish(null); }, { timeout: 3500, maximumAge: 600000 });
    });
  }
  function iso(local) {
    var d = new Date(local); // a datetime-local value is the phone's local time
    return isNaN(d) ? "" : d.toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  // Signature pads: draw with a finger; an untouched pad sends nothing.
  Array.prototype.forEach.call(document.querySelectorAll("canvas.signature"), function (c) {
    var box = c.closest(".signature-box");
    if (box) { box.hidden = false; }
    var ctx = c.getContext("2d");
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    var drawing = false;
    function at(ev) {
      var r = c.getBoundingClientRect();
      return [(ev.clientX - r.left) * c.width / r.width, (ev.clientY - r.top) * c.height / r.height];
    }
    c.addEventListener("pointerdown", function (ev) { drawing = true; var p = at(ev); ctx.beginPath(); ctx.moveTo(p[0], p[1]); c.dataset.signed = "1"; });
    c.addEventListener("pointermove", function (ev) { if (drawing) { var p = at(ev); ctx.lineTo(p[0], p[1]); ctx.stroke(); } });
    ["pointerup", "pointerleave", "pointercancel"].forEach(function (n) { c.addEventListener(n, function () { drawing = false; }); });
    var clear = box && box.querySelector(".sign-clear");
    if (clear) {
      clear.addEventListener("click", function () { ctx.clearRect(0, 0, c.width, c.height); delete c.dataset.signed; });
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll(".geo-box"), function (g) { g.hidden = !navigator.geolocation; });

  Array.prototype.forEach.call(document.querySelectorAll("form.service-form"), function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var fd = new FormData(form);
      var pad = form.querySelector("canvas.signature");
      var signature = pad && pad.dataset.signed ? pad.toDataURL("image/png") : "";
      Promise.all([photos(form.querySelector("input[name=photos]")), position(form)]).then(function (got) {
        var rec = {
          client_id: newID(), due_id: parseInt(form.dataset.due, 10) || 0,
          household_id: parseInt(String(fd.get("household_id") || form.dataset.household || "0"), 10) || 0,
          worker_id: parseInt(String(fd.get("worker_id") || "0"), 10) || 0, service_type: String(fd.get("service_type") || ""),
          started_at: iso(String(fd.get("started_at") || "")), ended_at: iso(String(fd.get("ended_at") || "")),
          photos: got[0], signature: signature, code: String(fd.get("code") || "").trim(), note: String(fd.get("note") || ""),
          campaign_id: parseInt(fd.get("campaign_id"), 10) || 0
        };
        if (got[1]) { rec.location = got[1]; }
        var li = form.closest("li");
        var strong = li && li.querySelector("strong");
        var chosen = form.querySelector("select[name=household_id]");
        var label = strong ? strong.textContent : (chosen && chosen.selectedOptions[0] ? chosen.selectedOptions[0].textContent : "");
        var q = load(KEY);
        q.push({ label: label, record: rec });
        save(KEY, q);
        if (rec.due_id) {
          var done = load(DONE);
          done.push(form.dataset.due);
          save(DONE, done.slice(-500));
        } else {
          form.reset();
          if (pad) { pad.getContext("2d").clearRect(0, 0, pad.width, pad.height); delete pad.dataset.signed; }
        }
        render();
        flush();
      });
    });
  });

  off.worker();
  var js = document.getElementById("services-js");
  if (js) { js.hidden = false; }
  render();
  flush();
})();
