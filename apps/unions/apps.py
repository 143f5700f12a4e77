from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionsConfig(AppConfig):
    name = "apps.unions"
    verbose_name = _("Unions")

    def ready(self) -> None:
        # The import pages (apps.imports) offer every kind registered in apps.core.import_kinds.
        from apps.core.import_kinds import ImportKind, register_import_kind
        from apps.unions.imports import UNION_LISTS

        for sheet_list in UNION_LISTS:
            register_import_kind(ImportKind.for_list(sheet_list))
