// The labour contract term matters only for a foreign worker (Trade Union Law 2024: 12 months
// or more). On the member forms (portal and admin) it is hidden while the nationality is
// Việt Nam, unless it holds a value or an error; without this script it is simply always shown.
(function () {
  "use strict";
  var VIETNAM = "VN";

  function rowOf(element) {
    return element.closest(".field, .form-row");
  }

  function follow(nationality) {
    var form = nationality.form;
    var months = form && form.elements.namedItem("contract_months");
    var row = months && rowOf(months);
    if (!row) {
      return;
    }
    var keep = months.value !== "" || row.classList.contains("has-error") || row.classList.contains("errors");
    function update() {
      row.hidden = nationality.value === VIETNAM && !keep;
    }
    nationality.addEventListener("change", function () {
      keep = false;
      update();
    });
    update();
  }

  function start() {
    document.querySelectorAll("select[name='nationality']").forEach(follow);
  }

  // The admin loads its scripts in the page's head; the portal's are deferred.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
