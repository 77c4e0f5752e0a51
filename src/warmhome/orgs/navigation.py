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
register(
    MenuEntry(
        key="orgs_new_orgs",
        label=_("两新组织"),
        url_name="orgs:neworg_list",
        action="orgs.view",
        group=_("组织"),
        order=11,
        icon="building",
    )
)
register(
    MenuEntry(
        key="orgs_grids",
        label=_("网格"),
        url_name="orgs:grid_list",
        action="orgs.view",
        group=_("组织"),
        order=12,
        icon="grid",
    )
)
register(
    MenuEntry(
        key="orgs_coverage",
        label=_("覆盖情况"),
        url_name="orgs:coverage",
        action="orgs.view",
        group=_("组织"),
        order=13,
        icon="chart-bar",
    )
)
