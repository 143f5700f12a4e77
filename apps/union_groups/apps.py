from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionGroupsConfig(AppConfig):
    name = "apps.union_groups"
    verbose_name = _("Union groups")

    def ready(self) -> None:
        # The import pages (apps.imports) offer every kind registered in apps.core.import_kinds.
        from apps.core.import_kinds import ImportKind, register_import_kind
        from apps.union_groups.imports import GROUP_LIST

        register_import_kind(ImportKind.for_list(GROUP_LIST))
