// safetynet 督查检查: a sampled household's check with no signal. The
// check (answers, notes, photos scaled down) is kept in the phone's
// storage under the form's ID and sent when the connection returns; the
// server treats a second sending of the same ID as the same check. A
// refused check stays listed with the server's reason, and sending the
// form again replaces it.
"use strict";
(function () {
  var KEY = "safetynet-inspections";
  var form = document.getElementById("insp-check-form"); // absent on the inspection's page, which only sends what waits
  var off = window.safetynetOffline, load = off.load, save = off.save;
  var banner = document.getElementById("insp-offline");
  var pending = document.getElementById("insp-pending");
  var failed = document.getElementById("insp-failed");
  var queued = document.getElementById("insp-queued");
  var clientID = form ? form.querySelector("input[name=client_id]").value : "";
  var mine = false;

  function render() {
    var q = load(KEY);
    var waiting = q.filter(function (x) { return !x.error; });
    pending.hidden = waiting.length === 0;
    document.getElementById("insp-pending-n").textContent = String(waiting.length);
    failed.innerHTML = "";
    q.filter(function (x) { return x.error; }).forEach(function (x) {
      var li = document.createElement("li");
      li.className = "error";
      li.textContent = x.label + "：" + x.error;
      failed.appendChild(li);
    });
    failed.hidden = failed.children.length === 0;
    banner.hidden = navigator.onLine;
    var still = q.filter(function (x) { return x.check.client_id === clientID; });
    if (mine && still.length === 0) { location.reload(); return; }
    if (queued) { queued.hidden = !(still.length > 0 && !still[0].error); }
  }

  var flush = off.queue({ key: KEY, render: render, url: function () { return "/api/v1/inspection-checks"; },
    body: function (item) { return item.check; }, id: function (item) { return item.check.client_id; } });
  if (!form) {
    render();
    flush();
    return;
  }

  function items() {
    var out = [];
    Array.prototype.forEach.call(form.querySelectorAll(".check-row"), function (row) {
      var picked = row.querySelector("input[type=radio]:checked");
      var note = row.querySelector("input[name^=n_]");
      var item = note.name.slice(2);
      out.push({ item: item, answer: picked ? picked.value : "", note: note.value.trim() });
    });
    return out;
  }
  function toggle() {
    var found = form.querySelector("input[name=found]:checked");
    document.getElementById("insp-items").hidden = !!found && found.value === "0";
  }
  Array.prototype.forEach.call(form.querySelectorAll("input[name=found]"), function (r) { r.addEventListener("change", toggle); });
  toggle();

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var input = form.querySelector("input[name=photos]");
    var files = input && input.files ? Array.prototype.slice.call(input.files, 0, 4) : [];
    Promise.all(files.map(off.shrink)).then(function (photos) {
      var found = form.querySelector("input[name=found]:checked");
      var isFound = !found || found.value !== "0";
      var check = {
        client_id: clientID, sample_id: parseInt(form.dataset.sample, 10) || 0, found: isFound,
        answers: isFound ? items() : [], household_says: form.household_says.value, note: form.note.value,
        photos: photos.filter(Boolean), checked_at: new Date().toISOString().replace(/\.\d{3}Z$/, "Z")
      };
      var head = document.querySelector("#insp-household h1 span");
      var q = load(KEY).filter(function (x) { return x.check.client_id !== clientID; });
      q.push({ label: head ? head.textContent : "", check: check });
      save(KEY, q);
      mine = true;
      delete form.dataset.sent;
      render();
      flush();
    });
  });
  render();
  flush();
})();
