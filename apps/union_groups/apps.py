from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionGroupsConfig(AppConfig):
    name = "apps.union_groups"
    verbose_name = _("Union groups")
