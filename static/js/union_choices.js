// A group picker lists only the groups of the CĐCS chosen on the same form (or the same inline row).
// The admin's autocomplete asks /admin/autocomplete/ for groups, with its parameters (field_name …)
// in the request's data, not yet in its URL: jQuery adds the data to a GET's URL after the
// prefilters run. This adds "union=<chosen CĐCS>" to that data. The server still scopes the answer
// to what the user may see.
(function () {
  "use strict";
  var $ = window.django && window.django.jQuery;
  if (!$) {
    return;
  }
  var opening = null;
  $(document).on("select2:opening", "select.admin-autocomplete", function () {
    opening = this;
  });
  $.ajaxPrefilter(function (options) {
    var query = typeof options.data === "string" ? options.data : "";
    if (!opening || options.url.indexOf("/autocomplete/") === -1 || !/(^|&)field_name=group(&|$)/.test(query)) {
      return;
    }
    // "id_group" -> "id_union"; "id_officials-0-group" -> "id_officials-0-union".
    var unionField = document.getElementById(opening.id.replace(/group$/, "union"));
    if (unionField && unionField.value) {
      options.data = query + "&union=" + encodeURIComponent(unionField.value);
    }
  });
})();
