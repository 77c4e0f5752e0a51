from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "warmhome.activities"
    label = "activities"
    verbose_name = _("活动")

    def ready(self) -> None:
        # Registers actions, menu, the workflow and its notices.
        from warmhome.activities import (  # noqa: F401
            actions,
            exports,
            navigation,
            notices,
            timeline_sources,
            workflow,
        )
        from warmhome.people.lists import register_person_list

        register_person_list("activities.roster", exports.roster_rows)
        register_person_list("activities.attendee_export", exports.attendee_list_rows)
        register_person_list("activities.sign_in_sheet", exports.sign_in_sheet_rows)
        timeline_sources.register()

        from warmhome.portal.pages import PublicPage, register

        register(
            PublicPage(
                key="activities",
                title=_("活动报名"),
                url_name="activities_public:activity_list",
                description=_("查看近期活动，在手机上报名、扫码签到。"),
                order=20,
            )
        )

        from warmhome.activities.demo import activities_demo_load
        from warmhome.core import demo

        demo.register("activities", activities_demo_load, order=40)
