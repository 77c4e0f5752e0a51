"""Reads of help requests: the page of one request, what is due, anonymised statistics."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from warmhome.core.scoping import paths_for
from warmhome.core.workflows.selectors import timeline
from warmhome.orgs.models import OrgUnit
from warmhome.rights.models import (
    Channel,
    HelpRequest,
    Outcome,
    PetitionCategory,
    RequestEscalation,
)
from warmhome.rights.workflow_requests import DUE_STATES, HANDLE, HELP_REQUEST
from warmhome.rules.selectors import policy_value

VIEW = "rights.request_view"
EXPORT = "rights.request_export"


def requests_for(user: Any, action: str = VIEW) -> QuerySet[HelpRequest]:
    """The requests ``user`` may see, with what a list draws."""
    return HelpRequest.objects.visible_to(user, action).select_related(
        "org", "category", "category__parent", "person", "person__org"
    )


def request_page(user: Any, request: HelpRequest) -> dict[str, Any]:
    """What the detail page shows besides the request: timeline, transfers, escalations."""
    return {
        "timeline": timeline(request),
        "transfers": list(request.transfers.select_related("from_org", "to_org", "by")),
        "escalations": list(request.escalations.select_related("to_org")),
        "consultations": list(request.consultations.select_related("lawyer__person__org")),
    }


def alert_days() -> int:
    return int(policy_value("rights.request_alert_days"))


def _exact_orgs(user: Any) -> list[str]:
    """The organisations (paths) where ``user`` holds a post granting ``request_handle``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(user.scope_paths(HANDLE))


def due_for_handler(user: Any, *, today: datetime.date | None = None) -> list[HelpRequest]:
    """Requests of the user's own organisations due within the alert horizon, or overdue."""
    paths = _exact_orgs(user)
    if not paths:
        return []
    day = today or timezone.localdate()
    horizon = day + datetime.timedelta(days=alert_days())
    return list(
        HelpRequest.objects.visible_to(user, HANDLE)
        .filter(org__path__in=paths, state__in=DUE_STATES, due_at__lte=horizon)
        .select_related("category")
        .order_by("due_at", "pk")[:50]
    )


def escalated_to(user: Any, *, today: datetime.date | None = None) -> list[RequestEscalation]:
    """Overdue requests of units below reported to the user's own organisations, still open
    and still past the deadline that was reported."""
    paths = _exact_orgs(user)
    if not paths:
        return []
    day = today or timezone.localdate()
    escalations = (
        RequestEscalation.objects.visible_to(user, HANDLE)
        .filter(
            to_org__path__in=paths,
            request__state__in=DUE_STATES,
            request__due_at__lt=day,
        )
        .select_related("request", "request__category", "from_org")
        .order_by("due_on", "pk")
    )
    return [item for item in escalations[:50] if item.due_on == item.request.due_at]


# --- statistics ----------------------------------------------------------------------------


@dataclass
class RequestStatistics:
    """Counts only: no names, no content."""

    start: datetime.date
    end: datetime.date
    total: int = 0
    by_category: list[tuple[str, int, list[tuple[str, int]]]] = field(default_factory=list)
    by_channel: list[tuple[str, int]] = field(default_factory=list)
    by_state: list[tuple[str, int]] = field(default_factory=list)
    by_outcome: list[tuple[str, int]] = field(default_factory=list)
    by_satisfaction: list[tuple[str, int]] = field(default_factory=list)
    overdue: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "total": self.total,
            "overdue": self.overdue,
            "by_category": [
                {
                    "category": name,
                    "count": count,
                    "children": [{"category": sub, "count": n} for sub, n in children],
                }
                for name, count, children in self.by_category
            ],
            "by_channel": [{"key": key, "count": count} for key, count in self.by_channel],
            "by_state": [{"key": key, "count": count} for key, count in self.by_state],
            "by_outcome": [{"key": key, "count": count} for key, count in self.by_outcome],
            "by_satisfaction": [
                {"key": key, "count": count} for key, count in self.by_satisfaction
            ],
        }


def _grouped(requests: QuerySet[HelpRequest], column: str) -> dict[Any, int]:
    return {
        row[column]: row["n"]
        for row in requests.order_by().values(column).annotate(n=Count("pk"))
        if row[column]
    }


def request_statistics(
    user: Any, *, start: datetime.date, end: datetime.date, org: OrgUnit | None = None
) -> RequestStatistics:
    """Requests received from ``start`` to ``end`` in the user's export scope (within ``org``),
    counted by category (two levels), channel, state, outcome and satisfaction."""
    requests = HelpRequest.objects.visible_to(user, EXPORT).filter(
        received_on__gte=start, received_on__lte=end
    )
    if org is not None:
        requests = requests.filter(org__path__startswith=org.path)
    stats = RequestStatistics(start=start, end=end)
    by_category = _grouped(requests, "category_id")
    stats.total = sum(by_category.values())
    categories = {item.pk: item for item in PetitionCategory.objects.select_related("parent")}
    level1: dict[int, dict[str, int]] = {}
    for pk, count in by_category.items():
        category = categories[pk]
        top = category.parent or category
        children = level1.setdefault(top.pk, {})
        label = category.name if category.parent_id else ""
        children[label] = children.get(label, 0) + count
    for top_pk in sorted(level1, key=lambda pk: (categories[pk].order, categories[pk].code)):
        children = level1[top_pk]
        stats.by_category.append(
            (
                categories[top_pk].name,
                sum(children.values()),
                sorted(((name, n) for name, n in children.items() if name), key=lambda x: -x[1]),
            )
        )
    channels = _grouped(requests, "channel")
    stats.by_channel = [(str(label), channels.get(code, 0)) for code, label in Channel.choices]
    states = _grouped(requests, "state")
    stats.by_state = [
        (str(state.label), states.get(state.code, 0)) for state in HELP_REQUEST.states
    ]
    outcomes = _grouped(requests, "outcome")
    stats.by_outcome = [(str(label), outcomes.get(code, 0)) for code, label in Outcome.choices]
    from warmhome.rights.models import Satisfaction

    satisfaction = _grouped(requests, "satisfaction")
    stats.by_satisfaction = [
        (str(label), satisfaction.get(code, 0)) for code, label in Satisfaction.choices
    ]
    stats.overdue = requests.filter(
        Q(state__in=DUE_STATES) & Q(due_at__lt=timezone.localdate())
    ).count()
    return stats


def statistics_rows(stats: RequestStatistics) -> list[list[Any]]:
    """The statistics as rows of (dimension, item, count) for the Excel export."""
    from django.utils.translation import gettext as _

    rows: list[list[Any]] = []
    for name, count, children in stats.by_category:
        rows.append([_("信访类别"), name, count])
        rows.extend([_("信访类别"), f"{name} / {sub}", n] for sub, n in children)
    for title, items in (
        (_("来源渠道"), stats.by_channel),
        (_("办理状态"), stats.by_state),
        (_("办理结果"), stats.by_outcome),
        (_("满意度"), stats.by_satisfaction),
    ):
        rows.extend([title, label, n] for label, n in items)
    rows.append([_("合计"), _("登记总数"), stats.total])
    rows.append([_("合计"), _("逾期未办结"), stats.overdue])
    return rows


def export_scope_paths(user: Any) -> list[str]:
    return paths_for(user, EXPORT)


def legal_lawyers(org: OrgUnit | None = None) -> list[Any]:
    """Volunteers who are current members of an active legal team (法律服务志愿队) whose team
    sits above or within ``org`` (all such volunteers without ``org``)."""
    from warmhome.rights.services_consultations import LEGAL_TEAM_KIND
    from warmhome.volunteers.models import TeamMember

    members = TeamMember.objects.filter(
        left_on__isnull=True, team__kind__code=LEGAL_TEAM_KIND, team__is_active=True
    ).select_related("volunteer", "volunteer__person", "volunteer__person__org", "team__org")
    found: dict[int, Any] = {}
    for member in members.order_by("team__org__path", "pk"):
        team_path = member.team.org.path
        if org is None or org.path.startswith(team_path) or team_path.startswith(org.path):
            found.setdefault(member.volunteer_id, member.volunteer)
    return list(found.values())
