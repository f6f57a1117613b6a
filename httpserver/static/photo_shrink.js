// safetynet: a photo chosen in a form's <input type=file data-shrink> (an
// activity of a campaign, a rectification report) is scaled down on the
// phone to 1280 px (a JPEG) before the form is sent, as the other photo
// forms do; without script the photo is sent as it is.
"use strict";
document.querySelectorAll("form").forEach(function (form) {
  if (!window.DataTransfer) {
    return;
  }
  var input = form.querySelector("input[type=file][data-shrink]");
  if (!input) {
    return;
  }
  var busy = false;
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file || file.size < 300000) {
      return;
    }
    busy = true;
    var img = new Image();
    img.onload = function () {
      var scale = Math.min(1, 1280 / Math.max(img.width, img.height));
      var c = document.createElement("canvas");
      c.width = Math.max(1, Math.round(img.width * scale));
      c.height = Math.max(1, Math.round(img.height * scale));
      c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
      URL.revokeObjectURL(img.src);
      c.toBlob(function (blob) {
        if (blob) {
          var dt = new DataTransfer();
          dt.items.add(new File([blob], "photo.jpg", { type: "image/jpeg" }));
          input.files = dt.files;
        }
        busy = false;
      }, "image/jpeg", 0.8);
    };
    img.onerror = function () { busy = false; };
    img.src = URL.createObjectURL(file);
  });
  form.addEventListener("submit", function (ev) {
    if (busy) { // still scaling: try again in a moment
      ev.preventDefault();
      setTimeout(function () { delete form.dataset.sent; form.requestSubmit(); }, 300);
    }
  });
});
