"""Synthetic 两新 organisations and grid leaders for the demo (Faker zh_CN, seeded).

A few hundred companies and social organisations spread over the demo communities and grids,
with valid (synthetic) credit codes; about half of the eligible ones get a standalone women's
organisation, some small neighbours a joint one, and the rest stay in the gap list. Most grids
get a women's leader drawn from the demo persons of their community. Runs after the persons'
loader; loads once (nothing happens when any 两新 organisation exists).
"""

import datetime
import random

from django.apps import apps
from django.db import transaction
from faker import Faker

from warmhome.core.identifiers import fake_credit_code
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.orgs.models_new_orgs import GridLeader, GridLeaderTitle, NewOrg
from warmhome.orgs.services_new_orgs import (
    grid_leader_assign,
    new_org_register,
    new_org_womens_org_create,
)

_SEED = 4_2026
_INDUSTRIES = (
    "制造业",
    "批发和零售业",
    "住宿和餐饮业",
    "信息技术服务业",
    "金融业",
    "房地产业",
    "租赁和商务服务业",
    "教育",
    "卫生和社会工作",
    "文化体育和娱乐业",
)
_SOCIAL_SUFFIXES = ("社会工作服务中心", "志愿者协会", "养老服务中心", "青少年发展中心", "商会")
#: credit-code prefixes and their weights: mostly companies
_PREFIXES = (("91", 80), ("92", 5), ("52", 10), ("51", 5))


def _size(rng: random.Random) -> tuple[int, int]:
    employees = max(1, int(rng.lognormvariate(3.0, 1.0)))
    female = int(employees * rng.uniform(0.15, 0.75))
    return employees, female


@transaction.atomic
def new_orgs_demo_load(count: int = 300) -> int:
    """Create ``count`` 两新 organisations (once) and grid leaders; returns how many were made."""
    if NewOrg.objects.exists():
        return 0
    places = list(
        OrgUnit.objects.filter(kind__in=[OrgKind.COMMUNITY, OrgKind.GRID], is_active=True)
    )
    if not places:
        return 0
    fake = Faker("zh_CN")
    fake.seed_instance(_SEED)
    rng = random.Random(_SEED)  # noqa: S311  (synthetic data, not a secret)
    prefixes = [prefix for prefix, _weight in _PREFIXES]
    weights = [weight for _prefix, weight in _PREFIXES]
    made: list[NewOrg] = []
    codes: set[str] = set()
    while len(made) < count:
        prefix = rng.choices(prefixes, weights)[0]
        code = fake_credit_code(prefix, rng=rng)
        if code in codes:
            continue
        codes.add(code)
        employees, female = _size(rng)
        name = (
            fake.company()
            if prefix.startswith("9")
            else fake.city_name() + rng.choice(_SOCIAL_SUFFIXES)
        )
        made.append(
            new_org_register(
                actor=None,
                org=rng.choice(places),
                name=name,
                credit_code=code,
                industry=rng.choice(_INDUSTRIES) if prefix.startswith("9") else "",
                employees=employees,
                female_employees=female,
                has_party_org=rng.random() < 0.3,
            )
        )
    _womens_orgs(made, rng)
    _grid_leaders(rng)
    return len(made)


def _womens_orgs(new_orgs: list[NewOrg], rng: random.Random) -> None:
    by_community: dict[int, list[NewOrg]] = {}
    for new_org in new_orgs:
        by_community.setdefault(new_org.community.pk, []).append(new_org)
    for members in by_community.values():
        big = [item for item in members if item.female_employees >= 10]
        small = [item for item in members if item.female_employees < 10]
        for new_org in big:
            if rng.random() < 0.55:
                new_org_womens_org_create(
                    actor=None, new_org=new_org, valid_from=datetime.date(2024, 3, 8)
                )
        if len(small) >= 2 and rng.random() < 0.5:
            lead, *partners = small[: rng.randint(2, 3)]
            new_org_womens_org_create(
                actor=None, new_org=lead, partners=partners, valid_from=datetime.date(2025, 3, 8)
            )


def _grid_leaders(rng: random.Random) -> None:
    person_model = apps.get_model("people", "Person")
    for grid in OrgUnit.objects.filter(kind=OrgKind.GRID, is_active=True):
        if rng.random() < 0.15 or GridLeader.objects.filter(org=grid).exists():
            continue  # some grids stay without a leader: the gap list shows them
        community_path = grid.path[: -OrgUnit.steplen]
        candidates = list(
            person_model.objects.filter(
                org__path__startswith=community_path, sex="female", merged_into__isnull=True
            ).order_by("pk")[:20]
        )
        if not candidates:
            continue
        grid_leader_assign(
            actor=None,
            grid=grid,
            person=rng.choice(candidates),
            title=rng.choice(GridLeaderTitle.values),
            started_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 365)),
        )
