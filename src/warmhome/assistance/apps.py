from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "warmhome.assistance"
    label = "assistance"
    verbose_name = _("帮扶救助")

    def ready(self) -> None:
        from warmhome.assistance import actions, navigation, todo, workflow  # noqa: F401
        from warmhome.assistance.levels import register_own_sources
        from warmhome.assistance.lists import register_own_lists
        from warmhome.assistance.timeline_sources import register_timeline_sources

        register_own_sources()
        register_own_lists()
        register_timeline_sources()

        from warmhome.assistance.demo import assistance_demo_load
        from warmhome.core import demo

        demo.register("assistance", assistance_demo_load, order=60)
