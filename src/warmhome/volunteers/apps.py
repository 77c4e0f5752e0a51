from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "warmhome.volunteers"
    label = "volunteers"
    verbose_name = _("巾帼志愿服务")

    def ready(self) -> None:
        from warmhome.volunteers import actions, navigation, todo, workflows  # noqa: F401  (registries)
        from warmhome.volunteers.attendance import connect_attendance

        connect_attendance()

        from warmhome.volunteers import timeline_sources

        timeline_sources.register()

        from warmhome.volunteers.lists import register_lists

        register_lists()

        from warmhome.core import demo
        from warmhome.volunteers.demo import volunteers_demo_load

        demo.register("volunteers", lambda: volunteers_demo_load() > 0, order=60)
