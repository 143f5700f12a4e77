// The meeting form's invitation list: a CĐCS found by part of its name or its code (the scoped
// unions.json, through window.unionLookup of union_lookup.js, loaded first) is added as one line
// of the "invited grassroots unions" box. Without these scripts the box still works: people type
// the codes or names themselves, one per line.
(function () {
  "use strict";
  var finder = document.getElementById("invite-find");
  var list = document.getElementById("invite-choices");
  var box = finder && document.getElementById(finder.getAttribute("data-target"));
  if (!finder || !list || !box || !window.unionLookup) {
    return;
  }
  finder.closest("[hidden]") && finder.closest("[hidden]").removeAttribute("hidden");
  var lookup = window.unionLookup(finder, list, finder.getAttribute("data-lookup-url"));

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
    lookup.forget();
  }

  finder.addEventListener("input", addPicked);
  finder.addEventListener("change", addPicked);
})();
