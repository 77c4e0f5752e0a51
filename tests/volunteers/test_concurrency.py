"""Overlapping credits arriving at the same moment: one wins (the volunteer's row is locked)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from tests.concurrency import each_at_once
from tests.conftest import Personas, Tree
from tests.core.audit_tamper import postgres_only_reason
from tests.factories import volunteer
from warmhome.accounts.models import User
from warmhome.orgs.models import OrgUnit
from warmhome.volunteers import services_hours
from warmhome.volunteers.models import MonthlyHours, ServiceRecord, Volunteer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=postgres_only_reason,
    ),
    pytest.mark.django_db(transaction=True),
]


def test_overlapping_credits_at_once_one_wins(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    start = timezone.make_aware(datetime.datetime(2026, 3, 1, 9))
    cadre_pk = personas.community_a1_cadre.pk

    def credit(index: int):
        def work():
            return services_hours.service_credit(
                actor=User.objects.get(pk=cadre_pk),
                volunteer=Volunteer.objects.get(pk=made.pk),
                org=OrgUnit.objects.get(pk=tree.community_a1.pk),
                activity_ref=f"activities.Activity:{index}",
                activity_title=f"活动{index}",
                started_at=start + datetime.timedelta(minutes=10 * index),
                ended_at=start + datetime.timedelta(hours=2, minutes=10 * index),
            )

        return work

    results, refusals = each_at_once([credit(index) for index in range(4)])

    assert len(results) == 1
    assert len(refusals) == 3
    assert all("时间重叠" in message for message in refusals)
    assert ServiceRecord.objects.filter(volunteer=made).count() == 1
    assert MonthlyHours.objects.get().hours == Decimal("2.00")


def test_concurrent_credits_of_different_volunteers_both_reach_the_monthly_figures(tree: Tree):
    first, second = volunteer(tree.community_a1), volunteer(tree.community_a1)
    start = timezone.make_aware(datetime.datetime(2026, 3, 1, 9))

    def credit(pk: int):
        return lambda: services_hours.service_credit(
            actor=None,
            volunteer=Volunteer.objects.get(pk=pk),
            org=OrgUnit.objects.get(pk=tree.community_a1.pk),
            activity_ref="activities.Activity:1",
            activity_title="活动",
            started_at=start,
            ended_at=start + datetime.timedelta(hours=2),
        )

    results, refusals = each_at_once([credit(first.pk), credit(second.pk)])

    assert refusals == []
    assert len(results) == 2
    figures = MonthlyHours.objects.get()
    assert (figures.hours, figures.records) == (Decimal("4.00"), 2)
