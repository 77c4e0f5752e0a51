"""The public phone pages: open activities, sign-up, and check-in through the QR link.

No account: a resident gives her name and mobile. The answers are the same whether or not she
is in the person registry (``services.signup_self``), every form is rate-limited per address
(``ratelimit``), and check-in needs a fresh token from the organiser's screen (``tokens``).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from warmhome.activities import selectors, services, tokens
from warmhome.activities.forms import PublicIdentityForm
from warmhome.activities.models import Activity, SignUpStatus
from warmhome.activities.views import apply_errors
from warmhome.activities.workflow import OPEN_STATES
from warmhome.core import ratelimit
from warmhome.core.views_base import scope_exempt
from warmhome.rules.selectors import policy_value

TOO_MANY = "请求过于频繁，请稍后再试。"


def _public_activity(code: str, *related: str) -> Activity:
    activity = selectors.published_activity(code, *related)
    if activity is None:
        raise Http404
    return activity


def _per_minute() -> int:
    return int(policy_value("activities.public_requests_per_minute"))


def _places_left(activity: Activity) -> int | None:
    if not activity.capacity:
        return None
    return max(0, activity.capacity - services.confirmed_count(activity))


@scope_exempt("public page: lists what organisers published (title, time, venue), no persons")
@never_cache
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = (
        Activity.objects.open_for_signup()
        .filter(ends_at__gte=timezone.now())
        .select_related("org", "kind")
        .order_by("starts_at", "pk")[:50]
    )
    return render(request, "activities/public_list.html", {"activities": activities})


@scope_exempt("public page: one published activity and the resident's own sign-up")
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest, code: str) -> HttpResponse:
    activity = _public_activity(code, "org", "kind")
    form = PublicIdentityForm(request.POST or None)
    context: dict[str, Any] = {"activity": activity, "form": form}
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(request, "activities.signup", _per_minute()):
            form.add_error(None, _(TOO_MANY))
        else:
            try:
                made = services.signup_self(
                    activity=activity,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                context.update(
                    done=True,
                    waiting=made.status == SignUpStatus.WAITING,
                    position=services.waiting_position(made),
                )
    context["places_left"] = _places_left(activity)
    context["open"] = activity.state in OPEN_STATES
    return render(request, "activities/public_signup.html", context)


@scope_exempt("public page: check-in with the organiser's fresh QR token, by name and mobile")
@never_cache
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, code: str) -> HttpResponse:
    activity = _public_activity(code, "org")
    context: dict[str, Any] = {"activity": activity}
    if request.method == "GET":
        try:
            tokens.qr_token_check(
                request.GET.get("t", ""),
                activity.public_code,
                int(policy_value("activities.checkin_qr_seconds")),
            )
        except tokens.TokenExpiredError:
            context["refused"] = _("二维码已过期，请重新扫描现场屏幕上的二维码。")
        except tokens.TokenInvalidError:
            context["refused"] = _("二维码无效，请扫描现场屏幕上的签到二维码。")
        else:
            context["form"] = PublicIdentityForm()
            context["form_token"] = tokens.form_token(activity.public_code)
        return render(request, "activities/public_checkin.html", context)

    form = PublicIdentityForm(request.POST)
    context.update(form=form, form_token=request.POST.get("f", ""))
    try:
        tokens.form_token_check(request.POST.get("f", ""), activity.public_code)
    except (tokens.TokenExpiredError, tokens.TokenInvalidError):
        context.update(form=None, refused=_("签到页面已过期，请重新扫描现场屏幕上的二维码。"))
        return render(request, "activities/public_checkin.html", context)
    if form.is_valid():
        if not ratelimit.allow(request, "activities.checkin", _per_minute()):
            form.add_error(None, _(TOO_MANY))
        else:
            try:
                attendance = services.checkin_self(
                    activity=activity,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                context.update(done=True, checked_in_at=attendance.checked_in_at, form=None)
    return render(request, "activities/public_checkin.html", context)
