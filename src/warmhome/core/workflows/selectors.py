"""Reads of the workflow engine: a record's timeline, what a user may do next, what is due."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.functional import Promise

from warmhome.core.models import TransitionLog, WorkflowRecord
from warmhome.core.workflows.definitions import Transition, get_workflow
from warmhome.core.workflows.services import may_take

DEFAULT_DUE_SOON_DAYS = 3
#: at most this many due records per model on the to-do list
TODO_LIMIT_PER_MODEL = 50


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime.datetime
    actor: Any
    transition: str | Promise
    from_state: str | Promise
    to_state: str | Promise
    comment: str
    fields: dict[str, Any]


def timeline(record: WorkflowRecord) -> list[TimelineEntry]:
    """The transitions of ``record``, oldest first, with their Chinese labels.

    The caller has already read ``record`` through ``visible_to``: the timeline is part of it.
    """
    workflow = get_workflow(record.workflow_key)
    logs = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
    ).select_related("actor")
    entries = []
    for log in logs:
        try:
            label = workflow.transition(log.transition).label
        except LookupError:  # a transition since removed from the definition
            label = log.transition
        entries.append(
            TimelineEntry(
                at=log.at,
                actor=log.actor,
                transition=label,
                from_state=workflow.state_label(log.from_state),
                to_state=workflow.state_label(log.to_state),
                comment=log.comment,
                fields=log.fields,
            )
        )
    return entries


def transitions_available(actor: Any, record: WorkflowRecord) -> list[Transition]:
    """The transitions ``actor`` may take from the record's current state (guards not run)."""
    workflow = get_workflow(record.workflow_key)
    return [
        transition
        for transition in workflow.transitions_from(record.state)
        if may_take(actor, transition, record)
    ]


def workflow_models() -> list[type[WorkflowRecord]]:
    """Every installed model that runs a workflow."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, WorkflowRecord) and model.workflow_key
    ]


def due_soon_days() -> int:
    return int(getattr(settings, "WORKFLOW_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS))


def records_due_for(
    user: Any, model: type[WorkflowRecord], *, today: datetime.date | None = None
) -> list[WorkflowRecord]:
    """Records of ``model`` that ``user`` may act on, due within the horizon or overdue.

    One scoped query per action of the workflow: a record counts when one of the transitions
    leaving its current state is granted to ``user`` over its organisation.
    """
    workflow = get_workflow(model.workflow_key)
    if workflow.initial_due is None and not any(t.due for t in workflow.transitions):
        return []  # a workflow without deadlines never has a record due: no query
    horizon = (today or timezone.localdate()) + datetime.timedelta(days=due_soon_days())
    found: dict[Any, WorkflowRecord] = {}
    for action in sorted(workflow.actions()):
        states = {
            state
            for transition in workflow.transitions
            if transition.action == action
            for state in transition.sources
        }
        rows = (
            model.objects.visible_to(user, action)  # type: ignore[attr-defined]
            .filter(state__in=states, due_at__isnull=False, due_at__lte=horizon)
            .select_related("org")
            .order_by("due_at", "pk")[:TODO_LIMIT_PER_MODEL]
        )
        for row in rows:
            found.setdefault(row.pk, row)
    ordered = sorted(found.values(), key=lambda row: (row.due_at, row.pk))
    return ordered[:TODO_LIMIT_PER_MODEL]
