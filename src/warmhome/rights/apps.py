from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "warmhome.rights"
    label = "rights"
    verbose_name = _("维权与反家暴")

    def ready(self) -> None:
        from warmhome.rights import actions, navigation, todo  # noqa: F401  (registries)
        from warmhome.rights.lists import register_own_lists

        register_own_lists()

        from warmhome.core import demo
        from warmhome.rights.demo import rights_demo_load

        demo.register("rights", rights_demo_load, order=65)
