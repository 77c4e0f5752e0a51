"""Review (复查) and re-review (复核) of a replied help request by the levels above."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import help_request, user_with_post
from warmhome.core.todo import items_for
from warmhome.rights.models import RequestReview
from warmhome.rights.services_requests import help_request_accept, help_request_reply
from warmhome.rights.services_reviews import (
    help_request_review_decide,
    help_request_review_request,
)

pytestmark = pytest.mark.django_db


def _replied(tree: Tree, personas: Personas, replied_on: datetime.date | None = None):
    request = help_request(tree.community_a1)
    cadre = personas.community_a1_cadre
    request = help_request_accept(actor=cadre, request=request)
    return help_request_reply(
        actor=cadre,
        request=request,
        text="已调解",
        channel="phone",
        outcome="solved",
        replied_on=replied_on or timezone.localdate(),
    )


def test_a_review_goes_to_the_unit_above_and_a_re_review_above_that(tree: Tree, personas: Personas):
    request = _replied(tree, personas)
    district_rights = user_with_post("district_rights", tree.district, "district_staff_rights")

    review = help_request_review_request(
        actor=personas.community_a1_cadre, request=request, reason="对调解结果不服"
    )
    assert (review.level, review.org) == ("review", tree.street_a)
    assert review.due_on == timezone.localdate() + datetime.timedelta(days=30)
    assert [item.title for item in items_for(personas.street_a_cadre) if "复查" in item.title]
    with pytest.raises(PermissionDenied):
        help_request_review_decide(
            actor=personas.community_a1_cadre, review=review, decision="upheld", text="维持"
        )
    help_request_review_decide(
        actor=personas.street_a_cadre, review=review, decision="upheld", text="维持原意见"
    )

    rereview = help_request_review_request(
        actor=personas.community_a1_cadre, request=request, reason="仍不服"
    )
    assert (rereview.level, rereview.org) == ("rereview", tree.district)
    help_request_review_decide(
        actor=district_rights, review=rereview, decision="changed", text="改为补发救助"
    )
    with pytest.raises(ValidationError, match="最终意见"):
        help_request_review_request(
            actor=personas.community_a1_cadre, request=request, reason="第三次"
        )


def test_late_early_and_double_applications_are_refused_with_the_reason(
    tree: Tree, personas: Personas
):
    cadre = personas.community_a1_cadre
    unanswered = help_request(tree.community_a1)
    with pytest.raises(ValidationError, match="尚未答复"):
        help_request_review_request(actor=cadre, request=unanswered, reason="不服")

    late = _replied(tree, personas, replied_on=timezone.localdate() - datetime.timedelta(days=31))
    with pytest.raises(ValidationError, match="已超过申请期限"):
        help_request_review_request(actor=cadre, request=late, reason="不服")

    request = _replied(tree, personas)
    help_request_review_request(actor=cadre, request=request, reason="不服")
    with pytest.raises(ValidationError, match="正等待 解放路街道 作出意见"):
        help_request_review_request(actor=cadre, request=request, reason="不服")
    assert RequestReview.objects.filter(request=request).count() == 1


def test_a_decision_is_taken_once_and_needs_its_reason(tree: Tree, personas: Personas):
    request = _replied(tree, personas)
    review = help_request_review_request(
        actor=personas.community_a1_cadre, request=request, reason="不服"
    )
    with pytest.raises(ValidationError):
        help_request_review_decide(
            actor=personas.street_a_cadre, review=review, decision="upheld", text=" "
        )
    help_request_review_decide(
        actor=personas.street_a_cadre, review=review, decision="upheld", text="维持"
    )
    with pytest.raises(ValidationError, match="不能重复决定"):
        help_request_review_decide(
            actor=personas.street_a_cadre, review=review, decision="changed", text="改"
        )


def test_the_request_page_takes_the_application_and_the_decision(tree: Tree, personas: Personas):
    request = _replied(tree, personas)
    community, street = Client(), Client()
    community.force_login(personas.community_a1_cadre)
    street.force_login(personas.street_a_cadre)

    answer = community.post(
        reverse("rights:helprequest_review", args=[request.pk]), {"reason": "不服答复"}
    )
    assert answer.status_code == 302
    review = RequestReview.objects.get()
    page = street.get(request.get_absolute_url()).content.decode()
    assert reverse("rights:requestreview_decide", args=[review.pk]) in page
    assert (
        reverse("rights:requestreview_decide", args=[review.pk])
        not in community.get(request.get_absolute_url()).content.decode()
    )

    prefix = f"review{review.pk}"
    street.post(
        reverse("rights:requestreview_decide", args=[review.pk]),
        {f"{prefix}-decision": "upheld", f"{prefix}-decision_text": "维持原处理意见"},
    )
    review.refresh_from_db()
    assert (review.decision, review.decided_by) == ("upheld", personas.street_a_cadre)
    other_street = Client()
    other_street.force_login(personas.street_b_cadre)
    assert (
        other_street.post(reverse("rights:requestreview_decide", args=[review.pk]), {}).status_code
        == 404
    )


def test_a_review_that_orders_the_handling_redone_sends_the_request_back(
    tree: Tree, personas: Personas, django_capture_on_commit_callbacks
):
    from warmhome.core.models import TransitionLog
    from warmhome.notifications.models import Message
    from warmhome.rights.services_requests import help_request_follow_up, help_request_redo

    cadre = personas.community_a1_cadre
    request = _replied(tree, personas)
    request = help_request_follow_up(actor=cadre, request=request, satisfaction="satisfied")
    assert request.state == "closed"
    review = help_request_review_request(actor=cadre, request=request, reason="调解不公")

    with pytest.raises(ValidationError, match="正等待"):
        help_request_review_request(actor=cadre, request=request, reason="再次")
    with django_capture_on_commit_callbacks(execute=True):
        help_request_review_decide(
            actor=personas.street_a_cadre,
            review=review,
            decision="redo",
            text="事实不清，重新调查",
        )

    request.refresh_from_db()
    assert request.state == "handling"
    assert request.closed_on is None
    assert request.due_at == timezone.localdate() + datetime.timedelta(days=60)
    last = TransitionLog.objects.filter(object_id=request.pk).order_by("-at", "-id").first()
    assert (last.transition, last.comment) == ("redo", "事实不清，重新调查")
    assert Message.objects.filter(recipient=cadre, subject__contains="复查责令重新办理").exists()
    # No re-review before the new reply; after it, the re-review is of the new reply.
    with pytest.raises(ValidationError, match="重新答复后才能申请复核"):
        help_request_review_request(actor=cadre, request=request, reason="仍不服")
    request = help_request_reply(
        actor=cadre, request=request, text="重新调查后答复", channel="phone", outcome="solved"
    )
    with pytest.raises(ValidationError, match="只有复查（复核）意见才能责令重新办理"):
        help_request_redo(actor=personas.street_a_cadre, request=request, review=review, text="再")
    rereview = help_request_review_request(actor=cadre, request=request, reason="仍不服")
    assert (rereview.level, rereview.org) == ("rereview", tree.district)


def test_redo_is_no_step_of_the_request_page(tree: Tree, personas: Personas):
    from warmhome.core.workflows.errors import TransitionError
    from warmhome.core.workflows.services import transition_apply

    request = _replied(tree, personas)
    street = Client()
    street.force_login(personas.street_a_cadre)

    page = street.get(request.get_absolute_url()).content.decode()
    refused = street.post(
        reverse("rights:helprequest_step", args=[request.pk]),
        {"transition": "redo", "comment": "x", "version": request.version},
    )

    assert 'value="redo"' not in page
    assert "未知的办理步骤" in refused.content.decode()
    with pytest.raises(TransitionError, match="只有复查（复核）意见才能责令重新办理"):
        transition_apply(
            actor=personas.street_a_cadre,
            record=request,
            transition="redo",
            comment="x",
            fields={"review": "复查"},
        )
