"""Official documents of an organisation: the roster of a unit's subtree as Word."""

from typing import Any, cast

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from warmhome.core.audit.services import export_log
from warmhome.core.documents.docx import DOCX_CONTENT_TYPE, TEMPLATE_DIR, render_template
from warmhome.core.views_base import ScopedDetailView
from warmhome.orgs.models import OrgUnit

ROSTER_TEMPLATE = TEMPLATE_DIR / "orgunit_roster.docx"


class OrgUnitRosterDocxView(ScopedDetailView):
    """The 组织名册 of a unit and every unit under it that the user may export."""

    model = OrgUnit
    action = "orgs.export"

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        unit = cast(OrgUnit, self.get_object())
        units = list(
            OrgUnit.objects.filter(path__startswith=unit.path)
            .visible_to(request.user, self.action)
            .order_by("path")
        )
        names = {member.path: member.name for member in units}
        rows = [
            {
                "number": index,
                "name": member.name,
                "kind": member.get_kind_display(),
                "code": member.code,
                "parent": names.get(member.path[: -member.steplen], "")
                if member.pk != unit.pk
                else "",
                "status": _("有效") if member.is_active else _("已停用"),
            }
            for index, member in enumerate(units, start=1)
        ]
        payload = render_template(
            ROSTER_TEMPLATE,
            {
                "unit_name": unit.name,
                "unit_full_name": " / ".join(
                    [ancestor.name for ancestor in OrgUnit.objects.get_ancestors(unit)]
                    + [unit.name]
                ),
                "count": len(rows),
                "exported_by": str(request.user),
                "exported_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
                "rows": rows,
            },
        )
        export_log(
            actor=request.user,
            what="orgs.orgunit_roster_docx",
            row_count=len(rows),
            detail={"unit": unit.pk},
        )
        filename = _("%(name)s组织名册.docx") % {"name": unit.name}
        response = HttpResponse(payload, content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
