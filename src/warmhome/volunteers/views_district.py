"""The district's views: figures, recruiting volunteers for an activity, the national export."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from warmhome.core.imports.workbook import XLSX_CONTENT_TYPE
from warmhome.core.scoping import get_for_user
from warmhome.core.views_base import scope_exempt
from warmhome.orgs.models import OrgUnit
from warmhome.people.rendering import render_person
from warmhome.volunteers import exports, selectors, services
from warmhome.volunteers.forms import InviteForm, RecruitForm
from warmhome.volunteers.models import Volunteer

STATS_REASON = "figures aggregated from visible_to querysets of the user's own scope"


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    today = timezone.localdate()
    return int(text) if text.isdigit() and 2000 <= int(text) <= today.year + 1 else today.year


@scope_exempt(STATS_REASON)
@login_required
def stats(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("volunteers.view"):
        raise PermissionDenied(_("您没有查看志愿服务统计的权限。"))
    unit = selectors.home_unit(user)
    unit_pk = request.GET.get("unit", "")
    if unit_pk.isdigit():
        unit = get_for_user(OrgUnit.objects.all(), user, int(unit_pk), "volunteers.view")
    if unit is None:
        raise PermissionDenied(_("您没有查看志愿服务统计的权限。"))
    year = _year(request)
    monthly = selectors.hours_by_month_and_street(user, unit, year)
    categories = selectors.hours_by_category(user, unit, year)
    participation = selectors.participation_by_street(user, unit, year)
    chart = {
        "months": [_("%(month)d月") % {"month": month} for month in range(1, 13)],
        "series": [
            {"name": child.name, "data": [float(value) for value in values]}
            for child, values in monthly.rows
        ],
        "categories": [{"name": name, "value": float(value)} for name, value in categories],
        "labels": {"monthly": _("各月服务时长（小时）"), "categories": _("按服务类别")},
    }
    return render(
        request,
        "volunteers/stats.html",
        {
            "unit": unit,
            "year": year,
            "monthly": monthly,
            "categories": categories,
            "overall": selectors.active_volunteers(user, unit, year),
            "participation": participation,
            "teams": selectors.teams_ranked(user, unit, year),
            "chart": chart,
        },
    )


@scope_exempt("matches volunteers through visible_to; invites only those the user may change")
@login_required
@require_http_methods(["GET", "POST"])
def recruit(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("volunteers.change"):
        raise PermissionDenied(_("您没有招募志愿者的权限。"))
    form = RecruitForm(request.GET or None, user=user)
    rows: list[Any] = []
    if form.is_valid():
        data = form.cleaned_data
        matches = selectors.volunteers_matching(
            user,
            skill=data["skill"],
            area=data["area"],
            category=data["category"],
            availability=data["availability"],
        )[:200]
        rows = [(v, render_person(v.person, viewer=user, context="list")) for v in matches]
    invite = InviteForm(request.POST or None)
    if request.method == "POST" and invite.is_valid():
        chosen = list(
            Volunteer.objects.visible_to(user, "volunteers.change")
            .filter(pk__in=[pk for pk in request.POST.getlist("volunteer") if pk.isdigit()])
            .select_related("user", "org")
        )
        try:
            result = services.volunteers_invite(
                actor=user,
                volunteers=chosen,
                subject=invite.cleaned_data["subject"],
                body=invite.cleaned_data["body"],
            )
        except ValidationError as problem:
            for message in problem.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("已向 %(invited)d 位志愿者发出邀请；%(without)d 位没有登录账号，请电话联系。")
                % {"invited": result.invited, "without": result.without_account},
            )
            return redirect(request.get_full_path())
    return render(
        request, "volunteers/recruit.html", {"form": form, "rows": rows, "invite": invite}
    )


@scope_exempt("exports only visible_to(user, 'volunteers.export') rows, audited")
@login_required
@require_POST
def export(request: HttpRequest, what: str) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("volunteers.export"):
        raise PermissionDenied(_("您没有导出志愿者数据的权限。"))
    if what == "volunteers":
        content, name = exports.volunteers_xlsx(actor=user), "volunteers"
    elif what == "records":
        content, name = exports.records_xlsx(actor=user, year=_year(request)), "service-hours"
    else:
        raise PermissionDenied
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
