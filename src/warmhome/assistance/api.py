"""Assistance and the relief fund over JSON: the same services as the pages, persons masked."""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from warmhome.api.scoping import scoped
from warmhome.assistance import selectors, services_fund
from warmhome.assistance.models import AssistancePlan, FundBudget, ReliefApplication, ReliefFund
from warmhome.assistance.views_fund import _take
from warmhome.core.scoping import get_for_user
from warmhome.people.models import Person
from warmhome.people.rendering import render_person

router = Router()

MAX_LIMIT = 200


class ApplicationOut(Schema):
    id: int
    person: str
    org_id: int
    org_name: str
    hardship: str
    amount_requested: Decimal
    amount_approved: Decimal | None
    is_urgent: bool
    state: str
    state_label: str
    version: int
    year: int


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    count: int


class LedgerOut(Schema):
    id: int
    kind: str
    amount_delta: Decimal
    committed_delta: Decimal
    paid_delta: Decimal
    at: datetime.datetime


class ApplicationDetailOut(ApplicationOut):
    ledger: list[LedgerOut]
    received_this_year: Decimal


class ApplicationIn(Schema):
    fund_id: int
    person_id: int
    hardship: str
    description: str
    amount_requested: Decimal
    is_urgent: bool = False


class TransitionIn(Schema):
    transition: str
    version: int
    comment: str = ""
    amount_approved: Decimal | None = None
    meeting_ref: str = ""
    attendees: str = ""
    decision: str = ""
    method: str = ""
    voucher_number: str = ""
    amount: Decimal | None = None
    recipient_confirmed: bool = False
    confirmation_note: str = ""
    paid_on: datetime.date | None = None


class BudgetOut(Schema):
    id: int
    fund: str
    year: int
    org_id: int
    org_name: str
    amount: Decimal
    committed: Decimal
    paid: Decimal
    available: Decimal
    reconciled: bool


class PlanOut(Schema):
    id: int
    person: str
    category: str
    org_id: int
    next_followup_on: datetime.date | None
    closed_on: datetime.date | None


def _application_out(application: ReliefApplication, viewer: Any) -> dict[str, Any]:
    return {
        "id": application.pk,
        "person": render_person(application.person, viewer=viewer, context="list").name,
        "org_id": application.org_id,
        "org_name": application.org.name,
        "hardship": application.hardship,
        "amount_requested": application.amount_requested,
        "amount_approved": application.amount_approved,
        "is_urgent": application.is_urgent,
        "state": application.state,
        "state_label": str(application.state_label),
        "version": application.version,
        "year": application.year,
    }


def _applications() -> Any:
    return ReliefApplication.objects.select_related("person", "person__org", "org")


@router.get("/applications", response=ApplicationPage, summary="救助申请列表（姓名脱敏）")
@scoped(ReliefApplication)
def list_applications(
    request: HttpRequest, state: str = "", offset: int = 0, limit: int = 50
) -> dict[str, Any]:
    applications = _applications().visible_to(request.user).order_by("-created_at", "-pk")
    if state:
        applications = applications.filter(state=state)
    limit = max(1, min(limit, MAX_LIMIT))
    page = list(applications[max(0, offset) : max(0, offset) + limit])
    return {
        "items": [_application_out(item, request.user) for item in page],
        "count": applications.count(),
    }


def _detail(application: ReliefApplication, viewer: Any) -> dict[str, Any]:
    received = selectors.received_this_year(application)
    return {
        **_application_out(application, viewer),
        "ledger": [
            {
                "id": entry.pk,
                "kind": entry.kind,
                "amount_delta": entry.amount_delta,
                "committed_delta": entry.committed_delta,
                "paid_delta": entry.paid_delta,
                "at": entry.created_at,
            }
            for entry in application.ledger_entries.order_by("pk")
        ],
        "received_this_year": received.relief_total,
    }


@router.get(
    "/applications/{pk}", response=ApplicationDetailOut, summary="单件救助申请（含台账记录）"
)
@scoped(ReliefApplication)
def get_application(request: HttpRequest, pk: int) -> dict[str, Any]:
    application = get_for_user(_applications(), request.user, pk)
    return _detail(application, request.user)


def _file_probe(record: Any) -> dict[str, Any]:
    return {
        "fund_id": record.fund_id,
        "person_id": record.person_id,
        "hardship": "illness",
        "description": "探测",
        "amount_requested": "1.00",
    }


@router.post("/applications", response={201: ApplicationOut}, summary="提出救助申请（一事一议）")
@scoped(ReliefApplication, probe=_file_probe)
def file_application(request: HttpRequest, payload: ApplicationIn) -> Status:
    person = get_for_user(
        Person.objects.current().select_related("org"),
        request.user,
        payload.person_id,
        "assistance.apply",
    )
    fund = ReliefFund.objects.get(pk=payload.fund_id)
    membership = person.memberships.select_related("household").first()
    application = services_fund.application_file(
        actor=request.user,
        fund=fund,
        person=person,
        household=membership.household if membership else None,
        hardship=payload.hardship,
        description=payload.description,
        amount_requested=payload.amount_requested,
        is_urgent=payload.is_urgent,
    )
    return Status(201, _application_out(application, request.user))


def _transition_probe(record: Any) -> dict[str, Any]:
    return {"transition": "community_submit", "version": record.version}


@router.post(
    "/applications/{pk}/transition",
    response=ApplicationDetailOut,
    summary="办理救助申请的一个步骤（审核、审批、发放、追认、退回）",
)
@scoped(ReliefApplication, probe=_transition_probe)
def transition_application(request: HttpRequest, pk: int, payload: TransitionIn) -> dict[str, Any]:
    application = get_for_user(_applications(), request.user, pk)
    data = payload.dict()
    _take(request.user, application, data.pop("transition"), data)
    application.refresh_from_db()
    return _detail(application, request.user)


def _budget_out(budget: FundBudget) -> dict[str, Any]:
    return {
        "id": budget.pk,
        "fund": budget.fund.name,
        "year": budget.year,
        "org_id": budget.org_id,
        "org_name": budget.org.name,
        "amount": budget.amount,
        "committed": budget.committed,
        "paid": budget.paid,
        "available": budget.available,
        "reconciled": selectors.budget_reconciliation(budget).balanced,
    }


@router.get("/budgets", response=list[BudgetOut], summary="救助金年度预算（含可用余额与台账核对）")
@scoped(FundBudget)
def list_budgets(request: HttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    budgets = FundBudget.objects.visible_to(request.user).select_related("fund", "org")
    if year is not None:
        budgets = budgets.filter(year=year)
    return [_budget_out(budget) for budget in budgets[:MAX_LIMIT]]


@router.get("/budgets/{pk}", response=BudgetOut, summary="单个年度预算")
@scoped(FundBudget)
def get_budget(request: HttpRequest, pk: int) -> dict[str, Any]:
    budget = get_for_user(FundBudget.objects.select_related("fund", "org"), request.user, pk)
    return _budget_out(budget)


@router.get("/plans", response=list[PlanOut], summary="帮扶计划（姓名脱敏）")
@scoped(AssistancePlan)
def list_plans(request: HttpRequest, offset: int = 0, limit: int = 50) -> list[dict[str, Any]]:
    plans = (
        AssistancePlan.objects.visible_to(request.user)
        .select_related("person", "person__org", "category")
        .order_by("next_followup_on", "pk")
    )
    limit = max(1, min(limit, MAX_LIMIT))
    return [
        {
            "id": plan.pk,
            "person": render_person(plan.person, viewer=request.user, context="list").name,
            "category": plan.category.name,
            "org_id": plan.org_id,
            "next_followup_on": plan.next_followup_on,
            "closed_on": plan.closed_on,
        }
        for plan in plans[max(0, offset) : max(0, offset) + limit]
    ]
