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
