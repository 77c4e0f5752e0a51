"""Oversight of help requests: overdue requests reported to the level above (督办)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.orgs.models import OrgUnit
from warmhome.rights.models import EscalationStage, HelpRequest, RequestEscalation
from warmhome.rights.services_requests import _notify_org
from warmhome.rights.workflow_requests import DUE_STATES


def _stage(request: HelpRequest) -> str:
    return EscalationStage.ACCEPTANCE if request.state == "received" else EscalationStage.HANDLING


@transaction.atomic
def help_requests_escalate_overdue(
    *, today: datetime.date | None = None
) -> list[RequestEscalation]:
    """Report every overdue request to the level above its organisation, once per deadline.

    Run daily by the worker (``core.daily``; ``warmhome daily`` by hand), and safe to run
    again: a deadline already reported is skipped. The parent unit's staff then see the request
    in their to-do.
    """
    day = today or timezone.localdate()
    overdue = (
        HelpRequest.objects.filter(state__in=DUE_STATES, due_at__lt=day)
        .select_related("org", "category")
        .order_by("due_at", "pk")
    )
    made = []
    for request in overdue:
        parent = OrgUnit.objects.get_parent(request.org)
        due = request.due_at
        if parent is None or due is None:
            continue
        stage = _stage(request)
        if RequestEscalation.objects.filter(request=request, stage=stage, due_on=due).exists():
            continue
        try:
            with transaction.atomic():
                escalation = RequestEscalation.objects.create(
                    request=request,
                    from_org=request.org,
                    to_org=parent,
                    stage=stage,
                    due_on=due,
                )
        except IntegrityError:  # a concurrent run reported it first
            continue
        made.append(escalation)
        _notify_org(
            org=parent,
            subject=_("逾期督办：%(number)s") % {"number": request.number},
            body=_("%(org)s 的求助信访事项%(stage)s（期限 %(due)s），请督促办理。")
            % {
                "org": request.org.name,
                "stage": escalation.get_stage_display(),
                "due": due.isoformat(),
            },
            request=request,
        )
    return made
