from typing import Any

from django.utils import timezone

from warmhome.core.views_base import ScopedDetailView, ScopedListView
from warmhome.orgs.models import OrgUnit, OrgUnitNameChange
from warmhome.orgs.person_display import member_display
from warmhome.orgs.selectors import annotate_completeness, unit_facts


class OrgUnitListView(ScopedListView):
    model = OrgUnit
    template_name = "orgs/orgunit_list.html"
    context_object_name = "units"
    paginate_by = 200

    def base_queryset(self) -> Any:
        # 有阵地、有人员、有经费 of this year, as annotations of the one query of the page.
        return annotate_completeness(OrgUnit.objects.all(), timezone.localdate().year)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        context["can_import"] = user.has_action("orgs.change")
        context["can_manage_checklist"] = user.has_action("orgs.manage_checklist")
        context["year"] = timezone.localdate().year
        return context


class OrgUnitDetailView(ScopedDetailView):
    model = OrgUnit
    template_name = "orgs/orgunit_detail.html"
    context_object_name = "unit"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        unit: OrgUnit = self.object
        context["children"] = OrgUnit.objects.get_children(unit).visible_to(user)
        context["ancestors"] = OrgUnit.objects.get_ancestors(unit).visible_to(user)
        context["can_export"] = user.has_action("orgs.export", unit)
        context["can_change"] = user.has_action("orgs.change", unit) and unit.is_active
        facts = unit_facts(unit, viewer=user)
        context["facts"] = facts
        context["members"] = [member_display(member, viewer=user) for member in facts.members]
        context["former_members"] = [
            member_display(member, viewer=user) for member in facts.former_members
        ]
        context["name_changes"] = list(
            OrgUnitNameChange.objects.visible_to(user).filter(unit=unit).order_by("valid_to")
        )
        context["merged_into"] = (
            OrgUnit.objects.visible_to(user).filter(pk=unit.merged_into_id).first()
            if unit.merged_into_id
            else None
        )
        context["year"] = timezone.localdate().year
        return context
