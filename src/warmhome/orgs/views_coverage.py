"""Coverage rolled up the tree: the table with its chart and drill-down, and the Excel export.

The figures come from ``selectors_coverage.coverage_rollup`` only, which reads 两新
organisations and units through ``visible_to``; these views show aggregates of the user's own
scope and no record of anyone else's.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from warmhome.core.audit.services import export_log
from warmhome.core.imports.workbook import write_xlsx
from warmhome.core.scoping import paths_for
from warmhome.core.views_base import scope_exempt
from warmhome.orgs.selectors_coverage import (
    CoverageReport,
    CoverageRow,
    coverage_rollup,
    row_payload,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCOPE_REASON = "aggregates only, computed by coverage_rollup from visible_to querysets"


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year else this_year


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def _selected(report: CoverageReport, request: HttpRequest) -> CoverageRow | None:
    try:
        unit_id = int(request.GET.get("unit", ""))
    except ValueError:
        return None
    return report.row_of(unit_id)


def _chart_payload(report: CoverageReport, rows: list[CoverageRow], year: int) -> dict[str, Any]:
    base = reverse("orgs:coverage")
    return {
        "labels": {
            "org_coverage": _("组织覆盖率"),
            "work_coverage": _("工作覆盖率"),
            "grid_leader_coverage": _("网格负责人配备率"),
        },
        "items": [
            {
                "name": row.name,
                "org_coverage": _round(row.figures.org_coverage),
                "work_coverage": _round(row.figures.work_coverage),
                "grid_leader_coverage": _round(row.figures.grid_leader_coverage),
                "url": f"{base}?unit={row.unit_id}&year={year}"
                if report.children_of(row.unit_id)
                else "",
            }
            for row in rows
        ],
    }


def _round(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


@scope_exempt(SCOPE_REASON)
@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """The roll-up table of the selected unit and its children, with their chart."""
    user: Any = request.user
    if not user.has_action("orgs.view"):
        raise PermissionDenied(_("您没有查看组织覆盖情况的权限。"))
    year = _year(request)
    report = coverage_rollup(user, year)
    selected = _selected(report, request)
    if selected is not None:
        rows = [selected, *report.children_of(selected.unit_id)]
        chart_rows = report.children_of(selected.unit_id)
    else:
        rows = []
        for top in report.top_rows:
            rows += [top, *report.children_of(top.unit_id)]
        tops = report.top_rows
        chart_rows = report.children_of(tops[0].unit_id) if len(tops) == 1 else tops
    trail: list[CoverageRow] = []
    if selected is not None:
        parent = report.row_of(selected.parent_id) if selected.parent_id else None
        while parent is not None:
            trail.insert(0, parent)
            parent = report.row_of(parent.parent_id) if parent.parent_id else None
    context = {
        "report": report,
        "year": year,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
        "rows": rows,
        "selected": selected,
        "trail": trail,
        "chart": _chart_payload(report, chart_rows, year),
        "may_export": user.has_action("orgs.export"),
    }
    return render(request, "orgs/coverage.html", context)


@scope_exempt(SCOPE_REASON)
@login_required
def coverage_data(request: HttpRequest) -> JsonResponse:
    """The whole roll-up as JSON (the chart's drill-down and integrations)."""
    user: Any = request.user
    if not user.has_action("orgs.view"):
        raise PermissionDenied(_("您没有查看组织覆盖情况的权限。"))
    report = coverage_rollup(user, _year(request))
    return JsonResponse(
        {
            "year": report.year,
            "threshold": report.threshold,
            "indicators": [{"key": key, "label": label} for key, label in report.indicators],
            "evidence": report.evidence,
            "rows": [row_payload(row, report) for row in report.rows],
        }
    )


def export_columns(report: CoverageReport) -> list[tuple[str, int, Any]]:
    columns: list[tuple[str, int, Any]] = [
        (_("组织"), 28, lambda row: "　" * max(row.depth - 1, 0) + row.name),
        (_("类型"), 8, lambda row: row.kind_label),
        (_("两新组织数"), 12, lambda row: row.figures.new_orgs),
        (_("应建妇女组织数"), 14, lambda row: row.figures.eligible),
        (_("已建妇女组织数"), 14, lambda row: row.figures.covered),
        (_("其中联建"), 10, lambda row: row.figures.covered_joint),
        (_("组织覆盖率"), 12, lambda row: _percent(row.figures.org_coverage)),
        (_("本年工作覆盖数"), 14, lambda row: row.figures.reached),
        (_("工作覆盖率"), 12, lambda row: _percent(row.figures.work_coverage)),
        (_("网格数"), 10, lambda row: row.figures.grids),
        (_("有负责人的网格数"), 16, lambda row: row.figures.grids_led),
        (_("本年有工作的网格数"), 18, lambda row: row.figures.grids_reached),
    ]
    for key, label in report.indicators:
        columns.append(
            (
                _("%(indicator)s比例") % {"indicator": label},
                12,
                lambda row, key=key: _percent(row.figures.completeness(key)),
            )
        )
    return columns


@scope_exempt(SCOPE_REASON)
@login_required
def coverage_export(request: HttpRequest) -> HttpResponse:
    """The whole roll-up the user may export, as an Excel workbook (audited)."""
    user: Any = request.user
    if not user.has_action("orgs.export"):
        raise PermissionDenied(_("您没有导出组织覆盖情况的权限。"))
    year = _year(request)
    report = coverage_rollup(user, year)
    # Export is its own action: keep only the units where the user holds it.
    export_paths = paths_for(user, "orgs.export")
    rows = [row for row in report.rows if row.path.startswith(tuple(export_paths))]
    columns = export_columns(report)
    content = write_xlsx(
        [header for header, _width, _value in columns],
        [[value(row) for _header, _width, value in columns] for row in rows],
        title=_("%(year)d年组织覆盖情况") % {"year": year},
        widths=[width for _header, width, _value in columns],
    )
    export_log(actor=user, what="orgs.coverage", row_count=len(rows), detail={"year": year})
    filename = _("%(year)d年组织覆盖情况.xlsx") % {"year": year}
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
