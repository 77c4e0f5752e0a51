"""Reading the audit trail: the filters of the audit page."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from warmhome.core.models import AuditEntry


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def auditentry_filter(
    queryset: QuerySet[AuditEntry], filters: dict[str, Any]
) -> QuerySet[AuditEntry]:
    """Narrow ``queryset`` by the cleaned filter form (dates are local, both ends included)."""
    if filters.get("user"):
        queryset = queryset.filter(actor_username=filters["user"])
    for name in ("model_label", "object_pk", "kind", "event"):
        if filters.get(name):
            queryset = queryset.filter(**{name: filters[name]})
    if filters.get("date_from"):
        queryset = queryset.filter(created_at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        next_day = filters["date_to"] + datetime.timedelta(days=1)
        queryset = queryset.filter(created_at__lt=_start_of(next_day))
    return queryset
