from typing import Any

from warmhome.core.views_base import ScopedDetailView, ScopedListView
from warmhome.orgs.models import OrgUnit


class OrgUnitListView(ScopedListView):
    model = OrgUnit
    template_name = "orgs/orgunit_list.html"
    context_object_name = "units"
    paginate_by = 200

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_import"] = self.request.user.has_action("orgs.change")  # type: ignore[union-attr]
        return context


class OrgUnitDetailView(ScopedDetailView):
    model = OrgUnit
    template_name = "orgs/orgunit_detail.html"
    context_object_name = "unit"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["children"] = OrgUnit.objects.get_children(self.object).visible_to(
            self.request.user
        )
        context["ancestors"] = OrgUnit.objects.get_ancestors(self.object).visible_to(
            self.request.user
        )
        context["can_export"] = self.request.user.has_action(  # type: ignore[union-attr]
            "orgs.export", self.object
        )
        return context
