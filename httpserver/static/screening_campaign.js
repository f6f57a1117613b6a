// safetynet 集中排查: the household form works with no signal. The record
// is kept in the phone's storage under the form's client ID and sent to
// the API when the connection returns; the server treats a second sending
// of the same ID as the same record, so a household is never recorded
// twice. A refused record stays listed with the server's reason. The form
// also shows the per-capita net income as it is typed.
"use strict";
(function () {
  var KEY = "safetynet-screening";
  var DONE = "safetynet-screening-done";
  var off = window.safetynetOffline, load = off.load, save = off.save;
  var form = document.getElementById("screening-form");
  var pending = document.getElementById("screening-pending");
  var failed = document.getElementById("screening-failed");
  var queued = document.getElementById("screening-queued");
  var mine = form ? form.querySelector("input[name=client_id]").value : "";

  function yuan(s) {
    var v = parseFloat(String(s || "").replace(/[,，元\s]/g, ""));
    return isNaN(v) ? 0 : Math.round(v * 100);
  }
  function perCapita() {
    if (!form) { return; }
    var income = 0, expense = 0;
    Array.prototype.forEach.call(form.querySelectorAll("input.amount"), function (el) {
      if (el.dataset.kind === "income") { income += yuan(el.value); } else { expense += yuan(el.value); }
    });
    var n = parseInt(form.querySelector("input[name=members]").value, 10) || 0;
    var out = document.getElementById("per-capita");
    var below = document.getElementById("below-line");
    if (n <= 0) { out.textContent = "–"; below.hidden = true; return; }
    var fen = Math.floor((income - expense) / n);
    out.textContent = (fen / 100).toFixed(2);
    var line = parseInt(form.dataset.line, 10) || 0;
    below.hidden = !(line > 0 && fen < line);
  }

  function render() {
    var q = load(KEY);
    var waiting = q.filter(function (x) { return !x.error; });
    if (pending) {
      pending.hidden = waiting.length === 0;
      document.getElementById("screening-pending-n").textContent = String(waiting.length);
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
    // Households recorded on this phone leave the to-do list at once.
    var todo = document.getElementById("list-todo");
    if (todo && todo.classList.contains("on")) {
      load(DONE).forEach(function (id) {
        var li = document.getElementById("household-" + id);
        if (li) { li.hidden = true; li.style.display = "none"; }
      });
    }
    // This page's record was sent: back to the list, whose progress now counts it.
    if (form && form.dataset.queued && !q.some(function (x) { return x.record.client_id === mine; })) {
      location.href = queued.querySelector("a").getAttribute("href");
    }
    if (form && form.dataset.queued) {
      var mineItem = q.filter(function (x) { return x.record.client_id === mine; })[0];
      if (mineItem && mineItem.error) { form.hidden = false; queued.hidden = true; delete form.dataset.queued; }
    }
  }

  var flush = off.queue({ key: KEY, done: DONE, render: render,
    url: function (item) { return "/api/v1/screenings/" + item.campaign + "/records"; },
    body: function (item) { return item.record; }, id: function (item) { return item.record.client_id; } });

  if (form) {
    Array.prototype.forEach.call(form.querySelectorAll("input.amount, input[name=members]"), function (el) {
      el.addEventListener("input", perCapita);
    });
    perCapita();
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var fd = new FormData(form);
      var rec = {
        client_id: mine, household_id: parseInt(form.dataset.household, 10), partner_id: parseInt(String(fd.get("partner_id") || "0"), 10) || 0,
        screened_on: String(fd.get("screened_on") || ""), members: parseInt(String(fd.get("members") || "0"), 10) || 0,
        income: {}, expenses: {}, findings: fd.getAll("findings").map(String), note: String(fd.get("note") || ""),
        version: parseInt(String(fd.get("version") || "0"), 10) || 0
      };
      Array.prototype.forEach.call(form.querySelectorAll("input.amount"), function (el) {
        var code = el.name.replace(/^(income|expense)_/, "");
        if (el.value.trim() !== "") { (el.dataset.kind === "income" ? rec.income : rec.expenses)[code] = el.value.trim(); }
      });
      // A record refused before is replaced by the corrected one.
      var q = load(KEY).filter(function (x) { return x.record.client_id !== mine; });
      q.push({ label: form.dataset.label, campaign: form.dataset.campaign, record: rec });
      save(KEY, q);
      var done = load(DONE);
      done.push(form.dataset.household);
      save(DONE, done.slice(-500));
      form.dataset.queued = "1";
      form.hidden = true;
      queued.hidden = false;
      delete form.dataset.sent;
      render();
      flush();
    });
  }
  var js = document.getElementById("screening-js");
  if (js) { js.hidden = false; }
  render();
  flush();
})();
