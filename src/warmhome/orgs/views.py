from warmhome.core.views_base import ScopedDetailView, ScopedListView
from warmhome.orgs.models import OrgUnit


class OrgUnitListView(ScopedListView):
    model = OrgUnit
    template_name = "orgs/orgunit_list.html"
    context_object_name = "units"
    paginate_by = 200


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
        return context
