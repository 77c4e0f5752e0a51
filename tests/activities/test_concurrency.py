"""Two people taking the last place at the same moment: one gets it (PostgreSQL row locks)."""

import pytest
from django.db import connection

from tests.concurrency import each_at_once
from tests.conftest import Personas, Tree
from tests.core.audit_tamper import postgres_only_reason
from tests.factories import activity, person
from warmhome.accounts.models import User
from warmhome.activities import services
from warmhome.activities.models import Activity, Attendance, SignUp, SignUpStatus
from warmhome.people.models import Person

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=postgres_only_reason,
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_people_taking_the_last_place_at_once_never_overbook(tree: Tree, personas: Personas):
    made = activity(tree.community_a1, capacity=1)
    cadre_pk = personas.community_a1_cadre.pk
    person_pks = [person(tree.community_a1).pk for _ in range(4)]

    def sign_up(person_pk: int):
        return lambda: services.signup_create(
            actor=User.objects.get(pk=cadre_pk),
            activity=Activity.objects.get(pk=made.pk),
            person=Person.objects.select_related("org").get(pk=person_pk),
        )

    results, refusals = each_at_once([sign_up(pk) for pk in person_pks])

    assert refusals == []
    statuses = sorted(signup.status for signup in results)
    assert statuses == [SignUpStatus.CONFIRMED] + [SignUpStatus.WAITING] * 3
    assert SignUp.objects.filter(activity=made, status=SignUpStatus.CONFIRMED).count() == 1


def test_two_walk_ins_for_the_last_place_one_checks_in(tree: Tree):
    made = activity(tree.community_a1, capacity=1)

    def walk_in(name: str, phone: str):
        return lambda: services.checkin_self(
            activity=Activity.objects.get(pk=made.pk), name=name, phone=phone
        )

    results, refusals = each_at_once(
        [walk_in("王秀英", "13800001111"), walk_in("李梅", "13800002222")]
    )

    assert len(results) == 1
    assert refusals == ["名额已满，请联系现场工作人员。"]
    assert Attendance.objects.filter(activity=made).count() == 1


def test_a_double_scan_at_the_same_moment_checks_in_once(tree: Tree):
    made = activity(tree.community_a1)
    services.signup_self(activity=made, name="王秀英", phone="13800001111")

    def scan():
        return services.checkin_self(
            activity=Activity.objects.get(pk=made.pk), name="王秀英", phone="13800001111"
        )

    results, refusals = each_at_once([scan, scan, scan])

    assert len(results) == 1
    assert len(refusals) == 2
    assert all("无需重复签到" in message for message in refusals)
    assert Attendance.objects.filter(activity=made).count() == 1
