from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "warmhome.orgs"
    label = "orgs"
    verbose_name = _("组织网络")

    def ready(self) -> None:
        from warmhome.orgs import actions, navigation  # noqa: F401  (registers actions and menu)
