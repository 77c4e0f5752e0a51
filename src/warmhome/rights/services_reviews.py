"""Writes of reviews (复查) and re-reviews (复核) of help requests (DOMAIN.md §5).

A requester who disagrees with the reply may ask, within ``petition.review_request_days`` of
it, for a review by the unit above the one that replied; that unit decides within
``petition.review_decision_days``. After the review's decision she may ask, within
``petition.rereview_request_days``, for a re-review by the unit above the reviewer, decided
within ``petition.rereview_decision_days``. Once each; days are counted as the petition policy
says (calendar or working). The opinion upholds the reply or changes it (the changed handling
opinion is its text), and the request itself stays where it was, its history unchanged; or it
revokes the handling and orders it redone (责令重新办理): the request goes back to handling at its
organisation with a new deadline, and a re-review, if asked, is of the new reply.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.accounts.models import Post
from warmhome.core import deadlines
from warmhome.notifications.services import notify
from warmhome.orgs.models import OrgUnit
from warmhome.rights.models import HelpRequest, RequestReview, ReviewDecision, ReviewLevel
from warmhome.rights.services_requests import day_counting, help_request_redo
from warmhome.rights.workflow_requests import HANDLE
from warmhome.rules.selectors import policy_value

#: the states in which the request has a reply a review can be asked of
REPLIED_STATES = ("replied", "closed")

_KEYS = {
    ReviewLevel.REVIEW: ("petition.review_request_days", "petition.review_decision_days"),
    ReviewLevel.REREVIEW: ("petition.rereview_request_days", "petition.rereview_decision_days"),
}


def _days(key: str) -> int:
    return int(policy_value(key))


def _next_level(request: HelpRequest) -> tuple[str, datetime.date, OrgUnit]:
    """The level she may ask for now, the date it runs from, and the unit that decides."""
    if request.replied_on is None:
        raise ValidationError(_("事项尚未答复，不能申请复查。"))
    reviews = {review.level: review for review in request.reviews.select_related("org")}
    waiting = [review for review in reviews.values() if review.decided_on is None]
    if waiting:  # also what a double click meets
        raise ValidationError(
            _("已申请%(level)s，正等待 %(org)s 作出意见。")
            % {"level": waiting[0].get_level_display(), "org": waiting[0].org.name}
        )
    if ReviewLevel.REVIEW not in reviews:
        deciding = OrgUnit.objects.get_parent(request.org)
        level, since = ReviewLevel.REVIEW, request.replied_on
    elif ReviewLevel.REREVIEW in reviews:
        raise ValidationError(_("该事项已经复核，复核意见为最终意见，不能再申请。"))
    else:
        review = reviews[ReviewLevel.REVIEW]
        deciding = OrgUnit.objects.get_parent(review.org)
        since = review.decided_on or request.replied_on
        if review.decision == ReviewDecision.REDO:
            # The re-review is of the new reply, once there is one.
            if request.state not in REPLIED_STATES:
                raise ValidationError(_("事项正在按复查意见重新办理，重新答复后才能申请复核。"))
            since = request.replied_on
        level = ReviewLevel.REREVIEW
    if deciding is None:
        raise ValidationError(
            _("办理单位已是本系统最高一级，请告知求助人向上级妇联提出%(level)s申请。")
            % {"level": ReviewLevel(level).label}
        )
    return level, since, deciding


@transaction.atomic
def help_request_review_request(
    *,
    actor: Any,
    request: HelpRequest,
    reason: str,
    requested_on: datetime.date | None = None,
) -> RequestReview:
    """Record the requester's application for a review (or, after one, a re-review)."""
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if actor is not None and not actor.has_action(HANDLE, request.org):
        raise PermissionDenied(_("您没有办理该求助事项的权限。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("请写明求助人申请的理由。")]})
    day = requested_on or timezone.localdate()
    level, since, deciding = _next_level(request)
    request_key, decision_key = _KEYS[ReviewLevel(level)]
    last_day = deadlines.add_days(since, _days(request_key), day_counting())
    if day > last_day:
        raise ValidationError(
            _("已超过申请期限（%(last)s 前），不予受理。") % {"last": last_day.isoformat()}
        )
    if day < since:
        raise ValidationError({"requested_on": [_("申请日期不能早于答复日期。")]})
    try:
        with transaction.atomic():
            review = RequestReview.objects.create(
                org=deciding,
                request=request,
                level=level,
                requested_on=day,
                reason=reason,
                due_on=deadlines.add_days(day, _days(decision_key), day_counting()),
                recorded_by=actor,
            )
    except IntegrityError as clash:  # a double click: the first one recorded it
        raise ValidationError(_("该事项已申请过同一级的复查（复核）。")) from clash
    transaction.on_commit(lambda: _tell_deciders(review))
    return review


@transaction.atomic
def help_request_review_decide(
    *, actor: Any, review: RequestReview, decision: str, text: str
) -> RequestReview:
    """The unit above records its review (re-review) opinion: upheld, or changed (with the new
    handling opinion in ``text``)."""
    review = RequestReview.objects.select_for_update().select_related("request").get(pk=review.pk)
    if actor is not None and not actor.has_action(HANDLE, review.org):
        raise PermissionDenied(_("复查（复核）意见须由受理复查（复核）的单位作出。"))
    if review.decided_on is not None:
        raise ValidationError(_("该复查（复核）已作出意见，不能重复决定。"))
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": [_("请选择复查（复核）意见。")]})
    text = text.strip()
    if not text:
        raise ValidationError({"decision_text": [_("请写明意见和理由。")]})
    review.decision, review.decision_text = decision, text
    review.decided_on, review.decided_by = timezone.localdate(), actor
    review.save()
    if decision == ReviewDecision.REDO:
        help_request_redo(actor=actor, request=review.request, review=review, text=text)
    return review


def _tell_deciders(review: RequestReview) -> None:
    posts = (
        Post.objects.current()
        .filter(org=review.org, is_active=True, user__is_active=True)
        .select_related("role", "user")
    )
    recipients = {post.user_id: post.user for post in posts if HANDLE in (post.role.actions or [])}
    if not recipients:
        return
    notify(
        recipients=list(recipients.values()),
        subject=_("%(level)s申请：%(number)s")
        % {"level": review.get_level_display(), "number": review.request.number},
        body=_("请在 %(due)s 前作出意见。") % {"due": review.due_on.isoformat()},
        link=reverse("rights:helprequest_detail", args=[review.request_id]),
    )
