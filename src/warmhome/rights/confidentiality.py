"""Who may open a domestic-violence case, on top of the shared organisation scoping.

``DvCase.objects.visible_to(user, action)`` keeps the cases of the organisations where the user
holds ``action`` (the path-prefix rule of ``core.scoping``, so the scope matrix covers it) and,
among them, only the cases of which the user is on the team:

* an assigned case worker (``DvCase.case_workers``);
* the station head: a post granting ``rights.supervise`` over the case's organisation;
* for ``rights.view`` only: a user holding an unexpired break-glass grant for that case and
  ``rights.break_glass`` over its organisation.

Two actions are exempt from the team rule because they never show a case's content:
``rights.view_counts`` (anonymised counts, ``selectors.dv_case_counts``) and
``rights.break_glass`` (the page where one gives a reason to open a case). District staff and
administrators therefore meet a case only as a number in the counts, or through break-glass.
Addenda, assessments and break-glass grants follow their case.
"""

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.scoping import paths_for

VIEW = "rights.view"
SUPERVISE = "rights.supervise"
BREAK_GLASS = "rights.break_glass"
#: actions checked against the organisation only; none of them shows a case's content
ORG_ONLY_ACTIONS = frozenset({"rights.view_counts", "rights.break_glass"})


def _org(paths: list[str], prefix: str) -> Q | None:
    if not paths:
        return None
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{prefix}org__path__startswith": path})
    return condition


def case_condition(user: Any, action: str, prefix: str = "") -> Q | None:
    """The cases (reached through ``prefix``) ``user`` may ``action``, or None for none.

    (organisations granting ``action``) and (assigned or station head), or, for ``rights.view``
    only, (organisations granting ``rights.break_glass``) and an unexpired grant of hers.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    from warmhome.rights.models import BreakGlassAccess, DvCase

    condition: Q | None = None
    in_orgs = _org(paths_for(user, action), prefix)
    if in_orgs is not None:
        team = Q(
            **{
                f"{prefix}pk__in": DvCase.case_workers.through.objects.filter(
                    user_id=user.pk
                ).values("dvcase_id")
            }
        )
        heads = _org(paths_for(user, SUPERVISE), prefix)
        if heads is not None:
            team |= heads
        condition = in_orgs & team
    glass_orgs = _org(paths_for(user, BREAK_GLASS), prefix) if action == VIEW else None
    if glass_orgs is not None:
        granted = glass_orgs & Q(
            **{
                f"{prefix}pk__in": BreakGlassAccess.objects.filter(
                    user_id=user.pk, expires_at__gt=timezone.now()
                ).values("case_id")
            }
        )
        condition = granted if condition is None else condition | granted
    return condition


def team_reason(case: Any) -> str:
    """Why a viewer who may open ``case`` sees its persons' real names (people.rendering logs it).

    Only what the case querysets let through may call this: the team, the station head, or a
    break-glass grant. Lists never do; a case's page and its API detail do.
    """
    return _("办理反家暴个案 %(number)s") % {"number": case.number}
