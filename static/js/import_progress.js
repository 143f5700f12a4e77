// The import job page while the job runs: asks the status URL every two seconds, moves the
// progress bar, and reloads the page once the job has finished (the counts are then shown).
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-progress-bar");
  var text = document.getElementById("job-progress-text");
  var label = document.getElementById("job-status");
  var lang = document.documentElement.lang || "vi";
  var numbers = new Intl.NumberFormat(lang);

  function show(state) {
    if (label && state.status_label) { label.textContent = state.status_label; }
    if (state.percent === null || state.percent === undefined) {
      bar.removeAttribute("value");  // an indeterminate bar: the total is not known yet
    } else {
      bar.value = state.percent;
      bar.textContent = state.percent + " %";
    }
    if (text && state.total) {
      text.textContent = numbers.format(state.done) + " / " + numbers.format(state.total);
    }
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { window.setTimeout(poll, 5000); return; }
        show(state);
        if (state.running) { window.setTimeout(poll, 2000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 1000);
})();
