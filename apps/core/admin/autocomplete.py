"""The admin's autocomplete endpoint, refusing what Django would answer with a server error.

Why: Django's ``AutocompleteJsonView`` takes the app, model and field from the query
string; a reverse relation or a non-relation there raised an unhandled error (a 500).
Here those are refused (403); the rows it lists are still the target admin's
``get_queryset``, so scoped. Checked against Django 5.2 (``process_request``).
"""

from __future__ import annotations

from django.apps import apps as django_apps
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import FieldDoesNotExist, PermissionDenied


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete, refusing (403) reverse relations instead of failing with a 500.

    With ``union=<id>`` (static/js/union_choices.js sends the CĐCS chosen on the form) a list
    of rows that belong to a CĐCS (groups) is narrowed to that one, inside the user's scope:
    another CĐCS's id gives nothing. Each row is labelled by its ``choice_label`` where the
    model has one ("Tổ Kinh doanh — Công đoàn Công ty X"). The target's admin may narrow the
    choices offered for one field with ``autocomplete_choices(request, queryset, source_field)``
    (a CĐCS is not offered a federation that has ended).
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        union = self.request.GET.get("union", "")
        if union and any(field.name == "union" for field in queryset.model._meta.fields):
            if not union.isdigit():
                return queryset.none()
            queryset = queryset.filter(union_id=int(union))
        if hasattr(queryset.model, "choice_label"):
            queryset = queryset.select_related("union")
        narrow = getattr(self.model_admin, "autocomplete_choices", None)
        if narrow is not None:
            queryset = narrow(self.request, queryset, self.source_field)
        return queryset

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if hasattr(obj, "choice_label"):
            result["text"] = obj.choice_label
        return result

    def process_request(self, request):
        model_name = request.GET.get("model_name")
        app_label = request.GET.get("app_label")
        field_name = request.GET.get("field_name")
        try:
            field = django_apps.get_model(app_label, model_name)._meta.get_field(field_name)
        except (LookupError, FieldDoesNotExist, TypeError) as error:
            raise PermissionDenied from error
        if field.auto_created or not field.is_relation:
            raise PermissionDenied
        return super().process_request(request)
