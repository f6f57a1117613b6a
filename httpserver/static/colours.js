// safetynet: checks the colour rules (风险颜色) as one types, with the rules
// editor's check (POST /api/v1/rules/check). The form works without
// script: preview and publish check on the server.
"use strict";
(function () {
  var form = document.querySelector("form[data-colour-check]");
  if (!form) {
    return;
  }
  var lang = document.documentElement.lang === "en" ? "en" : "zh";
  var okText = form.getAttribute("data-ok") || "";
  ["red", "yellow"].forEach(function (name) {
    var src = document.getElementById("colour-" + name);
    var out = document.getElementById("colour-" + name + "-check");
    if (!src || !out) {
      return;
    }
    var timer = null;
    var seq = 0;
    function show(issues) {
      out.textContent = "";
      var el;
      if (!issues.length) {
        el = document.createElement("p");
        el.className = "ok";
        el.textContent = okText;
      } else {
        el = document.createElement("ul");
        el.className = "error";
        issues.forEach(function (m) {
          var li = document.createElement("li");
          li.textContent = m;
          el.appendChild(li);
        });
      }
      out.appendChild(el);
    }
    function check() {
      var mine = ++seq;
      fetch("/api/v1/rules/check", {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "Accept-Language": lang},
        body: JSON.stringify({source: src.value})
      }).then(function (r) {
        return r.json().then(function (body) { return {status: r.status, body: body}; });
      }).then(function (res) {
        if (mine !== seq) {
          return;
        }
        if (res.status === 200) {
          show([]);
        } else if (res.body && res.body.issues) {
          show(res.body.issues.map(function (i) { return i.message; }));
        } else if (res.body && res.body.error) {
          show([res.body.error.message]);
        }
      }).catch(function () { /* offline: preview and publish still check */ });
    }
    src.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    });
  });
})();
