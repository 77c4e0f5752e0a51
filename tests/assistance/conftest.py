"""Fixtures of the assistance tests: a fund with a budget, the people of the approval path."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.conftest import Personas, Tree
from tests.factories import person, user_with_post
from warmhome.accounts.models import User
from warmhome.assistance import services_fund
from warmhome.assistance.models import FundBudget, ReliefFund
from warmhome.people.models import Category, Household, Person
from warmhome.people.services import household_create


@dataclass
class Path:
    community: User
    street: User
    district: User
    finance: User


@dataclass
class Relief:
    fund: ReliefFund
    budget: FundBudget
    person: Person
    household: Household
    year: int


@pytest.fixture
def path(tree: Tree, personas: Personas) -> Path:
    return make_path(tree, personas)


def make_path(tree: Tree, personas: Personas) -> Path:
    return Path(
        community=personas.community_a1_cadre,
        street=personas.street_a_cadre,
        district=user_with_post("rights", tree.district, "district_staff_rights"),
        finance=user_with_post("finance", tree.district, "finance"),
    )


def single_mother_category() -> Category:
    # get_or_create: transactional tests flush the categories the data migration seeded.
    category, _created = Category.objects.get_or_create(
        code="single_mother_hardship", defaults={"name": "单亲特困母亲"}
    )
    return category


def single_mother(unit) -> Person:
    mother = person(unit)
    mother.categories.add(single_mother_category())
    return mother


@pytest.fixture
def relief(tree: Tree, path: Path) -> Relief:
    return make_relief(tree, path)


def make_relief(tree: Tree, path: Path) -> Relief:
    fund = services_fund.fund_create(actor=path.district, org=tree.district, name="维权解困救助金")
    year = datetime.date.today().year
    budget = services_fund.budget_grant(
        actor=path.district,
        fund=fund,
        year=year,
        amount="100000.00",
        decision_ref="历妇发〔2026〕1号",
    )
    mother = single_mother(tree.community_a1)
    household = household_create(actor=None, org=tree.community_a1, address="某路1号", head=mother)
    return Relief(fund=fund, budget=budget, person=mother, household=household, year=year)


def file(relief: Relief, actor: User, amount: str = "3000.00", **values) -> object:
    values.setdefault("household", relief.household)
    return services_fund.application_file(
        actor=actor,
        fund=values.pop("fund", relief.fund),
        person=values.pop("person", relief.person),
        hardship=values.pop("hardship", "illness"),
        description=values.pop("description", "女儿住院，医疗费用负担重"),
        amount_requested=amount,
        **values,
    )


def to_district(application, path: Path):
    services_fund.application_transition(
        actor=path.community, application=application, transition="community_submit"
    )
    services_fund.application_transition(
        actor=path.street, application=application, transition="street_forward"
    )
    return application


def approve_at_district(application, path: Path, amount: str | None = None):
    return services_fund.application_approve(
        actor=path.district,
        application=application,
        amount_approved=amount or application.amount_requested,
        meeting_ref="主席办公会〔2026〕3号",
        attendees="主席、副主席、权益部部长",
        decision="同意救助",
    )


def totals(budget: FundBudget) -> tuple[Decimal, Decimal, Decimal]:
    budget.refresh_from_db()
    return budget.amount, budget.committed, budget.paid


def set_policy(key: str, value) -> None:
    """Change the value in force of a policy (saved, so the read cache is dropped)."""
    from warmhome.rules.models import Policy

    row = Policy.objects.filter(key=key).order_by("-valid_from").first()
    row.value = value
    row.save()
