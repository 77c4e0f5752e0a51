"""Two clerks submitting the same thing at the same moment: one wins (PostgreSQL row locks)."""

import datetime
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from tests.conftest import Personas, Tree
from tests.core.audit_tamper import postgres_only_reason
from warmhome.accounts.models import User
from warmhome.orgs import services
from warmhome.orgs.models import OrgKind, OrgUnit, Stage, StageCriterion, StageRecord

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason=postgres_only_reason,
    ),
    pytest.mark.django_db(transaction=True),
]


def _at_once(count: int, work) -> tuple[int, list[str]]:
    barrier = threading.Barrier(count)
    wins: list[int] = []
    refusals: list[str] = []

    def worker() -> None:
        try:
            barrier.wait()
            work()
            wins.append(1)
        except ValidationError as problem:
            refusals.extend(problem.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(wins), refusals


def test_the_same_unit_submitted_twice_at_once_is_created_once(tree: Tree, personas: Personas):
    cadre_pk = personas.street_a_cadre.pk

    wins, refusals = _at_once(
        4,
        lambda: services.orgunit_create(
            actor=User.objects.get(pk=cadre_pk),
            parent=OrgUnit.objects.get(pk=tree.street_a.pk),
            kind=OrgKind.COMMUNITY,
            name="同时提交社区",
        ),
    )

    assert wins == 1
    assert OrgUnit.objects.filter(name="同时提交社区").count() == 1
    assert all("已有名为“同时提交社区”的组织" in message for message in refusals)


def test_a_stage_recorded_twice_at_once_is_recorded_once(tree: Tree, personas: Personas):
    cadre_pk = personas.street_a_cadre.pk
    items = list(StageCriterion.objects.filter(stage=Stage.ESTABLISHED, is_active=True))

    wins, refusals = _at_once(
        3,
        lambda: services.stage_record(
            actor=User.objects.get(pk=cadre_pk),
            unit=OrgUnit.objects.get(pk=tree.community_a1.pk),
            stage=Stage.ESTABLISHED,
            reached_on=datetime.date(2025, 3, 1),
            evidence="选举批复",
            criteria=items,
        ),
    )

    assert wins == 1
    assert StageRecord.objects.filter(org=tree.community_a1).count() == 1
    assert all("不能重复记录" in message for message in refusals)
