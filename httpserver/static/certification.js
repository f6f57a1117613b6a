// safetynet day list (今日), survival certifications: the grid worker
// records how a certification was assisted (face recognition in the
// official app, home visit with a photo, data comparison) also with no
// signal. The record is kept in the phone's storage with an ID made here
// and sent when the connection returns; the server treats a second
// sending of the same ID as the same record, so nothing is recorded twice.
"use strict";
(function () {
  var KEY = "safetynet-certifications";
  var DONE = "safetynet-certifications-done";
  var script = document.getElementById("cert-script");
  var zone = (script && script.dataset.zone) || "Asia/Shanghai";
  var pending = document.getElementById("cert-pending");
  var failed = document.getElementById("cert-failed");

  var off = window.safetynetOffline, load = off.load, save = off.save, newID = off.newID;
  // Today in the places' zone (not the phone's): YYYY-MM-DD.
  function today() {
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
    } catch (e) {
      return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    }
  }

  function hideDone() {
    load(DONE).forEach(function (id) {
      var li = document.getElementById("cert-" + id);
      if (li) { li.hidden = true; li.style.display = "none"; }
    });
  }
  function render() {
    var q = load(KEY);
    var waiting = q.filter(function (x) { return !x.error; });
    if (pending) {
      pending.hidden = waiting.length === 0;
      document.getElementById("cert-pending-n").textContent = String(waiting.length);
    }
    if (failed) {
      var bad = q.filter(function (x) { return x.error; });
      failed.hidden = bad.length === 0;
      failed.textContent = "";
      bad.forEach(function (x) {
        var li = document.createElement("li");
        li.className = "late";
        var a = document.createElement("a");
        a.href = "/certifications/" + x.due_id;
        a.textContent = x.name + " · " + (failed.dataset.retry || "");
        a.addEventListener("click", function () {
          // Opened to be recorded again: it no longer waits here.
          save(KEY, load(KEY).filter(function (y) { return y.client_id !== x.client_id; }));
        });
        var p = document.createElement("p");
        p.className = "error";
        p.textContent = x.error;
        li.appendChild(a);
        li.appendChild(p);
        failed.appendChild(li);
      });
    }
    hideDone();
  }

  var flush = off.queue({ key: KEY, done: DONE, render: render,
    url: function (item) { return "/api/v1/certifications/" + item.due_id + "/records"; },
    body: function (item) {
      return { client_id: item.client_id, method: item.method, date: item.date, evidence: item.evidence, note: item.note, photo: item.photo };
    },
    id: function (item) { return item.client_id; },
    refused: function (item) { item.photo = ""; } // to be made again on its page: free the storage
  });

  function photo(input) {
    var f = input && input.files && input.files[0];
    return f ? off.shrink(f).then(function (d) { return d || ""; }) : Promise.resolve("");
  }

  var forms = document.querySelectorAll("form.cert-form");
  var day = today();
  Array.prototype.forEach.call(forms, function (form) {
    // A copy of the page kept from an earlier day still dates records today.
    var date = form.querySelector("input[name=date]");
    if (date) {
      date.max = day;
      if (!date.dataset.touched) { date.value = day; }
      date.addEventListener("change", function () { date.dataset.touched = "1"; });
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var fd = new FormData(form);
      var method = String(fd.get("method") || "");
      var evidence = String(fd.get("evidence") || "").trim();
      var file = form.querySelector("input[name=photo]");
      var err = form.querySelector(".cert-error");
      var say = function (what) { err.textContent = script.dataset[what] || what; err.hidden = false; };
      if (!method) { say("needMethod"); return; }
      if (method === "home" && !(file && file.files && file.files.length)) { say("needPhoto"); return; }
      if (method === "data" && !evidence) { say("needEvidence"); return; }
      err.hidden = true;
      var li = form.closest("li");
      var name = li ? (li.querySelector("[data-user]") || {}).textContent || "" : "";
      photo(file).then(function (data) {
        var rec = {
          client_id: newID(), due_id: parseInt(form.dataset.cert, 10) || 0, name: name, method: method,
          date: String(fd.get("date") || day), evidence: evidence, note: String(fd.get("note") || ""), photo: data
        };
        var q = load(KEY);
        q.push(rec);
        save(KEY, q);
        var done = load(DONE);
        done.push(form.dataset.cert);
        save(DONE, done.slice(-500));
        render();
        flush();
      });
    });
  });

  render();
  flush();
})();
