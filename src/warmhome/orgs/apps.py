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
        # After the persons (order 20): chairs are drawn from each community's persons.
        from warmhome.orgs.demo import facts_demo_load

        demo.register("orgs_facts", facts_demo_load, order=25)

        from warmhome.orgs.coverage_indicators import register_own_indicators
        from warmhome.orgs.demo_new_orgs import new_orgs_demo_load

        # After the persons (order 20): grid leaders are drawn from the demo persons.
        demo.register("orgs_new_orgs", lambda: new_orgs_demo_load(300) > 0, order=30)

        register_own_indicators()
