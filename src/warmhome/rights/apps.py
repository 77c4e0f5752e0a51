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

        # Help requests: their workflow, to-do, person lists, public form and demo.
        from warmhome.rights import admin_requests, todo_requests, workflow_requests  # noqa: F401
        from warmhome.rights.lists import register_request_lists

        register_request_lists()

        from warmhome.portal.pages import PublicPage, register

        register(
            PublicPage(
                key="rights_help_request",
                title=_("妇女儿童维权求助"),
                url_name="rights_public:helprequest_public",
                description=_("遇到家庭暴力、婚姻家庭、劳动权益等问题，可在线求助，按期答复。"),
                order=30,
            )
        )

        from warmhome.core import daily
        from warmhome.rights.services_escalation import help_requests_escalate_overdue

        daily.register("rights.escalate_overdue_requests", help_requests_escalate_overdue)

        from warmhome.core import demo
        from warmhome.rights.demo import rights_demo_load
        from warmhome.rights.demo_requests import help_requests_demo_load

        demo.register("rights", rights_demo_load, order=65)
        demo.register("rights_requests", help_requests_demo_load, order=70)
