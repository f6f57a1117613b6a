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

  var off = window.safetynetOffline, load = off.load, save = off.save, newID = off.newID;

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

  var flush = off.queue({ key: KEY, done: DONE, render: render, url: function () { return "/api/v1/visits"; },
    body: function (item) { return item; }, id: function (item) { return item.client_id; } });

  function photo(input) {
    var f = input && input.files && input.files[0];
    return f ? off.shrink(f).then(function (d) { return d || ""; }) : Promise.resolve("");
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
          checklist: fd.getAll("checklist").map(String), made_at: new Date().toISOString(), photo: data,
          campaign_id: parseInt(fd.get("campaign_id"), 10) || 0
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

  off.worker();
  var js = document.getElementById("visits-js");
  if (js) { js.hidden = false; }
  render();
  flush();
})();
