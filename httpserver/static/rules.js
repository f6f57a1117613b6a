// safetynet: type-checks a rule as one types (规则即时检查). The form still
// works without script: submitting it checks on the server.
"use strict";
(function () {
  var form = document.querySelector("form[data-rule-check]");
  var src = document.getElementById("rule-source");
  var out = document.getElementById("rule-check");
  if (!form || !src || !out) {
    return;
  }
  var timer = null;
  var seq = 0;
  var lang = document.documentElement.lang === "en" ? "en" : "zh";
  var okText = form.getAttribute("data-ok") || "";
  function show(issues) {
    out.textContent = "";
    if (!issues.length) {
      var p = document.createElement("p");
      p.className = "ok";
      p.id = "rule-ok";
      p.textContent = okText;
      out.appendChild(p);
      return;
    }
    var ul = document.createElement("ul");
    ul.className = "error";
    ul.id = "rule-issues";
    issues.forEach(function (m) {
      var li = document.createElement("li");
      li.textContent = m;
      ul.appendChild(li);
    });
    out.appendChild(ul);
  }
  function check() {
    var mine = ++seq;
    fetch("/api/v1/rules/check", {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept-Language": lang},
      body: JSON.stringify({source: src.value, kind: form.getAttribute("data-rule-kind") || ""})
    }).then(function (r) {
      return r.json().then(function (body) { return {status: r.status, body: body}; });
    }).then(function (res) {
      if (mine !== seq) {
        return; // a newer check is on its way
      }
      if (res.status === 200) {
        show([]);
      } else if (res.body && res.body.issues) {
        show(res.body.issues.map(function (i) { return i.message; }));
      } else if (res.body && res.body.error) {
        show([res.body.error.message]);
      }
    }).catch(function () { /* offline: the submit button still checks */ });
  }
  src.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
})();
