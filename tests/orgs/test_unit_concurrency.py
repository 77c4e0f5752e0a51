"""Two clerks submitting the same thing at the same moment: one wins (PostgreSQL row locks)."""

import datetime

import pytest
from django.db import connection

from tests.concurrency import all_at_once
from tests.conftest import Personas, Tree
from tests.core.audit_tamper import postgres_only_reason
from warmhome.accounts.models import User
from warmhome.orgs import services
from warmhome.orgs.models import OrgKind, OrgUnit, Stage, StageCriterion, StageRecord

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=postgres_only_reason,
    ),
    pytest.mark.django_db(transaction=True),
]


def test_the_same_unit_submitted_twice_at_once_is_created_once(tree: Tree, personas: Personas):
    cadre_pk = personas.street_a_cadre.pk

    wins, refusals = all_at_once(
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

    wins, refusals = all_at_once(
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
