"""Reads of anti-domestic-violence cases: the team's lists and pages, anonymised counts."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from warmhome.core.audit.services import sensitive_read_log
from warmhome.rights.models import (
    BreakGlassAccess,
    CaseStatus,
    DvCase,
    RiskBand,
)


def dv_case_list(user: Any) -> QuerySet[DvCase]:
    """The cases ``user`` is on the team of (never the victim's address: see the template)."""
    return (
        DvCase.objects.visible_to(user, "rights.view")
        .select_related("org", "victim", "victim__org")
        .order_by("-opened_on", "-pk")
    )


def dv_case_page(user: Any, case: DvCase) -> dict[str, Any]:
    """What the case page shows; every opening is written to the access log."""
    sensitive_read_log(actor=user, instance=case, fields=["narrative", "history"])
    grant = (
        BreakGlassAccess.objects.filter(case=case, user_id=user.pk).order_by("-expires_at").first()
    )
    return {
        "children": list(case.children.select_related("org")),
        "case_workers": list(case.case_workers.all()),
        "addenda": list(case.addenda.select_related("author").order_by("written_on", "pk")),
        "assessments": list(case.assessments.select_related("assessor")),
        "break_glass": grant,
    }


def dv_case_counts(user: Any) -> dict[str, Any]:
    """Anonymised counts of the cases in ``user``'s scope for ``rights.view_counts``:
    by status and by latest risk band, per organisation. No case, person or date leaves."""
    cases = DvCase.objects.visible_to(user, "rights.view_counts")
    by_org = (
        cases.values("org__name", "org__path")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=_status(CaseStatus.OPEN)),
            high=Count("pk", filter=_band(RiskBand.HIGH)),
            medium=Count("pk", filter=_band(RiskBand.MEDIUM)),
            low=Count("pk", filter=_band(RiskBand.LOW)),
        )
        .order_by("org__path")
    )
    rows = list(by_org)
    totals = {
        key: sum(row[key] for row in rows) for key in ("total", "open", "high", "medium", "low")
    }
    return {"rows": rows, "totals": totals}


def _status(status: str) -> Q:
    return Q(status=status)


def _band(band: str) -> Q:
    return Q(risk_band=band)


def break_glass_report(user: Any) -> QuerySet[BreakGlassAccess]:
    """Break-glass grants in the head's scope (``rights.supervise``)."""
    return (
        BreakGlassAccess.objects.visible_to(user, "rights.supervise")
        .select_related("case", "case__org", "user")
        .order_by("-created_at", "-pk")
    )


def high_risk_open_count(user: Any) -> int:
    return (
        DvCase.objects.visible_to(user, "rights.supervise")
        .filter(status=CaseStatus.OPEN, risk_band=RiskBand.HIGH)
        .count()
    )
