"""Writes to help requests: intake, routing, the workflow steps (escalation of overdue
requests: ``services_escalation``; legal consultations: ``services_consultations``).

Every step goes through the workflow engine (``core.workflows``: permission, state, version,
timeline); the deadlines of the ``petition.*`` policy keys are then written to ``due_at`` in the
same transaction. A double submit of a step finds the record moved on and is refused with the
engine's clear message (who did it, when), so nothing is done twice.
"""

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.accounts.models import Post
from warmhome.core import deadlines
from warmhome.core.identifiers import normalise_phone
from warmhome.core.workflows import get_workflow
from warmhome.core.workflows.services import may_take, transition_apply
from warmhome.notifications.services import notify
from warmhome.opinions.services import opinion_submit
from warmhome.opinions.sources import HELP_REQUEST as HELP_REQUEST_SOURCE
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.people.models import Person
from warmhome.rights.models import (
    Channel,
    HelpRequest,
    Outcome,
    PetitionCategory,
    ReferralSource,
    ReplyChannel,
    RequestTransfer,
    Satisfaction,
)
from warmhome.rights.workflow_requests import HANDLE
from warmhome.rules.selectors import policy_value

# --- deadlines -----------------------------------------------------------------------------


def day_counting() -> str:
    """``"calendar"`` or ``"working"``: how petition deadlines are counted (a policy)."""
    return str(policy_value("petition.day_counting"))


def acceptance_due(start: datetime.date) -> datetime.date:
    days = int(policy_value("petition.acceptance_days"))
    return deadlines.add_days(start, days, day_counting())


def handling_due(start: datetime.date) -> datetime.date:
    days = int(policy_value("petition.handling_days"))
    return deadlines.add_days(start, days, day_counting())


# --- routing -------------------------------------------------------------------------------


def community_of(org: OrgUnit) -> OrgUnit | None:
    """The community ``org`` lies in (itself, or the community above a grid); else ``None``."""
    if org.kind == OrgKind.COMMUNITY:
        return org
    step = OrgUnit.steplen
    prefixes = [org.path[:end] for end in range(step, len(org.path), step)]
    return (
        OrgUnit.objects.filter(path__in=prefixes, kind=OrgKind.COMMUNITY).order_by("-depth").first()
    )


def route(*, person: Person | None, community: OrgUnit | None) -> OrgUnit:
    """The organisation responsible for a request: the requester's community."""
    # The person's unit read afresh: a sibling added since may have renumbered its path.
    found = community_of(OrgUnit.objects.get(pk=person.org_id)) if person is not None else None
    if found is None and community is not None:
        found = community_of(community)
    if found is None:
        raise ValidationError({"community": [_("请选择求助人所在社区，以便分派到负责的组织。")]})
    return found


# --- intake --------------------------------------------------------------------------------


def _check_requester(person: Person | None, name: str, phone: str) -> tuple[str, str]:
    if person is not None:
        return "", ""
    errors: dict[str, list[str]] = {}
    if not name:
        errors["requester_name"] = [_("请填写求助人姓名，或选择已登记的人员。")]
    if not phone:
        errors["requester_phone"] = [_("请填写求助人的联系电话，以便告知受理和答复。")]
    else:
        try:
            phone = normalise_phone(phone)
        except ValidationError as problem:
            errors["requester_phone"] = problem.messages
    if errors:
        raise ValidationError(errors)
    return name, phone


def _registered_with(intake_key: uuid.UUID | None) -> HelpRequest | None:
    if intake_key is None:
        return None
    return HelpRequest.objects.filter(intake_key=intake_key).first()


@transaction.atomic
def help_request_receive(
    *,
    actor: Any,
    channel: str,
    category: PetitionCategory,
    content: str,
    person: Person | None = None,
    community: OrgUnit | None = None,
    requester_name: str = "",
    requester_phone: str = "",
    requester_address: str = "",
    referral_source: str = "",
    referral_ref: str = "",
    received_on: datetime.date | None = None,
    intake_key: uuid.UUID | None = None,
) -> HelpRequest:
    """Register a request and route it to the requester's community, with its acceptance
    deadline. ``actor`` is ``None`` for the public online form.

    The same ``intake_key`` twice (a double click, a resubmitted page) returns the request
    registered the first time.
    """
    if actor is not None and not actor.has_action(HANDLE):
        raise PermissionDenied(_("您没有登记求助信访事项的权限。"))
    if (first := _registered_with(intake_key)) is not None:
        return first
    if channel not in Channel.values:
        raise ValidationError({"channel": [_("请选择来源渠道。")]})
    if channel == Channel.REFERRAL and referral_source not in ReferralSource.values:
        raise ValidationError({"referral_source": [_("转办事项请选择转办来源。")]})
    if channel != Channel.REFERRAL:
        referral_source, referral_ref = "", ""
    if not category.is_active:
        raise ValidationError({"category": [_("该信访类别已停用，请另选。")]})
    content = content.strip()
    if not content:
        raise ValidationError({"content": [_("请填写求助内容。")]})
    name, phone = _check_requester(person, requester_name.strip(), requester_phone.strip())
    org = route(person=person, community=community)
    day = received_on or timezone.localdate()
    request = HelpRequest(
        org=org,
        community=org,
        number=f"tmp{uuid.uuid4().hex[:16]}",
        channel=channel,
        referral_source=referral_source,
        referral_ref=referral_ref.strip()[:40],
        category=category,
        person=person,
        requester_name=name,
        requester_phone=phone,
        requester_address="" if person is not None else requester_address.strip(),
        content=content,
        received_on=day,
        state="received",
        state_changed_at=timezone.now(),
        due_at=acceptance_due(day),
        taken_by=actor,
        intake_key=intake_key,
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # Two clicks at the same moment: the other one registered it.
        if (first := _registered_with(intake_key)) is None:
            raise
        return first
    due = request.due_at or day
    request.number = f"QZ{day:%Y}{request.pk:06d}"
    request.save(update_fields=["number", "updated_at"])
    _feed_opinions(request)
    _notify_org(
        org=org,
        subject=_("新的求助信访事项：%(number)s") % {"number": request.number},
        body=_("%(category)s，请在 %(due)s 前决定是否受理并告知求助人。")
        % {"category": category.name, "due": due.isoformat()},
        request=request,
    )
    return request


#: what opinion analysis keeps of a domestic-violence request instead of its words (data)
DV_OPINION_TEXT = "家庭暴力求助（内容只在维权办理中查阅，不转入妇情民意）"


def _feed_opinions(request: HelpRequest) -> None:
    # Every request counts in the opinion analysis (妇情民意), under the topic its petition
    # category maps to; a violence request's words stay with the request (encrypted there).
    words = DV_OPINION_TEXT if request.category.is_dv else request.content
    opinion_submit(
        actor=None,  # the system: the intake's own permission was checked above
        channel=HELP_REQUEST_SOURCE.key,
        text=words,
        org=request.community,
        anonymous=True,
        source_ref=request.number,
        occurred_at=timezone.make_aware(
            datetime.datetime.combine(request.received_on, datetime.time(12))
        ),
        topic=request.category.topic,
    )


# --- the workflow steps --------------------------------------------------------------------


def _take(
    *,
    actor: Any,
    request: HelpRequest,
    transition: str,
    comment: str = "",
    fields: dict[str, Any] | None = None,
    expected_version: int | None = None,
    after: Callable[[HelpRequest, datetime.date | None], list[str]],
) -> HelpRequest:
    """Take ``transition`` and let ``after`` update the record, all or nothing.

    A refusal for lack of rights is logged by the engine outside the transaction, so the
    security event survives it.
    """
    spec = get_workflow(HelpRequest.workflow_key).transition(transition)
    version = request.version if expected_version is None else expected_version
    if not may_take(actor, spec, request):
        transition_apply(actor=actor, record=request, transition=transition)  # raises, logged
    with transaction.atomic():
        # The engine clears the deadline on leaving a state; the steps here carry it on.
        running_due = (
            HelpRequest.objects.select_for_update()
            .values_list("due_at", flat=True)
            .get(pk=request.pk)
        )
        moved: Any = transition_apply(
            actor=actor,
            record=request,
            transition=transition,
            comment=comment,
            fields=fields,
            expected_version=version,
        )
        changed = after(moved, running_due)
        moved.save(update_fields=[*changed, "updated_at"])
    for name in changed:
        setattr(request, name, getattr(moved, name))
    request.org = moved.org
    return moved


def help_request_accept(
    *, actor: Any, request: HelpRequest, comment: str = "", expected_version: int | None = None
) -> HelpRequest:
    """Accept the request; the handling deadline runs from today."""

    def after(record: HelpRequest, running_due: datetime.date | None) -> list[str]:
        record.accepted_on = timezone.localdate()
        record.due_at = handling_due(record.accepted_on)
        return ["accepted_on", "due_at"]

    return _take(
        actor=actor,
        request=request,
        transition="accept",
        comment=comment,
        expected_version=expected_version,
        after=after,
    )


def help_request_not_accept(
    *, actor: Any, request: HelpRequest, reason: str, expected_version: int | None = None
) -> HelpRequest:
    """Decline the request, with the reason told to the requester."""

    def after(record: HelpRequest, running_due: datetime.date | None) -> list[str]:
        record.outcome = Outcome.NOT_ACCEPTED
        record.closed_on = timezone.localdate()
        return ["outcome", "closed_on"]

    return _take(
        actor=actor,
        request=request,
        transition="not_accept",
        comment=reason,
        expected_version=expected_version,
        after=after,
    )


def help_request_transfer(
    *,
    actor: Any,
    request: HelpRequest,
    to_org: OrgUnit,
    reason: str,
    expected_version: int | None = None,
) -> HelpRequest:
    """Hand the request to another organisation, which decides on acceptance afresh."""
    if to_org.pk == request.org_id:
        raise ValidationError({"to_org": [_("不能转给本单位：请选择其他组织。")]})
    if not to_org.is_active:
        raise ValidationError({"to_org": [_("该组织已停用，不能转入。")]})
    from_org = request.org

    def after(record: HelpRequest, running_due: datetime.date | None) -> list[str]:
        RequestTransfer.objects.create(
            request=record, from_org=from_org, to_org=to_org, reason=reason.strip(), by=actor
        )
        record.org = to_org
        record.accepted_on = None
        record.due_at = acceptance_due(timezone.localdate())
        return ["org", "accepted_on", "due_at"]

    moved = _take(
        actor=actor,
        request=request,
        transition="transfer",
        comment=reason,
        fields={"to_org": to_org.name},
        expected_version=expected_version,
        after=after,
    )
    _notify_org(
        org=to_org,
        subject=_("转来的求助信访事项：%(number)s") % {"number": moved.number},
        body=_("%(from)s 转来，理由：%(reason)s") % {"from": from_org.name, "reason": reason[:200]},
        request=moved,
    )
    return moved


def help_request_start(
    *, actor: Any, request: HelpRequest, comment: str = "", expected_version: int | None = None
) -> HelpRequest:
    """Start handling an accepted request (the deadline keeps running from acceptance)."""

    def after(record: HelpRequest, running_due: datetime.date | None) -> list[str]:
        record.due_at = running_due
        return ["due_at"]

    return _take(
        actor=actor,
        request=request,
        transition="start",
        comment=comment,
        expected_version=expected_version,
        after=after,
    )


def help_request_extend(
    *,
    actor: Any,
    request: HelpRequest,
    days: int,
    reason: str,
    expected_version: int | None = None,
) -> HelpRequest:
    """Extend the handling deadline by ``days``, with a reason; at most the policy's limit in
    all, approved by the level above (the workflow's guard)."""
    limit = int(policy_value("petition.extension_max_days"))
    if days < 1:
        raise ValidationError({"days": [_("延期天数至少为 1 天。")]})
    if request.extension_days + days > limit:
        raise ValidationError(
            {
                "days": [
                    _("延期合计不能超过 %(limit)d 天（已延期 %(used)d 天）。")
                    % {"limit": limit, "used": request.extension_days}
                ]
            }
        )

    def after(record: HelpRequest, running_due: datetime.date | None) -> list[str]:
        start = running_due or timezone.localdate()
        record.due_at = deadlines.add_days(start, days, day_counting())
        record.extension_days += days
        record.extension_reason = reason.strip()
        return ["due_at", "extension_days", "extension_reason"]

    return _take(
        actor=actor,
        request=request,
        transition="extend",
        comment=reason,
        fields={"days": days},
        expected_version=expected_version,
        after=after,
    )


def help_request_reply(
    *,
    actor: Any,
    request: HelpRequest,
    text: str,
    channel: str,
    outcome: str,
    replied_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> HelpRequest:
    """Answer the requester (text, date, channel) with the outcome of the handling."""
    if request.state == "received":
        raise ValidationError(_("该事项尚未受理，不能答复：请先受理。"))
    errors: dict[str, list[str]] = {}
    if channel not in ReplyChannel.values:
        errors["reply_channel"] = [_("请选择答复方式。")]
    if outcome not in Outcome.values or outcome == Outcome.NOT_ACCEPTED:
        errors["outcome"] = [_("请选择办理结果。")]
    day = replied_on or timezone.localdate()
    if day > timezone.localdate():
        errors["replied_on"] = [_("答复日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)

    def after(record: HelpRequest, running_due: datetime.date | None) -> list[str]:
        record.reply_text = text.strip()
        record.reply_channel = channel
        record.outcome = outcome
        record.replied_on = day
        record.due_at = None
        return ["reply_text", "reply_channel", "outcome", "replied_on", "due_at"]

    return _take(
        actor=actor,
        request=request,
        transition="reply",
        fields={"reply_text": text, "reply_channel": channel, "outcome": outcome},
        expected_version=expected_version,
        after=after,
    )


def help_request_follow_up(
    *,
    actor: Any,
    request: HelpRequest,
    satisfaction: str,
    note: str = "",
    reopen: bool = False,
    expected_version: int | None = None,
) -> HelpRequest:
    """Record the follow-up call (回访): close the request, or, when the requester is not
    satisfied and ``reopen`` is asked, send it back to handling with a new deadline."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": [_("请选择求助人的满意度。")]})
    note = note.strip()
    if reopen and not note:
        raise ValidationError({"followup_note": [_("重新办理请在回访记录中写明不满意的原因。")]})

    def after(record: HelpRequest, running_due: datetime.date | None) -> list[str]:
        today = timezone.localdate()
        record.satisfaction = satisfaction
        record.followup_note = note
        record.followed_up_on = today
        if reopen:
            record.reopen_count += 1
            record.due_at = handling_due(today)
            record.closed_on = None
        else:
            record.closed_on = today
        return [
            "satisfaction",
            "followup_note",
            "followed_up_on",
            "reopen_count",
            "due_at",
            "closed_on",
        ]

    return _take(
        actor=actor,
        request=request,
        transition="reopen" if reopen else "close",
        comment=note,
        fields={"satisfaction": satisfaction, "followup_note": note},
        expected_version=expected_version,
        after=after,
    )


def help_request_redo(*, actor: Any, request: HelpRequest, review: Any, text: str) -> HelpRequest:
    """A review (re-review) revoked the handling and orders it redone: the request goes back to
    its organisation's handling with a new deadline (``rights.services_reviews`` calls this in
    the decision's transaction)."""

    def after(record: HelpRequest, running_due: datetime.date | None) -> list[str]:
        record.reopen_count += 1
        record.due_at = handling_due(timezone.localdate())
        record.closed_on = None
        return ["reopen_count", "due_at", "closed_on"]

    moved = _take(
        actor=actor,
        request=request,
        transition="redo",
        comment=text,
        fields={"review": review.get_level_display()},
        after=after,
    )
    transaction.on_commit(
        lambda: _notify_org(
            org=moved.org,
            subject=_("%(level)s责令重新办理：%(number)s")
            % {"level": review.get_level_display(), "number": moved.number},
            body=_("请在 %(due)s 前重新办理并答复。") % {"due": moved.due_at},
            request=moved,
        )
    )
    return moved


def _notify_org(*, org: OrgUnit, subject: str, body: str, request: HelpRequest) -> None:
    """Tell the staff holding ``rights.request_handle`` at ``org`` itself (not those above)."""
    posts = (
        Post.objects.current()
        .filter(org=org, is_active=True, user__is_active=True)
        .select_related("role", "user")
    )
    recipients = {post.user_id: post.user for post in posts if HANDLE in (post.role.actions or [])}
    if recipients:
        notify(
            recipients=list(recipients.values()),
            subject=subject,
            body=body,
            link=reverse("rights:helprequest_detail", args=[request.pk]),
        )
