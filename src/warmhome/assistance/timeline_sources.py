"""Household timeline events of this module: relief received and follow-ups. Shown only to
viewers holding ``assistance.view`` over the household's organisation (``people.timeline``)."""

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warmhome.assistance.models import Disbursement, FollowUp
from warmhome.assistance.money import yuan
from warmhome.people.models import Household, HouseholdMember
from warmhome.people.rendering import render_person
from warmhome.people.timeline import TimelineEvent, register_timeline_source

RELIEF_KEY = "assistance.relief"
FOLLOWUP_KEY = "assistance.followups"


def _member_ids(household: Household) -> list[int]:
    return list(
        HouseholdMember.objects.filter(household=household).values_list("person_id", flat=True)
    )


def relief_events(household: Household, user: Any) -> list[TimelineEvent]:
    """A "relief received" event per disbursement to the household or one of its members."""
    members = _member_ids(household)
    disbursements = Disbursement.objects.filter(
        Q(application__household=household) | Q(application__person_id__in=members)
    ).select_related("application", "application__person", "application__person__org")
    events = []
    for disbursement in disbursements:
        application = disbursement.application
        name = render_person(application.person, viewer=user).name
        events.append(
            TimelineEvent(
                when=disbursement.created_at,
                title=_("%(name)s 获得救助金 %(amount)s 元（%(hardship)s）")
                % {
                    "name": name,
                    "amount": yuan(disbursement.amount),
                    "hardship": application.get_hardship_display(),
                },
                url=application.get_absolute_url(),
            )
        )
    return events


def followup_events(household: Household, user: Any) -> list[TimelineEvent]:
    """One event per follow-up of a member's assistance plan."""
    followups = FollowUp.objects.filter(plan__person_id__in=_member_ids(household)).select_related(
        "plan", "plan__person", "plan__person__org"
    )
    events = []
    for followup in followups:
        name = render_person(followup.plan.person, viewer=user).name
        when = timezone.make_aware(
            datetime.datetime.combine(followup.happened_on, datetime.time(9))
        )
        events.append(
            TimelineEvent(
                when=when,
                title=_("%(kind)s：%(name)s（%(help)s）")
                % {
                    "kind": followup.get_kind_display(),
                    "name": name,
                    "help": followup.get_help_kind_display(),
                },
                url=followup.plan.get_absolute_url(),
            )
        )
    return events


def units_with_followups(start: datetime.date, end: datetime.date) -> Any:
    """Units whose assistance plans were followed up between ``start`` and ``end`` (a subquery):
    home visits and calls count as federation work for the coverage figures."""
    return FollowUp.objects.filter(happened_on__range=(start, end)).values("plan__org_id")


def register_timeline_sources() -> None:
    from warmhome.orgs.coverage import EvidenceSource, register_evidence

    register_timeline_source(RELIEF_KEY, "assistance.view", relief_events)
    register_timeline_source(FOLLOWUP_KEY, "assistance.view", followup_events)
    register_evidence(
        EvidenceSource(
            key="assistance.followup", label=gettext_lazy("帮扶回访"), units=units_with_followups
        )
    )
