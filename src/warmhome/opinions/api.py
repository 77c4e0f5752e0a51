"""Opinions over JSON: submit, list and statistics, through the same services as the pages.
Submitters are never named in full: the list shows them masked."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from warmhome.api.scoping import scope_exempt, scoped
from warmhome.core.masking import mask_name
from warmhome.core.scoping import get_for_user
from warmhome.opinions import selectors, services
from warmhome.opinions.models import Opinion
from warmhome.opinions.topics import Topic
from warmhome.orgs.models import OrgUnit

router = Router()

MAX_LIMIT = 200


class OpinionIn(Schema):
    org_id: int
    channel: str
    text: str
    anonymous: bool = False
    source_ref: str = ""
    occurred_at: datetime.datetime | None = None


class OpinionOut(Schema):
    id: int
    org_id: int
    org_name: str
    channel: str
    submitter: str
    occurred_at: datetime.datetime
    text: str
    topic: str
    topic_label: str
    confidence: float
    label_source: str
    needs_review: bool


class OpinionPage(Schema):
    items: list[OpinionOut]
    count: int


class StatisticsOut(Schema):
    org_id: int
    year: int
    months: list[int]
    series: dict[str, list[int]]
    totals: list[int]
    to_check: int


def _submitter(opinion: Opinion) -> str:
    if opinion.anonymous:
        return ""
    if opinion.submitter is not None:
        return mask_name(opinion.submitter.display_name or opinion.submitter.username)
    return mask_name(opinion.submitter_name)


def _out(opinion: Opinion) -> dict[str, Any]:
    return {
        "id": opinion.pk,
        "org_id": opinion.org_id,
        "org_name": opinion.org.name,
        "channel": opinion.channel,
        "submitter": _submitter(opinion),
        "occurred_at": opinion.occurred_at,
        "text": opinion.text,
        "topic": opinion.topic,
        "topic_label": str(Topic(opinion.topic).label),
        "confidence": opinion.confidence,
        "label_source": opinion.label_source,
        "needs_review": opinion.needs_review,
    }


def _submit_probe(record: Any) -> dict[str, Any]:
    return {"org_id": record.org_id, "channel": "visit", "text": "探测：社区路灯坏了"}


@router.post("/opinions", response={201: OpinionOut}, summary="提交一条妇情民意（自动分类）")
@scoped(Opinion, probe=_submit_probe)
def submit_opinion(request: HttpRequest, payload: OpinionIn) -> Status:
    user: Any = request.user
    action = "opinions.change" if user.has_action("opinions.change") else "opinions.submit"
    org = get_for_user(OrgUnit.objects.all(), user, payload.org_id, action)
    opinion = services.opinion_submit(
        actor=user,
        channel=payload.channel,
        text=payload.text,
        org=org,
        anonymous=payload.anonymous,
        source_ref=payload.source_ref or None,
        occurred_at=payload.occurred_at,
    )
    return Status(201, _out(opinion))


@router.get("/opinions", response=OpinionPage, summary="妇情民意列表（反映人脱敏）")
@scoped(Opinion)
def list_opinions(
    request: HttpRequest,
    topic: str = "",
    to_check: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> dict[str, Any]:
    opinions = (
        Opinion.objects.visible_to(request.user)
        .select_related("org", "submitter")
        .order_by("-occurred_at", "-pk")
    )
    if topic:
        opinions = opinions.filter(topic=topic)
    if to_check:
        opinions = opinions.filter(needs_review=True)
    limit = max(1, min(limit, MAX_LIMIT))
    page = list(opinions[max(0, offset) : max(0, offset) + limit])
    return {"items": [_out(item) for item in page], "count": opinions.count()}


@router.get("/opinions/{pk}", response=OpinionOut, summary="单条妇情民意")
@scoped(Opinion)
def get_opinion(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _out(get_for_user(Opinion.objects.select_related("org", "submitter"), request.user, pk))


@router.get("/statistics", response=StatisticsOut, summary="各月各主题件数（按组织范围）")
@scope_exempt("aggregates through visible_to; the unit is fetched with get_for_user (404 outside)")
def statistics(request: HttpRequest, org_id: int, year: int) -> dict[str, Any]:
    unit = get_for_user(OrgUnit.objects.all(), request.user, org_id, "opinions.view")
    opinions = selectors.within(Opinion.objects.visible_to(request.user), unit)
    trend = selectors.year_trend(opinions, year)
    return {
        "org_id": unit.pk,
        "year": year,
        "months": trend.months,
        "series": trend.series,
        "totals": trend.totals,
        "to_check": opinions.filter(needs_review=True).count(),
    }
