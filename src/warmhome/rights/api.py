"""DV cases over JSON, under the same confidentiality as the pages: a case (and its orders) is
reached only through ``visible_to(user, action)``, so outside the team every answer is 404 and
leaves an audit line. Writes go through the same services. The victim is drawn masked."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from warmhome.api.scoping import scoped
from warmhome.core.scoping import get_for_user
from warmhome.people.rendering import render_person
from warmhome.rights import selectors, services_measures, services_orders
from warmhome.rights.confidentiality import team_reason
from warmhome.rights.models import CaseFollowUp, DvCase, ProtectionOrder

router = Router()

MAX_LIMIT = 200


class CaseOut(Schema):
    id: int
    number: str
    status: str
    risk_band: str
    opened_on: datetime.date
    org_id: int
    victim: str


class CasePage(Schema):
    items: list[CaseOut]
    count: int


class OrderEventOut(Schema):
    kind: str
    happened_on: datetime.date
    reported_to: str


class OrderOut(Schema):
    id: int
    state: str
    state_label: str
    applicant_kind: str
    court: str
    is_urgent: bool
    measures_requested: list[str]
    applied_on: datetime.date
    accepted_at: datetime.datetime | None
    ruling_due_at: datetime.datetime | None
    order_number: str
    measures_granted: list[str]
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    pending_change: str
    events: list[OrderEventOut]


class FollowUpOut(Schema):
    id: int
    followed_on: datetime.date
    way: str
    note: str
    next_on: datetime.date | None


class CaseDetailOut(CaseOut):
    orders: list[OrderOut]
    followups: list[FollowUpOut]


class FollowUpIn(Schema):
    followed_on: datetime.date
    way: str
    note: str = ""
    next_on: datetime.date | None = None


class OrderApplyIn(Schema):
    applicant_kind: str
    court: str
    measures_requested: list[str]
    is_urgent: bool = False
    other_measure: str = ""
    applied_on: datetime.date | None = None


class OrderEventIn(Schema):
    """One step: ``accept`` (accepted_at), ``issue`` (order_number, measures_granted,
    valid_from, valid_until), ``refuse`` (ruled_on), ``reconsider`` (requested_on), ``withdraw``
    (withdrawn_on), ``change`` (kind, requested_on), ``decide`` (granted, decided_on,
    valid_until / measures_granted), ``violation`` (occurred_on, description, reported_to)."""

    step: str
    note: str = ""
    accepted_at: datetime.datetime | None = None
    order_number: str = ""
    measures_granted: list[str] = []
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    ruled_on: datetime.date | None = None
    requested_on: datetime.date | None = None
    withdrawn_on: datetime.date | None = None
    kind: str = ""
    granted: bool = False
    decided_on: datetime.date | None = None
    occurred_on: datetime.date | None = None
    description: str = ""
    reported_to: str = ""


def _case_out(case: DvCase, viewer: Any, *, detail: bool = False) -> dict[str, Any]:
    # The detail shows the team her real name, audited, as the case page does; lists never.
    victim = render_person(
        case.victim,
        viewer=viewer,
        context="detail" if detail else "list",
        team_reason=team_reason(case) if detail else "",
    )
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "risk_band": case.risk_band,
        "opened_on": case.opened_on,
        "org_id": case.org_id,
        "victim": victim.name,
    }


def _order_out(order: ProtectionOrder) -> dict[str, Any]:
    return {
        "id": order.pk,
        "state": order.state,
        "state_label": str(order.get_state_display()),
        "applicant_kind": order.applicant_kind,
        "court": order.court,
        "is_urgent": order.is_urgent,
        "measures_requested": order.measures_requested,
        "applied_on": order.applied_on,
        "accepted_at": order.accepted_at,
        "ruling_due_at": order.ruling_due_at,
        "order_number": order.order_number,
        "measures_granted": order.measures_granted,
        "valid_from": order.valid_from,
        "valid_until": order.valid_until,
        "pending_change": order.pending_change,
        "events": [
            {"kind": event.kind, "happened_on": event.happened_on, "reported_to": event.reported_to}
            for event in order.events.all()
        ],
    }


def _followup_out(followup: CaseFollowUp) -> dict[str, Any]:
    return {
        "id": followup.pk,
        "followed_on": followup.followed_on,
        "way": followup.way,
        "note": followup.note,
        "next_on": followup.next_on,
    }


@router.get("/cases", response=CasePage, summary="我承办的反家暴个案（受害人姓名脱敏）")
@scoped(DvCase)
def list_cases(request: HttpRequest, offset: int = 0, limit: int = 50) -> dict[str, Any]:
    cases = selectors.dv_case_list(request.user)
    limit = max(1, min(limit, MAX_LIMIT))
    page = list(cases[max(0, offset) : max(0, offset) + limit])
    return {"items": [_case_out(case, request.user) for case in page], "count": cases.count()}


def _cases() -> Any:
    return DvCase.objects.select_related("org", "victim", "victim__org")


@router.get("/cases/{pk}", response=CaseDetailOut, summary="单个反家暴个案（含保护令与回访）")
@scoped(DvCase)
def get_case(request: HttpRequest, pk: int) -> dict[str, Any]:
    case = get_for_user(_cases(), request.user, pk, "rights.view")
    selectors.dv_case_page(request.user, case)  # writes the access log, as the page does
    orders = case.protection_orders.prefetch_related("events").order_by("-applied_on", "-pk")
    return {
        **_case_out(case, request.user, detail=True),
        "orders": [_order_out(order) for order in orders],
        "followups": [
            _followup_out(item) for item in case.followups.order_by("-followed_on", "-pk")
        ],
    }


def _followup_probe(case: Any) -> dict[str, Any]:
    return {"followed_on": datetime.date(2026, 3, 2).isoformat(), "way": "phone"}


@router.post("/cases/{pk}/followups", response={201: FollowUpOut}, summary="记录个案回访")
@scoped(DvCase, probe=_followup_probe)
def add_followup(request: HttpRequest, pk: int, payload: FollowUpIn) -> Status:
    case = get_for_user(_cases(), request.user, pk, "rights.change")
    followup = services_measures.case_followup_record(
        actor=request.user, case=case, **payload.dict()
    )
    return Status(201, _followup_out(followup))


def _apply_probe(case: Any) -> dict[str, Any]:
    return {
        "applicant_kind": "victim",
        "court": "历下区人民法院",
        "measures_requested": ["forbid_violence"],
    }


@router.post(
    "/cases/{pk}/orders", response={201: OrderOut}, summary="申请人身安全保护令（登记申请）"
)
@scoped(DvCase, probe=_apply_probe)
def apply_order(request: HttpRequest, pk: int, payload: OrderApplyIn) -> Status:
    case = get_for_user(_cases(), request.user, pk, "rights.change")
    order = services_orders.protection_order_apply(actor=request.user, case=case, **payload.dict())
    return Status(201, _order_out(order))


#: step → (service, the payload fields it takes)
_STEPS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "accept": (services_orders.protection_order_accept, ("accepted_at",)),
    "issue": (
        services_orders.protection_order_issue,
        ("order_number", "measures_granted", "valid_from", "valid_until"),
    ),
    "refuse": (services_orders.protection_order_refuse, ("ruled_on", "note")),
    "reconsider": (services_orders.protection_order_reconsider, ("requested_on", "note")),
    "withdraw": (services_orders.protection_order_withdraw, ("withdrawn_on", "note")),
    "change": (services_orders.protection_order_request_change, ("kind", "requested_on", "note")),
    "decide": (
        services_orders.protection_order_decide_change,
        ("granted", "decided_on", "valid_until", "measures_granted", "note"),
    ),
    "violation": (
        services_orders.protection_order_report_violation,
        ("occurred_on", "description", "reported_to"),
    ),
}
#: fields a step cannot do without (the others have the services' defaults)
_REQUIRED = {
    "issue": ("valid_from", "valid_until"),
    "refuse": ("ruled_on",),
    "reconsider": ("requested_on",),
    "withdraw": ("withdrawn_on",),
    "change": ("requested_on",),
    "decide": ("decided_on",),
    "violation": ("occurred_on",),
}


def _event_probe(order: Any) -> dict[str, Any]:
    return {"step": "withdraw", "withdrawn_on": datetime.date(2026, 3, 2).isoformat()}


@router.post(
    "/orders/{pk}/events", response={200: OrderOut}, summary="登记保护令办理事项（受理、签发等）"
)
@scoped(ProtectionOrder, probe=_event_probe)
def record_order_event(request: HttpRequest, pk: int, payload: OrderEventIn) -> dict[str, Any]:
    order = get_for_user(
        ProtectionOrder.objects.select_related("case"), request.user, pk, "rights.change"
    )
    step = _STEPS.get(payload.step)
    if step is None:
        raise ValidationError({"step": [_("未知的办理事项。")]})
    service, fields = step
    values = payload.dict()
    for name in _REQUIRED.get(payload.step, ()):
        if values.get(name) is None:
            raise ValidationError({name: [_("此项为必填项。")]})
    arguments = {name: values[name] for name in fields if values.get(name) is not None}
    result = service(actor=request.user, order=order, **arguments)
    order = result if isinstance(result, ProtectionOrder) else order
    order.refresh_from_db()
    return _order_out(order)
