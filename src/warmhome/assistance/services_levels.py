"""Writes of household colour levels: raised by module events, or set by hand with a reason."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.assistance.levels import MANUAL, get_level_source
from warmhome.assistance.models import AssistancePlan, HouseholdLevel, Level
from warmhome.assistance.selectors import current_level_code, level_interval_days
from warmhome.core.audit.services import attributed_service
from warmhome.core.deadlines import add_days
from warmhome.people.models import HouseholdMember


def _tighten_followups(household: Any) -> None:
    """Bring the next follow-up of the household's open plans within its level's interval."""
    code = current_level_code(household)
    if code is None:
        return
    latest = add_days(timezone.localdate(), level_interval_days(code), "working")
    members = HouseholdMember.objects.filter(household=household).values("person_id")
    plans = AssistancePlan.objects.open().filter(person_id__in=members)
    for plan in plans:
        if plan.next_followup_on is None or plan.next_followup_on > latest:
            plan.next_followup_on = latest
            plan.save(update_fields=["next_followup_on", "updated_at"])


@transaction.atomic
def household_level_raise(
    *,
    household: Any,
    level: str,
    source: str,
    reason: str,
    reference: str = "",
    actor: Any = None,
) -> HouseholdLevel:
    """Give ``household`` a colour from a module's event (idempotent per source and record)."""
    get_level_source(source)
    if level not in Level.values:
        raise ValueError(f"Unknown household level {level!r}.")
    existing = (
        HouseholdLevel.objects.filter(household=household, source=source, reference=reference)
        .active()
        .first()
    )
    if existing is not None:
        return existing
    row = HouseholdLevel.objects.create(
        org=household.org,
        household=household,
        level=level,
        source=source,
        reference=reference,
        reason=reason[:300],
        set_by=actor,
    )
    _tighten_followups(household)
    return row


@attributed_service
@transaction.atomic
def household_level_set(*, actor: Any, household: Any, level: str, reason: str) -> HouseholdLevel:
    """Set a household's colour by hand, with the reason (replaces the previous manual one)."""
    if not actor.has_action("assistance.change", household.org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if level not in Level.values:
        errors["level"] = [_("请选择等级。")]
    if not reason:
        errors["reason"] = [_("请填写设定等级的原因。")]
    if errors:
        raise ValidationError(errors)
    for previous in HouseholdLevel.objects.filter(household=household, source=MANUAL).active():
        previous.cleared_at = timezone.now()
        previous.clear_reason = _("人工重新设定")
        previous.save(update_fields=["cleared_at", "clear_reason", "updated_at"])
    return household_level_raise(
        household=household, level=level, source=MANUAL, reason=reason, actor=actor
    )


@attributed_service
@transaction.atomic
def household_level_clear(*, actor: Any, row: HouseholdLevel, reason: str) -> HouseholdLevel:
    """Lift one level of a household, with the reason (the row stays as history)."""
    if not actor.has_action("assistance.change", row.org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写解除的原因。")]})
    if row.cleared_at is not None:
        raise ValidationError(_("该等级已解除。"))
    row.cleared_at = timezone.now()
    row.clear_reason = reason.strip()[:200]
    row.save(update_fields=["cleared_at", "clear_reason", "updated_at"])
    return row
