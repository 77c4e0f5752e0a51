"""Writes of the measures taken in a DV case (except protection orders: ``services_orders``):
safety plan, warning letters and their visits, shelter stays, referrals, the mandatory report,
follow-ups and closure.

Every write locks the case, requires the actor on its team for ``rights.change`` (break-glass
opens a case for reading only) and refuses a closed case.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.rights.models import (
    CaseClosure,
    CaseFollowUp,
    CaseStatus,
    ClosureOutcome,
    DvCase,
    FollowUpWay,
    MandatoryReport,
    ProtectionOrder,
    Referral,
    ReferralKind,
    SafetyPlan,
    ShelterStay,
    WarningLetter,
    WarningVisit,
)
from warmhome.rights.services import _require_team
from warmhome.rules.selectors import policy_value

#: a victim so flagged, or any child in the case, makes the mandatory report (强制报告) a step
#: that must be recorded before closing. The law (反家庭暴力法 第十四条) names persons without
#: or with limited civil capacity: a minor, or an adult who cannot fully understand her acts. The
#: other special-protection flags (elderly, pregnant, seriously ill, disabled) do not take away
#: capacity, and a case may not be held open for a report the law does not ask for.
MANDATORY_REPORT_FLAGS = ("is_minor", "lacks_capacity")


def case_for_change(actor: Any, case: DvCase) -> DvCase:
    """The case, locked, once ``actor`` is on its team for ``rights.change`` and it is open."""
    locked = DvCase.objects.select_for_update().get(pk=case.pk)
    _require_team(actor, locked, "rights.change")
    if locked.status == CaseStatus.CLOSED:
        raise ValidationError(_("个案已结案，不能再登记。"))
    return locked


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: [_("日期不能晚于今天。")]})


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    return value


@transaction.atomic
def safety_plan_save(
    *,
    actor: Any,
    case: DvCase,
    safe_contacts: str = "",
    safe_place: str = "",
    documents_ready: bool = False,
    escape_route: str = "",
    code_word: str = "",
    other_items: str = "",
    reviewed_on: datetime.date | None = None,
) -> SafetyPlan:
    """Make or review the case's safety plan (one per case; saving again is a review)."""
    case = case_for_change(actor, case)
    day = reviewed_on or timezone.localdate()
    _not_future(day, "reviewed_on")
    items = {
        "safe_contacts": safe_contacts.strip(),
        "safe_place": safe_place.strip(),
        "escape_route": escape_route.strip(),
        "code_word": code_word.strip(),
        "other_items": other_items.strip(),
    }
    if not any(items.values()) and not documents_ready:
        raise ValidationError(_("安全计划至少填写一项内容。"))
    plan, _created = SafetyPlan.objects.update_or_create(
        case=case,
        defaults={**items, "documents_ready": documents_ready, "reviewed_on": day, "author": actor},
    )
    return plan


@transaction.atomic
def warning_letter_record(
    *,
    actor: Any,
    case: DvCase,
    number: str,
    issued_on: datetime.date,
    police_station: str,
    facts: str = "",
) -> WarningLetter:
    """Record a police warning letter (告诫书); a number is recorded once per case."""
    case = case_for_change(actor, case)
    number = _required(number, "number", _("请填写告诫书编号。"))
    police_station = _required(police_station, "police_station", _("请填写出具单位。"))
    _not_future(issued_on, "issued_on")
    if WarningLetter.objects.filter(case=case, number=number).exists():
        raise ValidationError({"number": [_("该告诫书已登记。")]})
    return WarningLetter.objects.create(
        case=case,
        number=number,
        issued_on=issued_on,
        police_station=police_station,
        facts=facts.strip(),
    )


@transaction.atomic
def warning_visit_record(
    *,
    actor: Any,
    letter: WarningLetter,
    visited_on: datetime.date,
    visitors: str,
    note: str = "",
) -> WarningVisit:
    """Record a follow-up visit after a warning letter; the same visit twice is kept once."""
    case = case_for_change(actor, letter.case)
    visitors = _required(visitors, "visitors", _("请填写回访人员。"))
    _not_future(visited_on, "visited_on")
    if visited_on < letter.issued_on:
        raise ValidationError({"visited_on": [_("回访日期不能早于告诫书出具日期。")]})
    existing = WarningVisit.objects.filter(
        letter=letter, visited_on=visited_on, visitors=visitors
    ).first()
    if existing is not None:
        return existing
    return WarningVisit.objects.create(
        case=case, letter=letter, visited_on=visited_on, visitors=visitors, note=note.strip()
    )


def _shelter_limit() -> int:
    return int(policy_value("rights.shelter_days"))


@transaction.atomic
def shelter_admit(
    *,
    actor: Any,
    case: DvCase,
    place: str,
    from_on: datetime.date,
    until_on: datetime.date,
    children_count: int = 0,
    extension_reason: str = "",
) -> ShelterStay:
    """Record a shelter stay; beyond the usual stay (policy ``rights.shelter_days``) a reason is
    required. One stay at a time per case."""
    case = case_for_change(actor, case)
    place = _required(place, "place", _("请填写庇护场所。"))
    if until_on < from_on:
        raise ValidationError({"until_on": [_("离开日期不能早于入住日期。")]})
    if children_count < 0:
        raise ValidationError({"children_count": [_("随同子女人数不能为负数。")]})
    limit = _shelter_limit()
    if (until_on - from_on).days > limit and not extension_reason.strip():
        raise ValidationError(
            {"extension_reason": [_("庇护超过 %(days)d 天，须填写延长理由。") % {"days": limit}]}
        )
    if ShelterStay.objects.filter(case=case, left_on__isnull=True).exists():
        raise ValidationError(_("该个案已有尚未离开的庇护记录。"))
    return ShelterStay.objects.create(
        case=case,
        place=place,
        from_on=from_on,
        until_on=until_on,
        children_count=children_count,
        extension_reason=extension_reason.strip(),
    )


@transaction.atomic
def shelter_extend(
    *, actor: Any, stay: ShelterStay, until_on: datetime.date, reason: str
) -> ShelterStay:
    """Move a stay's end later; beyond the usual stay the reason is required and kept."""
    case_for_change(actor, stay.case)
    stay = ShelterStay.objects.select_for_update().get(pk=stay.pk)
    if stay.left_on is not None:
        raise ValidationError(_("已离开庇护场所，不能延长。"))
    if until_on <= stay.until_on:
        raise ValidationError({"until_on": [_("延长后的日期须晚于原离开日期。")]})
    limit = _shelter_limit()
    reason = reason.strip()
    if (until_on - stay.from_on).days > limit and not reason:
        raise ValidationError(
            {"reason": [_("庇护超过 %(days)d 天，须填写延长理由。") % {"days": limit}]}
        )
    if reason:
        stamp = timezone.localdate().isoformat()
        line = f"{stamp} → {until_on.isoformat()}：{reason}"
        stay.extension_reason = f"{stay.extension_reason}\n{line}".strip()
    stay.until_on = until_on
    stay.save(update_fields=["until_on", "extension_reason", "updated_at"])
    return stay


@transaction.atomic
def shelter_leave(*, actor: Any, stay: ShelterStay, left_on: datetime.date) -> ShelterStay:
    """Record the day the victim left the shelter."""
    case_for_change(actor, stay.case)
    stay = ShelterStay.objects.select_for_update().get(pk=stay.pk)
    if stay.left_on is not None:
        raise ValidationError(_("已登记离开日期。"))
    if left_on < stay.from_on:
        raise ValidationError({"left_on": [_("离开日期不能早于入住日期。")]})
    _not_future(left_on, "left_on")
    stay.left_on = left_on
    stay.save(update_fields=["left_on", "updated_at"])
    return stay


@transaction.atomic
def referral_record(
    *, actor: Any, case: DvCase, kind: str, referred_to: str, referred_on: datetime.date
) -> Referral:
    """Refer the victim to legal aid, counselling or another service."""
    case = case_for_change(actor, case)
    if kind not in ReferralKind.values:
        raise ValidationError({"kind": [_("请选择转介类型。")]})
    referred_to = _required(referred_to, "referred_to", _("请填写转介至何处。"))
    _not_future(referred_on, "referred_on")
    existing = Referral.objects.filter(
        case=case, kind=kind, referred_to=referred_to, referred_on=referred_on
    ).first()
    if existing is not None:
        return existing
    return Referral.objects.create(
        case=case, kind=kind, referred_to=referred_to, referred_on=referred_on
    )


@transaction.atomic
def referral_outcome_record(
    *, actor: Any, referral: Referral, outcome: str, outcome_on: datetime.date
) -> Referral:
    """Record what came of a referral."""
    case_for_change(actor, referral.case)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    referral.outcome = _required(outcome, "outcome", _("请填写转介结果。"))
    if outcome_on < referral.referred_on:
        raise ValidationError({"outcome_on": [_("结果日期不能早于转介日期。")]})
    _not_future(outcome_on, "outcome_on")
    referral.outcome_on = outcome_on
    referral.save(update_fields=["outcome", "outcome_on", "updated_at"])
    return referral


def mandatory_report_required(case: DvCase) -> bool:
    """A child in the case, or a victim flagged for special protection, must be reported."""
    if any(getattr(case, flag) for flag in MANDATORY_REPORT_FLAGS):
        return True
    return case.children.exists()


@transaction.atomic
def mandatory_report_record(
    *,
    actor: Any,
    case: DvCase,
    reported_at: datetime.datetime,
    police_unit: str,
    receipt_number: str,
) -> MandatoryReport:
    """Record the report to the police (强制报告); the actor is kept as the (restricted)
    reporter. Recorded once; the same receipt again changes nothing."""
    case = case_for_change(actor, case)
    police_unit = _required(police_unit, "police_unit", _("请填写接报单位。"))
    receipt_number = _required(receipt_number, "receipt_number", _("请填写回执编号。"))
    if reported_at > timezone.now():
        raise ValidationError({"reported_at": [_("报告时间不能晚于现在。")]})
    existing = MandatoryReport.objects.filter(case=case).first()
    if existing is not None:
        if existing.receipt_number == receipt_number:
            return existing
        raise ValidationError(_("该个案已登记强制报告。"))
    return MandatoryReport.objects.create(
        case=case,
        reported_at=reported_at,
        police_unit=police_unit,
        receipt_number=receipt_number,
        reporter=actor,
    )


@transaction.atomic
def case_followup_record(
    *,
    actor: Any,
    case: DvCase,
    followed_on: datetime.date,
    way: str,
    note: str = "",
    next_on: datetime.date | None = None,
) -> CaseFollowUp:
    """Record a follow-up contact and when the next one is due; a double submit adds one."""
    case = case_for_change(actor, case)
    if way not in FollowUpWay.values:
        raise ValidationError({"way": [_("请选择回访方式。")]})
    _not_future(followed_on, "followed_on")
    if next_on is not None and next_on <= followed_on:
        raise ValidationError({"next_on": [_("下次回访日期须晚于本次回访日期。")]})
    note = note.strip()
    existing = CaseFollowUp.objects.filter(
        case=case, followed_on=followed_on, way=way, author=actor
    ).first()
    if existing is not None and existing.note == note and existing.next_on == next_on:
        return existing
    return CaseFollowUp.objects.create(
        case=case, followed_on=followed_on, way=way, note=note, next_on=next_on, author=actor
    )


@transaction.atomic
def dv_case_close(
    *,
    actor: Any,
    case: DvCase,
    outcome: str,
    closed_on: datetime.date | None = None,
    note: str = "",
) -> CaseClosure:
    """Close a submitted case with its outcome; refused while a protection-order application
    awaits the court, or while a required mandatory report is missing."""
    locked = DvCase.objects.select_for_update().get(pk=case.pk)
    _require_team(actor, locked, "rights.change")
    if locked.status == CaseStatus.CLOSED:
        raise ValidationError(_("个案已结案。"))
    if locked.status != CaseStatus.OPEN:
        raise ValidationError(_("受理记录尚未提交，不能结案。"))
    if outcome not in ClosureOutcome.values:
        raise ValidationError({"outcome": [_("请选择结案情形。")]})
    day = closed_on or timezone.localdate()
    _not_future(day, "closed_on")
    if day < locked.opened_on:
        raise ValidationError({"closed_on": [_("结案日期不能早于受理日期。")]})
    if ProtectionOrder.objects.filter(case=locked).pending().exists():
        raise ValidationError(_("有尚未裁定的人身安全保护令申请，不能结案。"))
    if (
        mandatory_report_required(locked)
        and not MandatoryReport.objects.filter(case=locked).exists()
    ):
        raise ValidationError(_("本案涉及未成年人或需特殊保护的当事人，须先登记强制报告才能结案。"))
    closure = CaseClosure.objects.create(
        case=locked, closed_on=day, outcome=outcome, note=note.strip(), closed_by=actor
    )
    locked.status = CaseStatus.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    return closure
