// safetynet: small enhancements only; every page works without script.
"use strict";
document.addEventListener("click", function (ev) {
  var el = ev.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) {
    ev.preventDefault();
  }
});
// A form disables its buttons once sent, so a double tap on a slow
// connection does not submit twice.
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  if (form.dataset.sent) {
    ev.preventDefault();
    return;
  }
  form.dataset.sent = "1";
  setTimeout(function () { delete form.dataset.sent; }, 8000);
});
// Print buttons on the household form (一户一表) and the person's file.
document.addEventListener("click", function (ev) {
  if (ev.target.closest("[data-print]")) {
    window.print();
  }
});
// On the login page: forget the kept clue form of the last user (its list
// of households); reports waiting to be sent are kept.
if (location.pathname === "/login" && navigator.serviceWorker && navigator.serviceWorker.controller) {
  navigator.serviceWorker.controller.postMessage("forget");
}
// The offline queue of the pages that record work with no signal (今日's
// visits and certifications, 我的服务): an item is kept in the phone's
// storage with an ID made here and sent when the connection returns; the
// server treats a second sending of the same ID as the same record, so
// nothing is recorded twice. A refused item stays, marked with the
// server's reason; a fault or no connection leaves it for later.
window.safetynetOffline = (function () {
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
  // shrink scales a photo down to 1280 px as a JPEG data URL (null when
  // the file is not an image the phone can read).
  function shrink(file) {
    return new Promise(function (resolve) {
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, 1280 / Math.max(img.width, img.height));
        var c = document.createElement("canvas");
        c.width = Math.max(1, Math.round(img.width * scale));
        c.height = Math.max(1, Math.round(img.height * scale));
        c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
        URL.revokeObjectURL(img.src);
        resolve(c.toDataURL("image/jpeg", 0.8));
      };
      img.onerror = function () { resolve(null); };
      img.src = URL.createObjectURL(file);
    });
  }
  // queue sends the items kept under o.key one by one, now and whenever
  // the signal returns (and every 30 s): o.url(item) and o.body(item) make
  // the request, o.id(item) is the item's client id, o.refused(item)
  // changes a refused item beside its error, o.render() redraws the
  // page's counts; o.done is the key of the items hidden as recorded on
  // this phone, forgotten once nothing waits to be sent (a fresh page
  // from the server no longer holds them).
  function queue(o) {
    var sending = false;
    function flush() {
      if (sending || !navigator.onLine) { o.render(); return; }
      var q = load(o.key).filter(function (x) { return !x.error; });
      if (q.length === 0) { o.render(); return; }
      sending = true;
      var item = q[0];
      fetch(o.url(item), {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept-Language": document.documentElement.lang },
        body: JSON.stringify(o.body(item))
      }).then(function (resp) {
        return resp.json().catch(function () { return {}; }).then(function (body) {
          var rest = load(o.key);
          if (resp.status === 200 || resp.status === 201) {
            save(o.key, rest.filter(function (x) { return o.id(x) !== o.id(item); }));
          } else if (resp.status === 401) {
            sending = false; // logged out: wait for the next login
            o.render();
            return;
          } else if (resp.status >= 400 && resp.status < 500) {
            var msg = (body.error && body.error.message) || resp.statusText;
            rest.forEach(function (x) {
              if (o.id(x) === o.id(item)) {
                x.error = msg;
                if (o.refused) { o.refused(x); }
              }
            });
            save(o.key, rest);
          } else {
            throw new Error("server " + resp.status);
          }
          sending = false;
          flush();
        });
      }).catch(function () {
        sending = false; // no connection or a server fault: try again later
        o.render();
      });
    }
    window.addEventListener("online", flush);
    window.addEventListener("offline", o.render);
    setInterval(flush, 30000);
    if (o.done && navigator.onLine && load(o.key).length === 0) { save(o.done, []); }
    return flush;
  }
  // worker registers the service worker that keeps the offline pages and
  // asks it to refresh its copies.
  function worker() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register("/sw.js").then(function () {
      if (navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage("refresh");
      }
    }).catch(function () {});
  }
  return { load: load, save: save, newID: newID, shrink: shrink, queue: queue, worker: worker };
})();
