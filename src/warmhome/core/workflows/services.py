"""Taking a transition: the one write path of every workflow record."""

import datetime
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.audit.services import security_event_log
from warmhome.core.masking import mask_name
from warmhome.core.models import TransitionLog, WorkflowRecord
from warmhome.core.workflows.definitions import Transition, Workflow, get_workflow
from warmhome.core.workflows.errors import (
    TransitionConflictError,
    TransitionError,
    TransitionNotPermittedError,
)
from warmhome.core.workflows.hooks import hooks_for


def workflow_of(record: WorkflowRecord | type[WorkflowRecord]) -> Workflow:
    return get_workflow(record.workflow_key)


def workflow_initial(
    model: type[WorkflowRecord], *, today: datetime.date | None = None
) -> dict[str, Any]:
    """The workflow fields of a new record (to spread into ``Model.objects.create``)."""
    workflow = workflow_of(model)
    start = today or timezone.localdate()
    due = workflow.initial_due.due_from(start) if workflow.initial_due else None
    return {"state": workflow.initial, "state_changed_at": timezone.now(), "due_at": due}


def may_take(actor: Any, transition: Transition, record: WorkflowRecord) -> bool:
    """Whether ``actor`` holds the transition's action over the record's organisation."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.has_action(transition.action, record.org))  # type: ignore[attr-defined]


def transition_apply(
    *,
    actor: Any,
    record: WorkflowRecord,
    transition: str,
    comment: str = "",
    fields: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> WorkflowRecord:
    """Take ``transition`` on ``record`` as ``actor``, once, and write it to the timeline."""
    spec = workflow_of(record).transition(transition)
    # Checked before the transaction opens so that the security event survives the refusal.
    if not may_take(actor, spec, record):
        security_event_log(
            event="access_denied",
            actor=actor,
            detail={
                "model": record._meta.label,
                "pk": str(record.pk),
                "action": spec.action,
                "transition": transition,
            },
        )
        raise TransitionNotPermittedError(_("没有找到该事项，或您无权办理。"))
    return _transition_apply_locked(
        actor=actor,
        record=record,
        spec=spec,
        comment=comment,
        fields=fields or {},
        expected_version=record.version if expected_version is None else expected_version,
    )


@transaction.atomic
def _transition_apply_locked(
    *,
    actor: Any,
    record: WorkflowRecord,
    spec: Transition,
    comment: str,
    fields: dict[str, Any],
    expected_version: int,
) -> WorkflowRecord:
    """Lock the row, re-check everything against what is stored, then move and log."""
    model = type(record)
    workflow = workflow_of(model)
    content_type = ContentType.objects.get_for_model(model)
    # of=("self",): lock the record only, not the organisation joined in for the checks.
    # Any: the stubs cannot know that every workflow record has an ``org``.
    manager: Any = model._base_manager
    rows = manager.select_for_update(of=("self",)).select_related("org")
    locked: Any = rows.get(pk=record.pk)
    if locked.version != expected_version:
        raise TransitionConflictError(_conflict_message(workflow, content_type, locked))
    if locked.state not in spec.sources:
        raise TransitionError(
            _("当前状态为“%(state)s”，不能执行“%(transition)s”。")
            % {"state": workflow.state_label(locked.state), "transition": spec.label}
        )
    if not may_take(actor, spec, locked):
        raise TransitionNotPermittedError(_("没有找到该事项，或您无权办理。"))
    comment = comment.strip()
    cleaned = _check_input(actor, spec, locked, comment, fields)

    now = timezone.now()
    from_state = locked.state
    locked.state = spec.target
    locked.state_changed_at = now
    locked.version += 1
    locked.due_at = _next_due(workflow, spec, from_state, locked.due_at, now)
    stored = [field.name for field in spec.fields if field.store_on_record]
    for name in stored:
        setattr(locked, name, cleaned.get(name))
    locked.save(update_fields=["state", "state_changed_at", "version", "due_at", *stored])
    log = TransitionLog.objects.create(
        org=locked.org,
        content_type=content_type,
        object_id=locked.pk,
        workflow=workflow.key,
        transition=spec.name,
        from_state=from_state,
        to_state=spec.target,
        actor=actor,
        at=now,
        comment=comment,
        fields=cleaned,
    )
    for hook in hooks_for(workflow.key, spec.name):
        transaction.on_commit(partial(hook, locked, log))
    for name in ("state", "state_changed_at", "version", "due_at", *stored):
        setattr(record, name, getattr(locked, name))
    return locked


def _check_input(
    actor: Any, spec: Transition, record: WorkflowRecord, comment: str, fields: dict[str, Any]
) -> dict[str, Any]:
    declared = {field.name for field in spec.fields}
    unknown = sorted(set(fields) - declared)
    if unknown:
        raise ValueError(f"Transition {spec.name!r} takes no fields {unknown}.")
    errors = []
    if spec.comment_required and not comment:
        errors.append(_("请填写意见：“%(transition)s”需要说明理由。") % {"transition": spec.label})
    cleaned: dict[str, Any] = {}
    for field in spec.fields:
        value = fields.get(field.name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", [], {}):
            if field.required:
                errors.append(_("请填写“%(field)s”。") % {"field": field.label})
            continue
        cleaned[field.name] = value
    if errors:
        raise TransitionError(errors)
    if spec.guard is not None:
        reason = spec.guard(actor, record, cleaned)
        if reason:
            raise TransitionError(str(reason))
    return cleaned


def _next_due(
    workflow: Workflow,
    spec: Transition,
    from_state: str,
    current: datetime.date | None,
    now: datetime.datetime,
) -> datetime.date | None:
    if workflow.state(spec.target).final:
        return None
    if spec.due is not None:
        return spec.due.due_from(timezone.localdate(now))
    # A step that stays in its state (a note, a reminder) keeps the running deadline.
    return current if spec.target == from_state else None


def _conflict_message(workflow: Workflow, content_type: ContentType, record: WorkflowRecord) -> str:
    last = (
        TransitionLog.objects.filter(content_type=content_type, object_id=record.pk)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    if last is None:
        return str(_("该事项已被他人处理，请刷新页面。"))
    at = timezone.localtime(last.at)
    when = at.strftime("%H:%M" if at.date() == timezone.localdate() else "%Y-%m-%d %H:%M")
    who = mask_name(str(last.actor)) if last.actor is not None else _("系统")
    return _("该事项已由 %(actor)s 于 %(time)s 处理为“%(state)s”，请刷新页面。") % {
        "actor": who,
        "time": when,
        "state": workflow.state_label(last.to_state),
    }
