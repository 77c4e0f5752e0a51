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

        # The organisation pages draw their members through this app's one rendering function,
        # and find a typed person through its picker.
        from warmhome.orgs.person_display import (
            register_person_finder,
            register_person_renderer,
            unit_member_rows,
        )
        from warmhome.people.forms import pick_person
        from warmhome.people.lists import register_person_list
        from warmhome.people.rendering import render_person

        register_person_renderer(render_person)
        register_person_finder(pick_person)
        register_person_list("orgs.unit_members", unit_member_rows)
        from warmhome.orgs.grid_leaders import grid_leader_rows

        register_person_list("orgs.grid_leaders", grid_leader_rows)

        from warmhome.people import timeline_sources

        timeline_sources.register()

        from warmhome.core import demo
        from warmhome.people.demo import persons_demo_load

        demo.register("people", lambda: persons_demo_load(300) > 0, order=20)
