from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "warmhome.accounts"
    label = "accounts"
    verbose_name = _("账号与岗位")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from warmhome.accounts import actions, navigation, signals

        # After every migrate, so that a new installation (and each test database) has them.
        post_migrate.connect(
            signals.ensure_default_roles, sender=self, dispatch_uid="warmhome_roles"
        )
        del actions, navigation
