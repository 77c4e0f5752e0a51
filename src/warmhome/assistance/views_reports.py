"""Reports of the relief fund: use by month, category and street (page, Excel, Word) and the
public-disclosure list (公示) with masked names. Every download is written to the audit trail."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warmhome.assistance import selectors
from warmhome.assistance.money import yuan
from warmhome.core.audit.services import export_log
from warmhome.core.documents.docx import DOCX_CONTENT_TYPE, WordDocument
from warmhome.core.imports.workbook import write_xlsx
from warmhome.core.views_base import scope_exempt
from warmhome.people.rendering import render_person

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _require_export(user: Any) -> None:
    if not user.has_action("assistance.export"):
        raise PermissionDenied(_("您没有导出帮扶救助报表的权限。"))


def _download(payload: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(payload, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _tables(report: selectors.FundUse) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [
        (
            _("按月份"),
            _("月份"),
            [
                (_("%(month)s月") % {"month": month}, yuan(amount))
                for month, amount in report.by_month.items()
            ],
        ),
        (
            _("按人员类别"),
            _("人员类别"),
            [(name, yuan(amount)) for name, amount in report.by_category.items()],
        ),
        (
            _("按街道"),
            _("街道"),
            [(name, yuan(amount)) for name, amount in report.by_street.items()],
        ),
    ]


@scope_exempt("aggregates through fund_use, which reads only ledger entries visible_to the user")
@login_required
def fund_use(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_export(user)
    year = _year(request)
    report = selectors.fund_use(user, year)
    return render(
        request,
        "assistance/fund_use.html",
        {"year": year, "report": report, "tables": _tables(report), "total": yuan(report.total)},
    )


@scope_exempt("aggregates through fund_use, which reads only ledger entries visible_to the user")
@login_required
def fund_use_xlsx(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_export(user)
    year = _year(request)
    report = selectors.fund_use(user, year)
    rows = []
    for entry in report.rows:
        application = entry.application
        shown = (
            render_person(application.person, viewer=user, context="export")
            if application
            else None
        )
        rows.append(
            [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d"),
                entry.get_kind_display(),
                str(application) if application else "",
                shown.name if shown else "",
                application.category.name if application and application.category else "",
                entry.org.name,
                entry.paid_delta,
            ]
        )
    payload = write_xlsx(
        [_("日期"), _("类型"), _("申请"), _("救助对象"), _("人员类别"), _("社区"), _("金额（元）")],
        rows,
        title=_("%(year)s年救助金使用明细") % {"year": year},
        widths=[12, 12, 16, 12, 14, 16, 14],
    )
    export_log(
        actor=user, what="assistance.fund_use_xlsx", row_count=len(rows), detail={"year": year}
    )
    return _download(
        payload, XLSX_CONTENT_TYPE, _("%(year)s年救助金使用情况.xlsx") % {"year": year}
    )


@scope_exempt("aggregates through fund_use, which reads only ledger entries visible_to the user")
@login_required
def fund_use_docx(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_export(user)
    year = _year(request)
    report = selectors.fund_use(user, year)
    title = _("%(year)s年维权解困救助金使用情况") % {"year": year}
    document = WordDocument(title=title)
    document.heading(title)
    document.paragraph(
        _("发放合计：%(total)s 元（已扣除退回）。统计时间：%(now)s")
        % {"total": yuan(report.total), "now": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    )
    for caption, header, rows in _tables(report):
        document.paragraph(caption, bold=True)
        document.table([header, _("金额（元）")], rows)
    payload = document.to_bytes()
    export_log(
        actor=user,
        what="assistance.fund_use_docx",
        row_count=len(report.rows),
        detail={"year": year},
    )
    return _download(payload, DOCX_CONTENT_TYPE, f"{title}.docx")


def _notice_rows(user: Any, year: int) -> list[list[str]]:
    rows = []
    for application in selectors.public_notice_applications(user, year):
        shown = render_person(application.person, viewer=user, context="public")
        rows.append(
            [
                shown.name,
                application.org.name,
                str(application.get_hardship_display()),
                yuan(application.amount_approved or 0),
                timezone.localtime(application.state_changed_at).strftime("%Y-%m-%d"),
            ]
        )
    return rows


NOTICE_HEADERS = (
    gettext_lazy("姓名"),
    gettext_lazy("社区"),
    gettext_lazy("救助事由"),
    gettext_lazy("救助金额（元）"),
    gettext_lazy("发放日期"),
)


@scope_exempt("lists through public_notice_applications, which reads only what visible_to allows")
@login_required
def public_notice(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_export(user)
    year = _year(request)
    return render(
        request,
        "assistance/public_notice.html",
        {
            "year": year,
            "headers": [str(header) for header in NOTICE_HEADERS],
            "rows": _notice_rows(user, year),
        },
    )


@scope_exempt("lists through public_notice_applications, which reads only what visible_to allows")
@login_required
def public_notice_xlsx(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_export(user)
    year = _year(request)
    rows = _notice_rows(user, year)
    payload = write_xlsx(
        [str(header) for header in NOTICE_HEADERS],
        rows,
        title=_("救助金发放公示"),
        widths=[10, 16, 16, 14, 12],
    )
    export_log(
        actor=user, what="assistance.public_notice_xlsx", row_count=len(rows), detail={"year": year}
    )
    return _download(
        payload, XLSX_CONTENT_TYPE, _("%(year)s年救助金发放公示.xlsx") % {"year": year}
    )
