// The meeting form's invitation list: a CĐCS found by part of its name or its code (the scoped
// unions.json) is added as one line of the "invited grassroots unions" box. Without this script
// the box still works: people type the codes or names themselves, one per line.
(function () {
  "use strict";
  var finder = document.getElementById("invite-find");
  var list = document.getElementById("invite-choices");
  var box = finder && document.getElementById(finder.getAttribute("data-target"));
  if (!finder || !list || !box) {
    return;
  }
  finder.closest("[hidden]") && finder.closest("[hidden]").removeAttribute("hidden");
  var url = finder.getAttribute("data-lookup-url");
  var timer = null;
  var asked = "";

  function fill(results) {
    list.textContent = "";
    results.forEach(function (union) {
      var option = document.createElement("option");
      option.value = union.code;
      option.label = union.name;
      option.textContent = union.name;
      list.appendChild(option);
    });
  }

  function lookUp() {
    var term = finder.value.trim();
    if (term.length < 2 || term === asked) {
      return;
    }
    asked = term;
    fetch(url + "?q=" + encodeURIComponent(term), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (term === finder.value.trim()) { fill(data.results || []); } })
      .catch(function () { /* the codes can still be typed into the box */ });
  }

  function addPicked() {
    var code = finder.value.trim();
    var picked = Array.prototype.some.call(list.options, function (option) { return option.value === code; });
    if (!picked) {
      return;
    }
    var lines = box.value.split(/\r?\n/).map(function (line) { return line.trim(); }).filter(Boolean);
    if (lines.indexOf(code) === -1) {
      lines.push(code);
    }
    box.value = lines.join("\n");
    finder.value = "";
    asked = "";
  }

  finder.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, 250);
    addPicked();
  });
  finder.addEventListener("change", addPicked);
})();
