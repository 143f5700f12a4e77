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
    """Django's autocomplete, refusing (403) reverse relations instead of failing with a 500."""

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
