from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # signin_log: sign-ins, failures and lockouts go to the log (unionportal.auth).
        # two_factor: the sign-in receiver that makes each password sign-in decide the second factor anew.
        from apps.accounts import signin_log, two_factor  # noqa: F401
