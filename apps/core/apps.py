from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core import checks

        from apps.core.admin.scoped import check_admin_models_are_scoped

        checks.register(check_admin_models_are_scoped, checks.Tags.admin)
