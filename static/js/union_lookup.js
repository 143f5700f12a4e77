// The transfer form's lookup of the receiving CĐCS: as the user types part of a name or a code,
// the portal's scoped list (transfer-destinations.json) fills the field's <datalist>. Without
// this script the field still works: the server finds the union from what was typed.
(function () {
  "use strict";
  var list = document.getElementById("union-choices");
  var input = list && document.querySelector('input[list="union-choices"]');
  if (!input) {
    return;
  }
  var url = list.getAttribute("data-lookup-url");
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
    var term = input.value.trim();
    if (term.length < 2 || term === asked) {
      return;
    }
    asked = term;
    fetch(url + "?q=" + encodeURIComponent(term), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (term === input.value.trim()) { fill(data.results || []); } })
      .catch(function () { /* the server still resolves what was typed */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, 250);
  });
})();
