"""The attendee list (Excel) and the printable sign-in sheet (Word) of an activity.

Both draw persons through ``render_person`` (``selectors.signup_display_name``): a shielded
person is printed "（受保护人员）", never by name. Both are registered in the person-lists
registry (``people.lists``) so the shielding test walks them.
"""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.activities.models import Activity, SignUp, SignUpStatus
from warmhome.activities.selectors import signup_display_name
from warmhome.core.audit.services import export_log
from warmhome.core.documents.docx import WordDocument
from warmhome.core.imports.export import export_queryset
from warmhome.core.masking import mask_mobile


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _attendance_of(signup: SignUp) -> Any:
    return getattr(signup, "attendance", None)


def _phone(signup: SignUp, viewer: Any) -> str:
    if signup.person is not None:
        from warmhome.people.rendering import render_person

        return render_person(signup.person, viewer=viewer, context="export").masked_phone
    return mask_mobile(signup.guest_phone)


def export_columns(viewer: Any) -> list[tuple[str, int, Any]]:
    def attendance_value(name: str) -> Any:
        return lambda signup: _local(getattr(_attendance_of(signup), name, None))

    return [
        (_("姓名"), 16, lambda signup: signup_display_name(signup, viewer, "export")),
        (_("联系电话"), 16, lambda signup: _phone(signup, viewer)),
        (_("报名状态"), 10, lambda signup: signup.get_status_display()),
        (_("报名方式"), 12, lambda signup: signup.get_channel_display()),
        (_("报名时间"), 18, lambda signup: _local(signup.created_at)),
        (_("签到时间"), 18, attendance_value("checked_in_at")),
        (_("签退时间"), 18, attendance_value("checked_out_at")),
        (_("人员库"), 10, lambda signup: _("已匹配") if signup.person_id else _("未匹配")),
    ]


def export_signups(viewer: Any, activity: Activity) -> Any:
    """The sign-ups of ``activity`` that ``viewer`` may export (scoped queryset)."""
    return (
        SignUp.objects.visible_to(viewer, "activities.export")
        .filter(activity=activity)
        .select_related("person", "person__org", "attendance", "org")
        .order_by("status", "created_at", "pk")
    )


def attendee_workbook(*, actor: Any, activity: Activity) -> bytes:
    """The attendee list as .xlsx, audited as an export."""
    return export_queryset(
        actor=actor,
        queryset=export_signups(actor, activity),
        columns=export_columns(actor),
        title=activity.title,
        detail={"activity": activity.pk},
    )


def sign_in_rows(viewer: Any, activity: Activity) -> list[list[str]]:
    signups = export_signups(viewer, activity).filter(status=SignUpStatus.CONFIRMED)
    return [
        [str(number), signup_display_name(signup, viewer, "sign_in"), "", ""]
        for number, signup in enumerate(signups, start=1)
    ]


def sign_in_sheet(*, actor: Any, activity: Activity) -> bytes:
    """The printable sign-in sheet (签到表) as .docx, audited as an export."""
    rows = sign_in_rows(actor, activity)
    document = WordDocument(title=_("活动签到表"))
    document.heading(_("%(title)s 签到表") % {"title": activity.title})
    document.paragraph(
        _("时间：%(start)s 至 %(end)s　地点：%(venue)s")
        % {
            "start": _local(activity.starts_at),
            "end": _local(activity.ends_at),
            "venue": activity.venue,
        }
    )
    document.paragraph(_("主办：%(org)s") % {"org": activity.org.name})
    blank = [["", "", "", ""] for _row in range(5)]
    document.table([_("序号"), _("姓名"), _("签到"), _("签退")], [*rows, *blank])
    export_log(
        actor=actor,
        what="activities.sign_in_sheet",
        row_count=len(rows),
        detail={"activity": activity.pk},
    )
    return document.to_bytes()


# --- person-lists registry ---------------------------------------------------------------------


def _visible_activities(user: Any) -> Iterable[Activity]:
    return Activity.objects.visible_to(user, "activities.export").order_by("-starts_at")[:50]


def attendee_list_rows(user: Any) -> list[str]:
    rows: list[str] = []
    for activity in _visible_activities(user):
        rows += [
            signup_display_name(signup, user, "export") for signup in export_signups(user, activity)
        ]
    return rows


def sign_in_sheet_rows(user: Any) -> list[str]:
    rows: list[str] = []
    for activity in _visible_activities(user):
        rows += [row[1] for row in sign_in_rows(user, activity)]
    return rows


def roster_rows(user: Any) -> list[str]:
    signups = (
        SignUp.objects.visible_to(user, "activities.view")
        .select_related("person", "person__org", "org")
        .order_by("-pk")[:500]
    )
    return [signup_display_name(signup, user, "list") for signup in signups]
