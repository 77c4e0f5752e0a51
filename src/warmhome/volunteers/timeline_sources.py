"""The volunteers app's sources for the household timeline and the coverage evidence."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warmhome.people.models import Household
from warmhome.people.rendering import render_person
from warmhome.people.timeline import TimelineEvent
from warmhome.volunteers.models import ServiceRecord, Volunteer, VolunteerCertificate
from warmhome.volunteers.workflows import COUNTED_STATES

SOURCE_KEY = "volunteers.service"


def volunteer_events(household: Household, user: Any) -> list[TimelineEvent]:
    """A member registering as a volunteer, and each certificate she received."""
    person_ids = household.members.values("person_id")
    volunteers = (
        Volunteer.objects.visible_to(user, "volunteers.view")
        .filter(person_id__in=person_ids)
        .select_related("person", "person__org")
    )
    events = []
    for volunteer in volunteers:
        name = render_person(volunteer.person, viewer=user).name
        events.append(
            TimelineEvent(
                when=timezone.make_aware(
                    datetime.datetime.combine(volunteer.joined_on, datetime.time(9))
                ),
                title=_("%(name)s 登记为巾帼志愿者") % {"name": name},
                url=reverse("volunteers:volunteer_detail", args=[volunteer.pk]),
            )
        )
    certificates = (
        VolunteerCertificate.objects.visible_to(user, "volunteers.view")
        .filter(volunteer__person_id__in=person_ids)
        .select_related("volunteer__person", "volunteer__person__org")
    )
    for certificate in certificates:
        events.append(
            TimelineEvent(
                when=certificate.created_at,
                title=_("%(name)s 获得志愿服务记录证明（%(hours)s 小时）")
                % {
                    "name": render_person(certificate.volunteer.person, viewer=user).name,
                    "hours": f"{certificate.hours.normalize():f}",
                },
                url=reverse("volunteers:volunteer_detail", args=[certificate.volunteer_id]),
            )
        )
    return events


def units_with_service(start: datetime.date, end: datetime.date) -> "QuerySet[Any]":
    """Certifying units of volunteer service between ``start`` and ``end`` (a subquery)."""
    return ServiceRecord.objects.filter(
        state__in=COUNTED_STATES, service_date__range=(start, end)
    ).values("org_id")


def register() -> None:
    from warmhome.orgs.coverage import EvidenceSource, register_evidence
    from warmhome.people.timeline import register_timeline_source

    register_timeline_source(SOURCE_KEY, "volunteers.view", volunteer_events)
    register_evidence(
        EvidenceSource(
            key="volunteers.service", label=gettext_lazy("志愿服务"), units=units_with_service
        )
    )
