from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "apps.members"
    verbose_name = _("Members")

    def ready(self) -> None:
        # The import pages (apps.imports) offer every kind registered in apps.core.import_kinds.
        from apps.core.import_kinds import ImportKind, register_import_kind
        from apps.members import imports
        from apps.members.official_imports import OFFICIAL_LIST

        register_import_kind(
            ImportKind(
                name="members",
                label=_("members"),
                preview=imports.preview_member_import,
                apply=imports.apply_member_import,
                template=imports.member_import_template,
                permission="members.add_member",
                export=imports.export_members,
                export_permission="members.view_member",
            )
        )
        register_import_kind(ImportKind.for_list(OFFICIAL_LIST))
