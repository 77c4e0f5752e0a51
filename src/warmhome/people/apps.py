from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "warmhome.people"
    label = "people"
    verbose_name = _("人员信息库")

    def ready(self) -> None:
        from warmhome.people import actions, navigation  # noqa: F401  (registers actions and menu)
        from warmhome.people.lists import register_own_lists

        register_own_lists()

        from warmhome.people import timeline_sources

        timeline_sources.register()

        from warmhome.core import demo
        from warmhome.people.demo import persons_demo_load

        demo.register("people", lambda: persons_demo_load(300) > 0, order=20)
