"""Reads of the measures taken in DV cases: the case page's panels, the alerts of the to-do
list, and the district's anonymised counts of measures and outcomes."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from warmhome.core.deadlines import add_days
from warmhome.rights.confidentiality import SUPERVISE
from warmhome.rights.models import (
    CaseClosure,
    CaseStatus,
    ClosureOutcome,
    DvCase,
    MandatoryReport,
    OrderState,
    ProtectionOrder,
    ProtectionOrderEvent,
    Referral,
    ReferralKind,
    RiskBand,
    SafetyPlan,
    ShelterStay,
    WarningLetter,
    WarningVisit,
)
from warmhome.rights.services_measures import mandatory_report_required
from warmhome.rules.selectors import policy_value

#: the action that makes a user one of the case team for alerts: workers and station heads hold
#: it, break-glass readers do not (they read a case, they are not its team)
TEAM_ACTION = "rights.change"


def _orders(case: DvCase) -> list[ProtectionOrder]:
    return list(
        ProtectionOrder.objects.filter(case=case)
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ProtectionOrderEvent.objects.select_related("actor").order_by("pk"),
            )
        )
        .order_by("-applied_on", "-pk")
    )


def high_risk_suggestions(case: DvCase, *, has_plan: bool, orders: list[Any]) -> list[str]:
    """What a high band calls for (DOMAIN.md §5) and the case still lacks."""
    if case.risk_band != RiskBand.HIGH or case.status == CaseStatus.CLOSED:
        return []
    suggestions = []
    if not has_plan:
        suggestions.append(_("制定安全计划"))
    if not any(order.state in (OrderState.ISSUED, *_pending()) for order in orders):
        suggestions.append(_("建议申请人身安全保护令"))
    sheltered = ShelterStay.objects.filter(case=case).exists()
    referred = Referral.objects.filter(case=case, kind=ReferralKind.SHELTER).exists()
    if not sheltered and not referred:
        suggestions.append(_("评估是否转介临时庇护"))
    return suggestions


def _pending() -> tuple[str, ...]:
    return (OrderState.APPLIED, OrderState.ACCEPTED, OrderState.RECONSIDERING)


def case_measures_page(user: Any, case: DvCase) -> dict[str, Any]:
    """The measures panels of a case page (the case is already visible to ``user``)."""
    plan = SafetyPlan.objects.filter(case=case).first()
    orders = _orders(case)
    letters = list(
        WarningLetter.objects.filter(case=case)
        .prefetch_related(Prefetch("visits", queryset=WarningVisit.objects.order_by("visited_on")))
        .order_by("-issued_on", "-pk")
    )
    report = MandatoryReport.objects.filter(case=case).select_related("reporter").first()
    return {
        "safety_plan": plan,
        "warning_letters": letters,
        "orders": orders,
        "shelter_stays": list(ShelterStay.objects.filter(case=case).order_by("-from_on", "-pk")),
        "referrals": list(Referral.objects.filter(case=case).order_by("-referred_on", "-pk")),
        "followups": list(
            case.followups.select_related("author").order_by("-followed_on", "-pk")[:20]
        ),
        "mandatory_report": report,
        "mandatory_report_required": mandatory_report_required(case),
        # the reporter is protected: only the station head learns who reported
        "may_see_reporter": user.has_action(SUPERVISE, case.org),
        "closure": CaseClosure.objects.filter(case=case).first(),
        "suggestions": high_risk_suggestions(case, has_plan=plan is not None, orders=orders),
    }


# --- alerts ---------------------------------------------------------------------------------


def orders_expiring(user: Any, today: datetime.date) -> QuerySet[ProtectionOrder]:
    """Orders in force whose validity ends within ``rights.order_expiry_notice_days`` of
    ``today`` (calendar days, the day itself included), on cases of ``user``'s team."""
    days = int(policy_value("rights.order_expiry_notice_days", on=today))
    return (
        ProtectionOrder.objects.visible_to(user, TEAM_ACTION)
        .filter(
            state=OrderState.ISSUED,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=days),
        )
        .select_related("case")
        .order_by("valid_until", "pk")
    )


def orders_ruling_overdue(user: Any, now: datetime.datetime) -> QuerySet[ProtectionOrder]:
    """Accepted applications whose ruling (72 h, 24 h if urgent) is past due."""
    return (
        ProtectionOrder.objects.visible_to(user, TEAM_ACTION)
        .filter(state=OrderState.ACCEPTED, ruling_due_at__lt=now)
        .select_related("case")
        .order_by("ruling_due_at", "pk")
    )


@dataclass(frozen=True, slots=True)
class StaleCase:
    case: DvCase
    last_contact: datetime.date
    due: datetime.date


def high_risk_without_followup(user: Any, today: datetime.date) -> list[StaleCase]:
    """Open high-risk cases of ``user``'s team with no follow-up for
    ``rights.high_risk_followup_working_days`` working days (counted from the last follow-up,
    or from the case's opening); due on the N-th working day, shown from then on."""
    days = int(policy_value("rights.high_risk_followup_working_days", on=today))
    cases = (
        DvCase.objects.visible_to(user, TEAM_ACTION)
        .filter(status=CaseStatus.OPEN, risk_band=RiskBand.HIGH)
        .annotate(last_followup=Max("followups__followed_on"))
        .order_by("pk")
    )
    stale = []
    for case in cases:
        last = case.last_followup or case.opened_on
        due = add_days(last, days, "working")
        if due <= today:
            stale.append(StaleCase(case=case, last_contact=last, due=due))
    return stale


# --- anonymised counts ----------------------------------------------------------------------


def suppress(value: int, minimum: int) -> str:
    """A count as published: small ones (1 … minimum-1) shown as "<minimum" (0 stays 0)."""
    if 0 < value < minimum:
        return f"<{minimum}"
    return str(value)


def suppressed_case_counts(counts: dict[str, Any], minimum: int) -> dict[str, Any]:
    """The per-organisation rows of ``selectors.dv_case_counts`` as published."""
    keys = ("total", "open", "high", "medium", "low")
    return {
        "shown_rows": [
            {"org": row["org__name"], **{key: suppress(row[key], minimum) for key in keys}}
            for row in counts["rows"]
        ],
        "shown_totals": {key: suppress(counts["totals"][key], minimum) for key in keys},
    }


def measure_counts(user: Any) -> dict[str, Any]:
    """Counts of measures and outcomes over the cases in ``user``'s ``rights.view_counts``
    scope, district-wide (never per case or per small unit), small counts suppressed."""
    minimum = int(policy_value("rights.min_shown_count"))
    case_ids = DvCase.objects.visible_to(user, "rights.view_counts").values("pk")
    orders = ProtectionOrder.objects.filter(case_id__in=case_ids).aggregate(
        applied=Count("pk"),
        issued=Count("pk", filter=Q(state__in=[OrderState.ISSUED, OrderState.REVOKED])),
        refused=Count("pk", filter=Q(state=OrderState.REFUSED)),
        pending=Count("pk", filter=Q(state__in=_pending())),
    )
    violations = ProtectionOrderEvent.objects.filter(case_id__in=case_ids, kind="violation").count()
    referrals = dict(
        Referral.objects.filter(case_id__in=case_ids)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    referral_outcomes = Referral.objects.filter(case_id__in=case_ids).exclude(outcome="").count()
    rows = [
        (_("保护令申请"), orders["applied"]),
        (_("保护令签发"), orders["issued"]),
        (_("保护令驳回"), orders["refused"]),
        (_("保护令待裁定"), orders["pending"]),
        (_("违反保护令"), violations),
        (_("告诫书"), WarningLetter.objects.filter(case_id__in=case_ids).count()),
        (_("临时庇护"), ShelterStay.objects.filter(case_id__in=case_ids).count()),
        (_("强制报告"), MandatoryReport.objects.filter(case_id__in=case_ids).count()),
    ]
    for kind, label in ReferralKind.choices:
        rows.append((_("转介：%(kind)s") % {"kind": label}, referrals.get(kind, 0)))
    rows.append((_("转介已有结果"), referral_outcomes))
    closures = dict(
        DvCase.objects.filter(pk__in=case_ids, closure__isnull=False)
        .values_list("closure__outcome")
        .annotate(n=Count("pk"))
        .values_list("closure__outcome", "n")
    )
    outcome_rows = [(label, closures.get(code, 0)) for code, label in ClosureOutcome.choices]
    return {
        "minimum": minimum,
        "measure_rows": [(label, suppress(n, minimum)) for label, n in rows],
        "outcome_rows": [(label, suppress(n, minimum)) for label, n in outcome_rows],
    }
