from django.utils.translation import gettext_lazy as _

from warmhome.core.navigation import MenuEntry, register

register(
    MenuEntry(
        key="people",
        label=_("人员信息库"),
        url_name="people:person_list",
        action="people.view",
        group=_("基础数据"),
        order=20,
        icon="users",
    )
)
register(
    MenuEntry(
        key="people_households",
        label=_("家庭档案"),
        url_name="people:household_list",
        action="people.view",
        group=_("基础数据"),
        order=21,
        icon="home",
    )
)
