from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "warmhome.orgs"
    label = "orgs"
    verbose_name = _("组织网络")

    def ready(self) -> None:
        from warmhome.core import demo
        from warmhome.orgs import actions, navigation  # noqa: F401  (registers actions and menu)
        from warmhome.orgs.demo import demo_load

        demo.register("orgs", lambda: demo_load(actor=None), order=10)
