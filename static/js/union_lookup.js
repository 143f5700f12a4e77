// The lookup of a CĐCS by part of its name or its code, shared by every field that names one:
// as the user types, the portal's scoped list (the JSON at the given url) fills the field's
// <datalist>. Without this script the fields still work: the server finds the union from what
// was typed. window.unionLookup is what other scripts (meeting_invites.js) call, so this file
// is loaded before them.
(function () {
  "use strict";

  function unionLookup(input, list, url) {
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
        .catch(function () { /* what was typed still counts without suggestions */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, 250);
    });
    // A caller that empties the field (meeting_invites.js, once a code is added) forgets the
    // last term, so typing the same term again asks again.
    return {
      forget: function () { asked = ""; },
    };
  }

  window.unionLookup = unionLookup;

  // The fields marked list="union-choices": the transfer form's receiving CĐCS, the meeting
  // filters' union, the meeting form's organiser.
  var list = document.getElementById("union-choices");
  var input = list && document.querySelector('input[list="union-choices"]');
  if (input) {
    unionLookup(input, list, list.getAttribute("data-lookup-url"));
  }
})();
