"""Writes to anti-domestic-violence cases: intake, submission, addenda, assessments, team,
break-glass."""

import datetime
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.accounts.models import Post
from warmhome.core.audit.services import sensitive_read_log
from warmhome.notifications.services import notify
from warmhome.orgs.models import OrgUnit
from warmhome.people.models import Person
from warmhome.people.services import person_shield
from warmhome.rights.confidentiality import SUPERVISE
from warmhome.rights.models import (
    PROTECTION_FLAGS,
    Addendum,
    BreakGlassAccess,
    CaseStatus,
    DvCase,
    RiskAssessment,
    RiskBand,
)
from warmhome.rights.scoring import definition
from warmhome.rules.selectors import policy_value

#: the intake fields a form may set while the case is being registered
INTAKE_FIELDS = (
    "abuser_name",
    "abuser_relationship",
    "history",
    "narrative",
    *PROTECTION_FLAGS,
    "lacks_capacity",
)


def _require(actor: Any, action: str, org: Any) -> None:
    if actor is not None and not actor.has_action(action, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))


def _require_team(actor: Any, case: DvCase, action: str) -> None:
    """``actor`` must hold ``action`` over the case and be on its team (404 alike otherwise)."""
    if actor is None:
        return
    if not DvCase.objects.visible_to(actor, action).filter(pk=case.pk).exists():
        raise PermissionDenied(_("您不是该个案的承办人员。"))


def station_heads(case: DvCase) -> list[Any]:
    """Active users holding ``rights.supervise`` over the case's organisation."""
    posts = (
        Post.objects.current()
        .filter(is_active=True, user__is_active=True)
        .select_related("role", "org", "user")
    )
    heads = {
        post.user_id: post.user
        for post in posts
        if SUPERVISE in (post.role.actions or []) and case.org.path.startswith(post.org.path)
    }
    return list(heads.values())


def _shield_all(actor: Any, case: DvCase, persons: Iterable[Person]) -> None:
    for person in persons:
        if not person.is_shielded:
            person_shield(
                actor=actor,
                person=person,
                reason=_("反家暴个案当事人"),
                module_action="rights.change",
            )


@transaction.atomic
def dv_case_open(
    *,
    actor: Any,
    org: OrgUnit,
    victim: Person,
    children: Iterable[Person] = (),
    opened_on: datetime.date | None = None,
    **intake: Any,
) -> DvCase:
    """Register a case (in draft) held by ``org``; the actor becomes its first case worker.

    The victim and the children are shielded at once, so no other module shows them.
    """
    _require(actor, "rights.change", org)
    unknown = set(intake) - set(INTAKE_FIELDS)
    if unknown:
        raise TypeError(f"unknown intake fields: {sorted(unknown)}")
    children = list(children)
    if victim in children:
        raise ValidationError({"children": [_("受害人不能同时列为涉及子女。")]})
    # A unique placeholder until the pk is known: two intakes at once never collide on "".
    case = DvCase(
        org=org,
        victim=victim,
        opened_on=opened_on or timezone.localdate(),
        number=f"tmp{uuid.uuid4().hex[:16]}",
        **intake,
    )
    case.full_clean(exclude=["number", "narrative", "org", "victim"])
    case.save()
    case.number = f"FB{case.opened_on:%Y}{case.pk:05d}"
    case.save(update_fields=["number", "updated_at"])
    case.children.set(children)
    if actor is not None:
        case.case_workers.add(actor)
    _shield_all(actor, case, [victim, *children])
    return case


@transaction.atomic
def dv_case_update_intake(*, actor: Any, case: DvCase, **intake: Any) -> DvCase:
    """Correct the intake while it is being registered; a submitted one takes addenda only."""
    case = DvCase.objects.select_for_update().get(pk=case.pk)
    _require_team(actor, case, "rights.change")
    if case.is_locked:
        raise ValidationError(_("受理记录已提交锁定，只能以补充说明更正。"))
    unknown = set(intake) - set(INTAKE_FIELDS)
    if unknown:
        raise TypeError(f"unknown intake fields: {sorted(unknown)}")
    for name, value in intake.items():
        setattr(case, name, value)
    case.save()
    return case


@transaction.atomic
def dv_case_submit(*, actor: Any, case: DvCase) -> DvCase:
    """Lock the intake: from now on the narrative is evidence, corrected only by addenda."""
    case = DvCase.objects.select_for_update().get(pk=case.pk)
    _require_team(actor, case, "rights.change")
    if case.is_locked:
        raise ValidationError(_("受理记录已经提交。"))
    if not case.narrative.strip():
        raise ValidationError({"narrative": [_("请填写受理陈述后再提交。")]})
    case.status = CaseStatus.OPEN
    case.submitted_at = timezone.now()
    case.save(update_fields=["status", "submitted_at", "updated_at"])
    return case


@transaction.atomic
def addendum_add(*, actor: Any, case: DvCase, text: str) -> Addendum:
    case = DvCase.objects.select_for_update().get(pk=case.pk)
    _require_team(actor, case, "rights.change")
    if not case.is_locked:
        raise ValidationError(_("受理记录尚未提交，请直接修改受理陈述。"))
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("请填写补充内容。")]})
    return Addendum.objects.create(
        case=case, written_on=timezone.localdate(), text=text, author=actor
    )


@transaction.atomic
def risk_assessment_record(
    *,
    actor: Any,
    case: DvCase,
    instrument: str,
    answers: Mapping[str, Any],
    assessed_on: datetime.date | None = None,
) -> RiskAssessment:
    """Score ``answers`` with the current definition of ``instrument`` and keep all three.

    One assessment per instrument and date; a high band alerts the station head.
    """
    case = DvCase.objects.select_for_update().get(pk=case.pk)
    _require_team(actor, case, "rights.change")
    scoring = definition(instrument)
    day = assessed_on or timezone.localdate()
    score, band, snapshot = scoring.score(answers)
    if RiskAssessment.objects.filter(case=case, instrument=instrument, assessed_on=day).exists():
        raise ValidationError(_("该评估工具当日已有评估记录。"))
    try:
        with transaction.atomic():
            assessment = RiskAssessment.objects.create(
                case=case,
                assessed_on=day,
                instrument=scoring.code,
                definition_version=scoring.version,
                definition=snapshot,
                answers=scoring.clean_answers(answers),
                score=score,
                band=band,
                assessor=actor,
            )
    except IntegrityError:
        raise ValidationError(_("该评估工具当日已有评估记录。")) from None
    latest = RiskAssessment.objects.filter(case=case).order_by("-assessed_on", "-pk").first()
    if latest is not None and latest.band != case.risk_band:
        case.risk_band = latest.band
        case.save(update_fields=["risk_band", "updated_at"])
    if band == RiskBand.HIGH:
        notify(
            recipients=station_heads(case),
            subject=_("高风险反家暴个案：%(number)s") % {"number": case.number},
            body=_("个案 %(number)s 于 %(day)s 评估为高风险，请安排安全计划和后续措施。")
            % {"number": case.number, "day": day.isoformat()},
            link=reverse("rights:case_detail", args=[case.pk]),
        )
    return assessment


@transaction.atomic
def dv_case_assign(*, actor: Any, case: DvCase, workers: Iterable[Any]) -> DvCase:
    """Set the case workers (station head only); a removed worker loses access at once."""
    _require(actor, SUPERVISE, case.org)
    workers = list(workers)
    for worker in workers:
        if not worker.has_action("rights.change", case.org):
            raise ValidationError(
                {"workers": [_("%(user)s 没有办理该组织个案的权限。") % {"user": worker}]}
            )
    case.case_workers.set(workers)
    return case


@transaction.atomic
def break_glass_open(*, actor: Any, case: DvCase, reason: str) -> BreakGlassAccess:
    """Let ``actor`` (outside the team, holding ``rights.break_glass``) open ``case`` for a
    short time: the reason is required, the access audited, the station head notified."""
    _require(actor, "rights.break_glass", case.org)
    reason = reason.strip()
    if len(reason) < 4:
        raise ValidationError({"reason": [_("请具体填写紧急查阅的事由（至少 4 个字）。")]})
    now = timezone.now()
    minutes = int(policy_value("rights.break_glass_minutes"))
    grant = BreakGlassAccess.objects.create(
        case=case,
        user=actor,
        reason=reason[:500],
        expires_at=now + datetime.timedelta(minutes=minutes),
    )
    sensitive_read_log(actor=actor, instance=case, fields=["break_glass"], reason=reason[:200])
    name = getattr(actor, "display_name", "") or actor.get_username()
    notify(
        recipients=[head for head in station_heads(case) if head.pk != actor.pk],
        subject=_("个案 %(number)s 被紧急查阅") % {"number": case.number},
        body=_("%(user)s 紧急查阅了个案 %(number)s，事由：%(reason)s")
        % {"user": name, "number": case.number, "reason": reason[:200]},
        link=reverse("rights:break_glass_report"),
    )
    return grant
