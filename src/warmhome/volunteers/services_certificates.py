"""Writes of volunteer service certificates (志愿服务记录证明) and their corrections."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.certificates.services import certificate_issue, certificate_revoke
from warmhome.core.masking import mask_citizen_id
from warmhome.core.workflows.services import transition_apply, workflow_initial
from warmhome.notifications.services import notify
from warmhome.orgs.models import OrgUnit
from warmhome.people.rendering import render_person
from warmhome.volunteers.models import (
    CertificateCorrection,
    ServiceRecord,
    Volunteer,
    VolunteerCertificate,
)
from warmhome.volunteers.services import volunteer_lock
from warmhome.volunteers.workflows import COUNTED_STATES

CERTIFICATE_KIND = "志愿服务记录证明"


def _require(actor: Any, action: str, org: Any) -> None:
    # ``actor=None`` is the system itself (check-out listener, demo loader).
    if actor is not None and not actor.has_action(action, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))


# --- certificates ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CertificateSigners:
    responsible_person: str
    handler: str
    contact: str


def _counted_records(
    volunteer: Volunteer,
    org: OrgUnit,
    period_start: datetime.date | None,
    period_end: datetime.date,
) -> Any:
    records = ServiceRecord.objects.filter(
        volunteer=volunteer,
        state__in=COUNTED_STATES,
        org__path__startswith=org.path,
        service_date__lte=period_end,
    )
    if period_start is not None:
        records = records.filter(service_date__gte=period_start)
    return records


def _content_summary(records: Any) -> str:
    titles: list[str] = []
    for title in records.order_by("service_date", "pk").values_list("activity_title", flat=True):
        if title not in titles:
            titles.append(title)
    summary = "、".join(titles[:8])
    if len(titles) > 8:
        summary += _("等 %(count)d 项活动") % {"count": len(titles)}
    return summary


@transaction.atomic
def volunteer_certificate_issue(
    *,
    actor: Any,
    volunteer: Volunteer,
    org: OrgUnit,
    signers: CertificateSigners,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> VolunteerCertificate:
    """Issue a 志愿服务记录证明 in ``org``'s name for the hours ``org``'s subtree recorded."""
    _require(actor, "volunteers.certify", org)
    end = period_end or timezone.localdate()
    if period_start is not None and period_start > end:
        raise ValidationError(_("起始日期不能晚于截止日期。"))
    for name, value in (
        ("responsible_person", signers.responsible_person),
        ("handler", signers.handler),
        ("contact", signers.contact),
    ):
        if not value.strip():
            raise ValidationError({name: [_("请填写负责人、经办人和联系方式。")]})
    volunteer_lock(volunteer)  # a double click issues one certificate
    records = _counted_records(volunteer, org, period_start, end)
    total = sum((row for row in records.values_list("hours", flat=True)), Decimal(0))
    if total <= 0:
        raise ValidationError(_("该志愿者在此期间没有由本单位认定的服务时长，不能出具证明。"))
    same = (
        VolunteerCertificate.objects.filter(
            volunteer=volunteer,
            org=org,
            period_end=end,
            hours=total,
            certificate__revoked_at__isnull=True,
        )
        .select_related("certificate")
        .first()
    )
    if same is not None and (period_start is None or same.period_start == period_start):
        raise ValidationError(
            _("已出具过内容相同的证明（编号 %(number)s），请勿重复出具。")
            % {"number": same.certificate.number}
        )
    first = records.order_by("service_date").values_list("service_date", flat=True).first()
    start = period_start or first
    person = volunteer.person
    period = f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}" if start else f"至{end:%Y年%m月%d日}"
    facts = [
        (_("证件类型"), _("居民身份证")),
        (_("证件号码"), mask_citizen_id(person.citizen_id)),
        (_("志愿者编号"), volunteer.number or ""),
        (_("服务时间"), period),
        (_("服务时长"), _("%(hours)s 小时") % {"hours": _hours_text(total)}),
        (_("服务内容"), _content_summary(records)),
        (_("负责人"), signers.responsible_person.strip()),
        (_("经办人"), signers.handler.strip()),
        (_("联系方式"), signers.contact.strip()),
    ]
    certificate = certificate_issue(
        actor=actor,
        org=org,
        kind=CERTIFICATE_KIND,
        holder_display=render_person(person, viewer=None, context="public").name,
        issuer=org.name,
        facts=[(str(label), str(value)) for label, value in facts],
    )
    return VolunteerCertificate.objects.create(
        org=org,
        volunteer=volunteer,
        certificate=certificate,
        period_start=start,
        period_end=end,
        hours=total,
        responsible_person=signers.responsible_person.strip()[:50],
        handler=signers.handler.strip()[:50],
        contact=signers.contact.strip()[:50],
    )


def _hours_text(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


@transaction.atomic
def certificate_correction_request(
    *, actor: Any, volunteer_certificate: VolunteerCertificate, message: str
) -> CertificateCorrection:
    """The volunteer (her own account) or staff ask the issuer to correct a certificate."""
    own = (
        actor is not None
        and volunteer_certificate.volunteer.user_id is not None
        and volunteer_certificate.volunteer.user_id == actor.pk
    )
    if not own:
        _require(actor, "volunteers.change", volunteer_certificate.org)
    text = (message or "").strip()
    if not text:
        raise ValidationError({"message": [_("请说明需要更正的内容。")]})
    if volunteer_certificate.replaced_by_id is not None:
        raise ValidationError(_("该证明已更正换发，请对新证明提出申请。"))
    if CertificateCorrection.objects.filter(
        volunteer_certificate=volunteer_certificate, state="requested"
    ).exists():
        raise ValidationError(_("该证明已有待处理的更正申请，请等待处理结果。"))
    correction = CertificateCorrection.objects.create(
        **workflow_initial(CertificateCorrection),
        org=volunteer_certificate.org,
        volunteer_certificate=volunteer_certificate,
        message=text[:2000],
        requested_by=actor,
    )
    return correction


def certificate_correction_decide(
    *, actor: Any, correction: CertificateCorrection, confirm: bool, comment: str = ""
) -> CertificateCorrection:
    """Confirm (revoke the old certificate, issue a new one from the records as they now stand)
    or refuse with a reason. The hour records themselves are corrected beforehand, each with
    its own reason (``service_record_correct``)."""
    with transaction.atomic():
        moved: CertificateCorrection = transition_apply(  # type: ignore[assignment]
            actor=actor,
            record=correction,
            transition="confirm" if confirm else "refuse",
            comment=comment,
        )
        if confirm:
            old = moved.volunteer_certificate
            new = volunteer_certificate_issue(
                actor=actor,
                volunteer=old.volunteer,
                org=old.org,
                signers=CertificateSigners(old.responsible_person, old.handler, old.contact),
                period_start=old.period_start,
                period_end=old.period_end,
            )
            certificate_revoke(
                actor=actor,
                certificate=old.certificate,
                reason=_("已更正，换发证书 %(number)s") % {"number": new.certificate.number},
            )
            old.replaced_by = new
            old.save(update_fields=["replaced_by"])
    user = correction.volunteer_certificate.volunteer.user
    if user is not None:
        notify(
            recipients=[user],
            subject=_("志愿服务记录证明更正申请已处理"),
            body=_("已更正并换发新证明。")
            if confirm
            else _("不予更正，理由：%(reason)s") % {"reason": comment.strip()},
        )
    return moved
