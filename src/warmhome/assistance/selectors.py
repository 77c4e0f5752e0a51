"""Reads of assistance and the relief fund that span models or aggregate."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.assistance.levels import get_level_source
from warmhome.assistance.models import (
    LEVEL_SEVERITY,
    AssistancePlan,
    FollowUp,
    FundBudget,
    Hardship,
    HelpKind,
    HouseholdLevel,
    LedgerEntry,
    LedgerKind,
    Level,
    ReliefApplication,
)
from warmhome.assistance.money import ZERO
from warmhome.assistance.workflow import COUNTED_STATES
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.people.models import Category, HouseholdMember, Person
from warmhome.rules.selectors import policy_value


def eligible_hardships() -> list[str]:
    """The hardship codes the fund's rules cover (policy ``relief.eligible_hardships``)."""
    known = set(Hardship.values)
    text = str(policy_value("relief.eligible_hardships"))
    return [code.strip() for code in text.replace("，", ",").split(",") if code.strip() in known]


@dataclass(frozen=True, slots=True)
class Received:
    person_total: Decimal
    household_total: Decimal


def _household_person_ids(household: Any) -> list[int]:
    if household is None:
        return []
    return list(
        HouseholdMember.objects.filter(household=household).values_list("person_id", flat=True)
    )


def _counted(applications: Any) -> Decimal:
    total = applications.filter(state__in=COUNTED_STATES).aggregate(total=Sum("amount_approved"))
    return total["total"] or ZERO


def relief_received(
    *, person: Any, household: Any, year: int, exclude_pk: int | None = None
) -> Received:
    """What the relief fund approved or paid this year to ``person`` and to her household
    (its members' applications and the household's own), for the yearly limits.

    Not scoped: a limit counts every application, including those the actor cannot see.
    """
    applications = ReliefApplication.objects.filter(year=year)
    if exclude_pk is not None:
        applications = applications.exclude(pk=exclude_pk)
    person_total = _counted(applications.filter(person=person))
    household_total = ZERO
    if household is not None:
        members = _household_person_ids(household)
        household_total = _counted(
            applications.filter(Q(household=household) | Q(person_id__in=members))
        )
    return Received(person_total=person_total, household_total=household_total)


@dataclass
class ReceivedLine:
    when: datetime.date
    source: str
    what: str
    amount: Decimal | None
    person_pk: int


@dataclass
class ReceivedThisYear:
    lines: list[ReceivedLine] = field(default_factory=list)
    relief_total: Decimal = ZERO
    plan_money_total: Decimal = ZERO


def received_this_year(application: ReliefApplication) -> ReceivedThisYear:
    """What the application's person and household got this year from the fund and from
    assistance plans: the approver reads it before deciding."""
    person_ids = {application.person_id, *_household_person_ids(application.household)}
    result = ReceivedThisYear()
    others = (
        ReliefApplication.objects.filter(year=application.year, fund=application.fund_id)
        .filter(Q(person_id__in=person_ids) | Q(household=application.household_id))
        .filter(state__in=COUNTED_STATES)
        .exclude(pk=application.pk)
        .order_by("created_at")
    )
    for other in others:
        result.lines.append(
            ReceivedLine(
                when=timezone.localtime(other.state_changed_at).date(),
                source=_("救助金"),
                what=f"{other} · {other.get_hardship_display()} · {other.state_label}",
                amount=other.amount_approved,
                person_pk=other.person_id,
            )
        )
        result.relief_total += other.amount_approved or ZERO
    followups = (
        FollowUp.objects.filter(plan__person_id__in=person_ids, happened_on__year=application.year)
        .exclude(help_kind=HelpKind.NONE)
        .select_related("plan")
        .order_by("happened_on")
    )
    for followup in followups:
        result.lines.append(
            ReceivedLine(
                when=followup.happened_on,
                source=_("帮扶计划"),
                what=f"{followup.get_help_kind_display()} · {followup.help_detail}",
                amount=followup.help_amount,
                person_pk=followup.plan.person_id,
            )
        )
        if followup.help_kind == HelpKind.MONEY and followup.help_amount:
            result.plan_money_total += followup.help_amount
    result.lines.sort(key=lambda line: line.when)
    return result


# --- the ledger ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reconciliation:
    amount: Decimal
    committed: Decimal
    paid: Decimal
    balanced: bool


def budget_reconciliation(budget: FundBudget) -> Reconciliation:
    """The budget's totals recomputed from its ledger, and whether they match the row."""
    sums = budget.entries.aggregate(
        amount=Sum("amount_delta"), committed=Sum("committed_delta"), paid=Sum("paid_delta")
    )
    amount = sums["amount"] or ZERO
    committed = sums["committed"] or ZERO
    paid = sums["paid"] or ZERO
    return Reconciliation(
        amount=amount,
        committed=committed,
        paid=paid,
        balanced=(amount, committed, paid) == (budget.amount, budget.committed, budget.paid),
    )


# --- reports -------------------------------------------------------------------------------------


def _street_of(org: OrgUnit, streets: dict[str, OrgUnit]) -> str:
    for path, street in streets.items():
        if org.path.startswith(path):
            return street.name
    return org.name


@dataclass
class FundUse:
    by_month: dict[int, Decimal]
    by_category: dict[str, Decimal]
    by_street: dict[str, Decimal]
    total: Decimal
    rows: list[LedgerEntry]


def fund_use(user: Any, year: int) -> FundUse:
    """Money paid out (returns deducted) in ``year`` by month, category and street, from the
    ledger entries ``user`` may see for ``assistance.export``."""
    entries = list(
        LedgerEntry.objects.visible_to(user, "assistance.export")
        .filter(
            budget__year=year,
            kind__in=[LedgerKind.PAY, LedgerKind.URGENT_PAY, LedgerKind.RETURN],
        )
        .select_related("org", "application__category", "application__person")
        .order_by("created_at", "pk")
    )
    streets = {
        unit.path: unit for unit in OrgUnit.objects.filter(kind=OrgKind.STREET).order_by("path")
    }
    by_month: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_street: dict[str, Decimal] = defaultdict(lambda: ZERO)
    total = ZERO
    for entry in entries:
        amount = entry.paid_delta
        month = timezone.localtime(entry.created_at).month
        category = entry.application.category if entry.application else None
        by_month[month] += amount
        by_category[category.name if category else _("未分类")] += amount
        by_street[_street_of(entry.org, streets)] += amount
        total += amount
    return FundUse(
        by_month=dict(sorted(by_month.items())),
        by_category=dict(by_category),
        by_street=dict(sorted(by_street.items())),
        total=total,
        rows=entries,
    )


def public_notice_applications(user: Any, year: int) -> list[ReliefApplication]:
    """Paid applications of ``year`` for the public-disclosure list (公示)."""
    return list(
        ReliefApplication.objects.visible_to(user, "assistance.export")
        .filter(year=year, state="paid")
        .select_related("person", "person__org", "org")
        .order_by("state_changed_at", "pk")
    )


# --- plans and coverage --------------------------------------------------------------------------


@dataclass
class CoverageRow:
    street: str
    category: str
    registered: int = 0
    covered: int = 0
    on_time: int = 0

    @property
    def covered_share(self) -> int:
        return round(100 * self.covered / self.registered) if self.registered else 0


def plan_coverage(user: Any, *, today: datetime.date | None = None) -> list[CoverageRow]:
    """Per street and vulnerable category: persons registered, covered by an open plan, and
    followed up on time (next follow-up not overdue), within what ``user`` may see."""
    day = today or timezone.localdate()
    streets = {
        unit.path: unit for unit in OrgUnit.objects.filter(kind=OrgKind.STREET).order_by("path")
    }
    categories = {
        category.pk: category.name for category in Category.objects.filter(is_active=True)
    }
    rows: dict[tuple[str, str], CoverageRow] = {}

    def row(org_path: str, category_pk: int) -> CoverageRow:
        street = next(
            (unit.name for path, unit in streets.items() if org_path.startswith(path)), _("区直")
        )
        name = categories.get(category_pk, "")
        return rows.setdefault((street, name), CoverageRow(street=street, category=name))

    memberships = Person.categories.through.objects.filter(
        person__in=Person.objects.visible_to(user, "assistance.view").current(),
        category_id__in=categories,
    ).values_list("person__org__path", "category_id")
    for org_path, category_pk in memberships:
        row(org_path, category_pk).registered += 1
    plans = (
        AssistancePlan.objects.visible_to(user, "assistance.view")
        .open()
        .values_list("org__path", "category_id", "next_followup_on")
    )
    for org_path, category_pk, next_on in plans:
        target = row(org_path, category_pk)
        target.covered += 1
        if next_on is None or next_on >= day:
            target.on_time += 1
    return sorted(rows.values(), key=lambda item: (item.street, item.category))


# --- household levels ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LevelShown:
    level: str
    label: str
    interval_days: int
    #: the reasons the viewer may read (from sources whose action she holds)
    reasons: tuple[str, ...]

    @property
    def summary(self) -> str:
        return _("%(level)s — 每 %(days)s 个工作日回访") % {
            "level": self.label,
            "days": self.interval_days,
        }


def level_interval_days(level: str | None) -> int:
    if level is None:
        return int(policy_value("assistance.followup_working_days"))
    return int(policy_value(f"assistance.level_{level}_working_days"))


def household_level(household: Any, viewer: Any) -> LevelShown | None:
    """The household's colour (its most severe active level), as ``viewer`` may see it."""
    active = list(HouseholdLevel.objects.filter(household=household).active())
    if not active:
        return None
    top = max(active, key=lambda row: LEVEL_SEVERITY[Level(row.level)])
    reasons = []
    for row in active:
        try:
            source = get_level_source(row.source)
        except LookupError:
            continue
        if viewer is not None and viewer.has_action(source.reason_action, household.org):
            reasons.append(f"{row.get_level_display()} · {source.label}{_('：')}{row.reason}")
    return LevelShown(
        level=top.level,
        label=str(top.get_level_display()),
        interval_days=level_interval_days(top.level),
        reasons=tuple(reasons),
    )


def current_level_code(household: Any) -> str | None:
    levels = (
        HouseholdLevel.objects.filter(household=household).active().values_list("level", flat=True)
    )
    return max(levels, key=lambda code: LEVEL_SEVERITY[Level(code)], default=None)
