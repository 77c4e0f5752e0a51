"""Workbench pages of the venue: the rotating QR screen, ticking, check-out, exports."""

import io
from typing import Any, cast

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from warmhome.activities import exports, services
from warmhome.activities.forms import TickForm
from warmhome.activities.models import Activity, Attendance, SignUp
from warmhome.activities.tokens import qr_token
from warmhome.activities.views import flash_errors
from warmhome.core.documents.docx import DOCX_CONTENT_TYPE
from warmhome.core.scoping import get_for_user
from warmhome.core.views_base import ScopedDetailView
from warmhome.people.models import Person
from warmhome.rules.selectors import policy_value

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def checkin_url(request: HttpRequest, activity: Activity) -> str:
    """The public check-in link with a fresh token, as the QR code carries it."""
    path = reverse("activities_public:checkin", args=[activity.public_code])
    return request.build_absolute_uri(f"{path}?t={qr_token(activity.public_code)}")


class CheckInScreenView(ScopedDetailView):
    """The organiser's screen at the venue: a QR code that the page replaces every few seconds."""

    model = Activity
    action = "activities.attendance"
    template_name = "activities/checkin_screen.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = cast(Activity, self.get_object())
        seconds = int(policy_value("activities.checkin_qr_seconds"))
        context = {
            "activity": activity,
            "qr_url": reverse("activities:checkin_qr", args=[activity.pk]),
            # Refreshed at a third of the validity, so a code on screen is never near expiry.
            "refresh_ms": max(5, seconds // 3) * 1000,
            "seconds": seconds,
        }
        return render(request, self.template_name, context)


class CheckInQrView(ScopedDetailView):
    """The current QR code (SVG) of the public check-in link."""

    model = Activity
    action = "activities.attendance"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = cast(Activity, self.get_object())
        buffer = io.BytesIO()
        segno.make(checkin_url(request, activity), error="m").save(
            buffer, kind="svg", scale=8, border=2
        )
        response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
        add_never_cache_headers(response)
        return response


class SignUpTickView(ScopedDetailView):
    """POST: the organiser ticks a signed-up person present (optionally with both times)."""

    model = SignUp
    action = "activities.attendance"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        signup = cast(SignUp, self.get_object())
        form = TickForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("时间格式不正确，请按“年-月-日 时:分”填写。"))
            return redirect("activities:activity_detail", pk=signup.activity_id)
        try:
            services.attendance_tick(
                actor=request.user,
                signup=signup,
                checked_in_at=form.cleaned_data["checked_in_at"],
                checked_out_at=form.cleaned_data["checked_out_at"],
            )
        except ValidationError as problem:
            flash_errors(request, problem)
        else:
            messages.success(request, _("已签到。"))
        return redirect("activities:activity_detail", pk=signup.activity_id)


class ActivityTickPersonView(ScopedDetailView):
    """POST ``person``: tick a person present who had not signed up."""

    model = Activity
    action = "activities.attendance"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = cast(Activity, self.get_object())
        person_pk = request.POST.get("person", "")
        if not person_pk.isdigit():
            messages.error(request, _("请先检索并选择人员。"))
            return redirect("activities:activity_detail", pk=activity.pk)
        person = get_for_user(Person.objects.current(), request.user, person_pk, "people.view")
        try:
            services.attendance_tick_person(actor=request.user, activity=activity, person=person)
        except ValidationError as problem:
            flash_errors(request, problem)
        else:
            messages.success(request, _("已签到。"))
        return redirect("activities:activity_detail", pk=activity.pk)


class AttendanceCheckOutView(ScopedDetailView):
    model = Attendance
    action = "activities.attendance"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        attendance = cast(Attendance, self.get_object())
        try:
            services.attendance_check_out(actor=request.user, attendance=attendance)
        except ValidationError as problem:
            flash_errors(request, problem)
        else:
            messages.success(request, _("已签退。"))
        return redirect("activities:activity_detail", pk=attendance.activity_id)


class ActivityCheckOutAllView(ScopedDetailView):
    model = Activity
    action = "activities.attendance"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = cast(Activity, self.get_object())
        try:
            count = services.attendance_check_out_all(actor=request.user, activity=activity)
        except ValidationError as problem:
            flash_errors(request, problem)
        else:
            messages.success(request, _("已为 %(count)s 人签退。") % {"count": count})
        return redirect("activities:activity_detail", pk=activity.pk)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class AttendeeExportView(ScopedDetailView):
    """The attendee list as Excel (audited; shielded persons masked)."""

    model = Activity
    action = "activities.export"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = cast(Activity, self.get_object())
        content = exports.attendee_workbook(actor=request.user, activity=activity)
        filename = _("%(title)s报名签到名单.xlsx") % {"title": activity.title}
        return _download(content, XLSX_CONTENT_TYPE, filename)


class SignInSheetView(ScopedDetailView):
    """The printable sign-in sheet as Word (audited; shielded persons masked)."""

    model = Activity
    action = "activities.export"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = cast(Activity, self.get_object())
        content = exports.sign_in_sheet(actor=request.user, activity=activity)
        stamp = timezone.localdate().strftime("%Y%m%d")
        filename = _("%(title)s签到表%(date)s.docx") % {"title": activity.title, "date": stamp}
        return _download(content, DOCX_CONTENT_TYPE, filename)
