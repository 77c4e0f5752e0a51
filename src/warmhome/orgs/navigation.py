from django.utils.translation import gettext_lazy as _

from warmhome.core.navigation import MenuEntry, register

register(
    MenuEntry(
        key="orgs",
        label=_("组织网络"),
        url_name="orgs:orgunit_list",
        action="orgs.view",
        group=_("组织"),
        order=10,
        icon="sitemap",
    )
)
