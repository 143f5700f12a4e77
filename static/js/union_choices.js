// A group picker lists only the groups of the CĐCS chosen on the same form (or the same inline row).
// The admin's autocomplete asks /admin/autocomplete/ for groups; this adds "union=<chosen CĐCS>"
// to that request. The server still scopes the answer to what the user may see.
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
    if (!opening || options.url.indexOf("/autocomplete/") === -1 || options.url.indexOf("field_name=group") === -1) {
      return;
    }
    // "id_group" -> "id_union"; "id_officials-0-group" -> "id_officials-0-union".
    var unionField = document.getElementById(opening.id.replace(/group$/, "union"));
    if (unionField && unionField.value) {
      options.url += "&union=" + encodeURIComponent(unionField.value);
    }
  });
})();
