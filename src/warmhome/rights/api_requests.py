"""Help requests over JSON (mounted at ``/api/rights/requests/``): the same services as the
pages; requesters masked in lists, statistics as counts only."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from warmhome.api.scoping import scope_exempt, scoped
from warmhome.core.scoping import get_for_user
from warmhome.orgs.models import OrgUnit
from warmhome.people.models import Person
from warmhome.rights import selectors_requests as selectors
from warmhome.rights import services_requests as services
from warmhome.rights.models import HelpRequest, PetitionCategory
from warmhome.rights.views_requests import requester_display, take_step
from warmhome.rights.workflow_requests import HANDLE

router = Router()

MAX_LIMIT = 200
VIEW = "rights.request_view"


class RequestOut(Schema):
    id: int
    number: str
    requester: str
    category: str
    topic: str
    channel: str
    org_id: int
    org_name: str
    state: str
    state_label: str
    version: int
    received_on: datetime.date
    due_at: datetime.date | None


class RequestPage(Schema):
    items: list[RequestOut]
    count: int


class TimelineOut(Schema):
    at: datetime.datetime
    transition: str
    to_state: str
    comment: str


class RequestDetailOut(RequestOut):
    content: str
    accepted_on: datetime.date | None
    outcome: str
    reply_text: str
    replied_on: datetime.date | None
    reply_channel: str
    satisfaction: str
    transfers: list[dict[str, Any]]
    timeline: list[TimelineOut]


class IntakeIn(Schema):
    channel: str
    category_id: int
    content: str
    person_id: int | None = None
    community_id: int | None = None
    requester_name: str = ""
    requester_phone: str = ""
    requester_address: str = ""
    referral_source: str = ""
    referral_ref: str = ""
    received_on: datetime.date | None = None


class StepIn(Schema):
    version: int
    comment: str = ""
    to_org_id: int | None = None
    days: int | None = None
    reply_text: str = ""
    reply_channel: str = ""
    outcome: str = ""
    replied_on: datetime.date | None = None
    satisfaction: str = ""
    followup_note: str = ""


class CountOut(Schema):
    key: str
    count: int


class CategoryCountOut(Schema):
    category: str
    count: int
    children: list[dict[str, Any]]


class StatisticsOut(Schema):
    start: datetime.date
    end: datetime.date
    total: int
    overdue: int
    by_category: list[CategoryCountOut]
    by_channel: list[CountOut]
    by_state: list[CountOut]
    by_outcome: list[CountOut]
    by_satisfaction: list[CountOut]


def _out(item: HelpRequest, viewer: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "number": item.number,
        "requester": requester_display(item, viewer)["name"],
        "category": str(item.category),
        "topic": item.category.topic,
        "channel": item.channel,
        "org_id": item.org_id,
        "org_name": item.org.name,
        "state": item.state,
        "state_label": str(item.state_label),
        "version": item.version,
        "received_on": item.received_on,
        "due_at": item.due_at,
    }


def _detail(item: HelpRequest, viewer: Any) -> dict[str, Any]:
    page = selectors.request_page(viewer, item)
    return {
        **_out(item, viewer),
        "content": item.content,
        "accepted_on": item.accepted_on,
        "outcome": item.outcome,
        "reply_text": item.reply_text,
        "replied_on": item.replied_on,
        "reply_channel": item.reply_channel,
        "satisfaction": item.satisfaction,
        "transfers": [
            {
                "from_org": transfer.from_org.name,
                "to_org": transfer.to_org.name,
                "reason": transfer.reason,
                "at": transfer.created_at.isoformat(),
            }
            for transfer in page["transfers"]
        ],
        "timeline": [
            {
                "at": entry.at,
                "transition": str(entry.transition),
                "to_state": str(entry.to_state),
                "comment": entry.comment,
            }
            for entry in page["timeline"]
        ],
    }


def _requests() -> Any:
    return HelpRequest.objects.select_related(
        "org", "category", "category__parent", "person", "person__org"
    )


@router.get("/", response=RequestPage, summary="求助信访事项列表（求助人脱敏）")
@scoped(HelpRequest)
def list_requests(
    request: HttpRequest, state: str = "", offset: int = 0, limit: int = 50
) -> dict[str, Any]:
    items = _requests().visible_to(request.user, VIEW).order_by("-received_on", "-pk")
    if state:
        items = items.filter(state=state)
    limit = max(1, min(limit, MAX_LIMIT))
    page = list(items[max(0, offset) : max(0, offset) + limit])
    return {"items": [_out(item, request.user) for item in page], "count": items.count()}


@router.get("/statistics", response=StatisticsOut, summary="求助信访匿名统计（只含件数）")
@scope_exempt("counts only, through request_statistics, which reads visible_to(request_export)")
def statistics(
    request: HttpRequest, start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[str, Any]:
    user: Any = request.user
    if not user.has_action(selectors.EXPORT):
        raise HttpError(403, _("您没有查看求助信访统计的权限。"))
    today = timezone.localdate()
    stats = selectors.request_statistics(
        user, start=start or today.replace(month=1, day=1), end=end or today
    )
    return stats.as_dict()


@router.get("/{pk}", response=RequestDetailOut, summary="单件求助信访事项（含办理记录）")
@scoped(HelpRequest)
def get_request(request: HttpRequest, pk: int) -> dict[str, Any]:
    item = get_for_user(_requests(), request.user, pk, VIEW)
    return _detail(item, request.user)


def _intake_probe(record: Any) -> dict[str, Any]:
    return {
        "channel": "hotline",
        "category_id": record.category_id,
        "content": "探测",
        "community_id": record.community_id,
        "requester_name": "探测",
        "requester_phone": "13800138000",
    }


@router.post("/", response={201: RequestOut}, summary="登记求助信访事项（按所在社区分派）")
@scoped(HelpRequest, probe=_intake_probe)
def create_request(request: HttpRequest, payload: IntakeIn) -> Status:
    user: Any = request.user
    person = None
    if payload.person_id is not None:
        person = get_for_user(
            Person.objects.current().select_related("org"), user, payload.person_id, "people.view"
        )
    community = None
    if payload.community_id is not None:
        community = OrgUnit.objects.filter(pk=payload.community_id, is_active=True).first()
        if community is None:
            raise HttpError(422, _("所在社区不存在。"))
        # Intake into a community outside the user's scope answers like a missing one.
        if not user.has_action(HANDLE, community):
            raise HttpError(404, _("未找到该记录，或您无权查看。"))
    category = PetitionCategory.objects.filter(pk=payload.category_id).first()
    if category is None:
        raise HttpError(422, _("信访类别不存在。"))
    made = services.help_request_receive(
        actor=user,
        channel=payload.channel,
        category=category,
        content=payload.content,
        person=person,
        community=community,
        requester_name=payload.requester_name,
        requester_phone=payload.requester_phone,
        requester_address=payload.requester_address,
        referral_source=payload.referral_source,
        referral_ref=payload.referral_ref,
        received_on=payload.received_on,
    )
    return Status(201, _out(made, user))


def _step_probe(record: Any) -> dict[str, Any]:
    return {"version": record.version}


def _step(request: HttpRequest, pk: int, name: str, payload: StepIn) -> dict[str, Any]:
    item = get_for_user(_requests(), request.user, pk, HANDLE)
    data = payload.dict()
    to_org_id = data.pop("to_org_id")
    if name == "transfer":
        data["to_org"] = OrgUnit.objects.filter(pk=to_org_id, is_active=True).first()
    take_step(request.user, item, name, data)
    visible = _requests().visible_to(request.user, VIEW).filter(pk=pk).first()
    if visible is None:  # transferred out of the user's scope
        item.refresh_from_db()
        return _detail(item, request.user)
    return _detail(visible, request.user)


@router.post("/{pk}/accept", response=RequestDetailOut, summary="受理")
@scoped(HelpRequest, probe=_step_probe)
def accept(request: HttpRequest, pk: int, payload: StepIn) -> dict[str, Any]:
    return _step(request, pk, "accept", payload)


@router.post("/{pk}/not-accept", response=RequestDetailOut, summary="不予受理（须说明理由）")
@scoped(HelpRequest, probe=_step_probe)
def not_accept(request: HttpRequest, pk: int, payload: StepIn) -> dict[str, Any]:
    return _step(request, pk, "not_accept", payload)


@router.post("/{pk}/transfer", response=RequestDetailOut, summary="转办至其他组织（须说明理由）")
@scoped(HelpRequest, probe=_step_probe)
def transfer(request: HttpRequest, pk: int, payload: StepIn) -> dict[str, Any]:
    return _step(request, pk, "transfer", payload)


@router.post("/{pk}/start", response=RequestDetailOut, summary="开始办理")
@scoped(HelpRequest, probe=_step_probe)
def start(request: HttpRequest, pk: int, payload: StepIn) -> dict[str, Any]:
    return _step(request, pk, "start", payload)


@router.post("/{pk}/extend", response=RequestDetailOut, summary="延期（上一级批准，须说明理由）")
@scoped(HelpRequest, probe=_step_probe)
def extend(request: HttpRequest, pk: int, payload: StepIn) -> dict[str, Any]:
    return _step(request, pk, "extend", payload)


@router.post("/{pk}/reply", response=RequestDetailOut, summary="答复求助人")
@scoped(HelpRequest, probe=_step_probe)
def reply(request: HttpRequest, pk: int, payload: StepIn) -> dict[str, Any]:
    return _step(request, pk, "reply", payload)


@router.post("/{pk}/follow-up", response=RequestDetailOut, summary="回访：办结，或不满意时重新办理")
@scoped(HelpRequest, probe=_step_probe)
def follow_up(
    request: HttpRequest, pk: int, payload: StepIn, reopen: bool = False
) -> dict[str, Any]:
    return _step(request, pk, "reopen" if reopen else "close", payload)
