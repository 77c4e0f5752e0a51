"""The shared persona tree.

    济南市历下区 (district)
    ├── 解放路街道 (street A) ── 解放桥社区 (community A1) ── 第一网格 (grid A1-1)
    │                        └─ 甲二社区 (community A2)
    └── 千佛山街道 (street B) ── 佛山苑社区 (community B1)

Personas: district staff, street-A cadre, community-A1 cadre, street-B cadre, a resident in A1
(no actions), a case worker at the district, and the three separated administrators.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.factories import org, user_with_post
from warmhome.accounts.models import User
from warmhome.orgs.models import OrgKind, OrgUnit


@dataclass
class Tree:
    district: OrgUnit
    street_a: OrgUnit
    community_a1: OrgUnit
    grid_a1: OrgUnit
    community_a2: OrgUnit
    street_b: OrgUnit
    community_b1: OrgUnit


@dataclass
class Personas:
    district_staff: User
    street_a_cadre: User
    community_a1_cadre: User
    street_b_cadre: User
    resident: User
    case_worker: User
    system_admin: User
    security_admin: User
    audit_admin: User


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_hashing(settings: settings) -> None:  # type: ignore[valid-type]
    # Argon2 is what production uses (see tests/accounts/test_passwords.py); tests need speed.
    settings.PASSWORD_HASHERS = FAST_HASHERS


def _with_fresh_read_caches(
    assert_queries: Callable[..., AbstractContextManager[Any]],
) -> Callable[..., AbstractContextManager[Any]]:
    """``assert_queries`` after a fresh check of the per-process read caches (policy table,
    holiday calendar). Every signed-in request reads a policy (the idle timeout), and these
    caches compare the table's version every few seconds (``rules.cache``): without this, that
    check would now and then fall inside a counted block and add a query to the page's count."""
    from warmhome.rules.selectors import policy_cache
    from warmhome.rules.workdays import calendar_cache

    @contextmanager
    def counted(*args: Any, **kwargs: Any) -> Iterator[Any]:
        policy_cache.revalidate()
        calendar_cache.revalidate()
        with assert_queries(*args, **kwargs) as context:
            yield context

    return counted


@pytest.fixture
def django_assert_num_queries(
    django_assert_num_queries: Callable[..., AbstractContextManager[Any]],
) -> Callable[..., AbstractContextManager[Any]]:
    return _with_fresh_read_caches(django_assert_num_queries)


@pytest.fixture
def django_assert_max_num_queries(
    django_assert_max_num_queries: Callable[..., AbstractContextManager[Any]],
) -> Callable[..., AbstractContextManager[Any]]:
    return _with_fresh_read_caches(django_assert_max_num_queries)


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup: None, django_db_blocker: object) -> Iterator[str]:
    """The whole demo (``warmhome demo load``), loaded once per module and rolled back after the
    module's last test; its output. Loading takes most of a minute: a module of tests that only
    read the demo shares one load, each test in a savepoint inside this transaction. Only for
    modules of demo tests, since every test of the module sees the demo."""
    with (
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        output = StringIO()
        call_command("demo", "load", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def tree(db: None) -> Tree:
    district = org(None, OrgKind.DISTRICT, "历下区", "370102000000")
    street_a = org(district, OrgKind.STREET, "解放路街道", "370102001000")
    community_a1 = org(street_a, OrgKind.COMMUNITY, "解放桥社区", "370102001002")
    grid_a1 = org(community_a1, OrgKind.GRID, "解放桥社区第一网格")
    community_a2 = org(street_a, OrgKind.COMMUNITY, "甲二社区")
    street_b = org(district, OrgKind.STREET, "千佛山街道", "370102002000")
    community_b1 = org(street_b, OrgKind.COMMUNITY, "佛山苑社区", "370102002002")
    return Tree(
        district=district,
        street_a=street_a,
        community_a1=OrgUnit.objects.get(pk=community_a1.pk),
        grid_a1=grid_a1,
        community_a2=community_a2,
        street_b=OrgUnit.objects.get(pk=street_b.pk),
        community_b1=community_b1,
    )


@pytest.fixture
def personas(tree: Tree) -> Personas:
    return Personas(
        district_staff=user_with_post("district", tree.district, "district_staff_organisation"),
        street_a_cadre=user_with_post("street_a", tree.street_a, "street_cadre"),
        community_a1_cadre=user_with_post("community_a1", tree.community_a1, "community_cadre"),
        street_b_cadre=user_with_post("street_b", tree.street_b, "street_cadre"),
        resident=user_with_post("resident", tree.community_a1, "resident"),
        case_worker=user_with_post("case_worker", tree.district, "case_worker"),
        system_admin=user_with_post("sysadmin", tree.district, "system_admin"),
        security_admin=user_with_post("secadmin", tree.district, "security_admin"),
        audit_admin=user_with_post("auditadmin", tree.district, "audit_admin"),
    )
