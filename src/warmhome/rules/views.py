"""Pages of the policy table and the working-day calendar.

Policies and calendar days belong to the whole installation, not to an organisation: the pages
are exempt from org scoping, and answer 404 to anyone whose posts lack the action.
"""

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.audit.services import security_event_log
from warmhome.core.views_base import scope_exempt
from warmhome.rules import selectors, services
from warmhome.rules.forms import CalendarDayForm, CalendarDaysAddForm, PolicyValueForm
from warmhome.rules.models import CalendarDay
from warmhome.rules.policies import MANAGE_SECURITY, UnknownPolicyError, get_spec
from warmhome.rules.workdays import year_has_data

VIEW = "rules.view"
MANAGE = "rules.manage"
_EXEMPT = "policies and the holiday calendar are installation-wide, not org-owned; action-checked"
MIN_YEAR, MAX_YEAR = 2000, 2100

View = Callable[..., HttpResponse]


def _user(request: HttpRequest) -> Any:
    """The signed-in user (``login_required`` has refused anonymous requests already)."""
    return request.user


def _deny(request: HttpRequest, action: str) -> Http404:
    security_event_log(
        event="access_denied", actor=_user(request), detail={"path": request.path, "action": action}
    )
    return Http404()


def requires(action: str) -> Callable[[View], View]:
    """Answer 404 (and log it) unless the user's posts grant ``action``."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _user(request).has_action(action):
                raise _deny(request, action)
            return view(request, *args, **kwargs)

        return checked

    return decorate


def _apply_errors(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied) or not hasattr(error, "error_dict"):
        form.add_error(None, str(error) if isinstance(error, PermissionDenied) else error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- policies -------------------------------------------------------------------------------


@scope_exempt(_EXEMPT)
@login_required
@requires(VIEW)
def policy_list(request: HttpRequest) -> HttpResponse:
    groups: dict[str, list[selectors.PolicyOverview]] = {}
    for item in selectors.policy_overview():
        groups.setdefault(str(item.spec.group), []).append(item)
    return render(
        request,
        "rules/policy_list.html",
        {"groups": groups, "can_manage": _user(request).has_action(MANAGE)},
    )


@scope_exempt(_EXEMPT)
@login_required
@requires(VIEW)
def policy_detail(request: HttpRequest, key: str) -> HttpResponse:
    try:
        spec = get_spec(key)
    except UnknownPolicyError:
        raise Http404 from None
    can_manage = _user(request).has_action(spec.manage_action)
    history = selectors.policy_history(key)
    if request.method == "POST":
        if not can_manage:
            raise _deny(request, spec.manage_action)
        form = PolicyValueForm(request.POST, spec=spec)
        if form.is_valid():
            try:
                services.policy_set(actor=_user(request), key=key, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as refused:
                _apply_errors(form, refused)
            else:
                messages.success(request, _("已保存“%(label)s”的新取值。") % {"label": spec.label})
                return redirect("rules:policy_detail", key=key)
    else:
        latest = history[0] if history else None
        form = PolicyValueForm(
            spec=spec,
            initial={
                "value": spec.as_text(latest.value if latest else spec.default),
                "basis": latest.basis if latest else str(spec.basis),
            },
        )
    today = timezone.localdate()
    current = next((row for row in history if row.valid_from <= today), None)
    return render(
        request,
        "rules/policy_detail.html",
        {
            "spec": spec,
            "history": [(row, spec.display(row.value)) for row in history],
            "current": current,
            "today": today,
            "form": form if can_manage else None,
            "managed_by_security_admin": spec.manage_action == MANAGE_SECURITY,
        },
    )


# --- the working-day calendar ---------------------------------------------------------------


def _year_of(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return timezone.localdate().year
    if not raw.isdigit() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        raise Http404
    return int(raw)


def _calendar_url(year: int) -> str:
    return f"{reverse('rules:calendarday_list')}?year={year}"


@scope_exempt(_EXEMPT)
@login_required
@requires(VIEW)
def calendarday_list(request: HttpRequest) -> HttpResponse:
    year = _year_of(request)
    days = selectors.calendar_year(year)
    can_manage = _user(request).has_action(MANAGE)
    return render(
        request,
        "rules/calendarday_list.html",
        {
            "year": year,
            "previous_year": year - 1 if year > MIN_YEAR else None,
            "next_year": year + 1 if year < MAX_YEAR else None,
            "days": days,
            "holiday_count": sum(day.kind == CalendarDay.Kind.HOLIDAY for day in days),
            "makeup_count": sum(day.kind == CalendarDay.Kind.MAKEUP_WORKDAY for day in days),
            "has_data": bool(days),
            "can_manage": can_manage,
            "add_form": CalendarDaysAddForm(year=year) if can_manage else None,
        },
    )


@scope_exempt(_EXEMPT)
@login_required
@requires(MANAGE)
def calendarday_create(request: HttpRequest) -> HttpResponse:
    year = _year_of(request)
    if request.method == "POST":
        form = CalendarDaysAddForm(request.POST)
        if form.is_valid():
            try:
                days = services.calendardays_add(actor=_user(request), **form.cleaned_data)
            except (ValidationError, PermissionDenied) as refused:
                _apply_errors(form, refused)
            else:
                messages.success(request, _("已登记 %(count)s 天。") % {"count": len(days)})
                return redirect(_calendar_url(days[0].date.year))
    else:
        form = CalendarDaysAddForm(year=year)
    return render(request, "rules/calendarday_create.html", {"form": form, "year": year})


@scope_exempt(_EXEMPT)
@login_required
@requires(MANAGE)
def calendarday_update(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_object_or_404(CalendarDay, pk=pk)
    if request.method == "POST":
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            try:
                services.calendarday_update(actor=_user(request), day=day, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as refused:
                _apply_errors(form, refused)
            else:
                messages.success(request, _("已保存。"))
                return redirect(_calendar_url(day.date.year))
    else:
        form = CalendarDayForm(initial={"date": day.date, "kind": day.kind, "name": day.name})
    return render(request, "rules/calendarday_update.html", {"form": form, "day": day})


@scope_exempt(_EXEMPT)
@login_required
@requires(MANAGE)
def calendarday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_object_or_404(CalendarDay, pk=pk)
    if request.method == "POST":
        year = day.date.year
        services.calendarday_delete(actor=_user(request), day=day)
        messages.success(request, _("已删除 %(date)s 的登记。") % {"date": f"{day.date:%Y-%m-%d}"})
        if not year_has_data(year):
            messages.warning(
                request, _("%(year)s 年已没有任何登记，将只按周末计算工作日。") % {"year": year}
            )
        return redirect(_calendar_url(year))
    return render(request, "rules/calendarday_confirm_delete.html", {"day": day})
