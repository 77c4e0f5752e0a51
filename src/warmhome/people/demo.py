"""Synthetic persons and households for the demo (Faker zh_CN, seeded: every load is the same).

``persons_demo_load(count)`` is called by the demo loader after the organisation tree exists;
it spreads ``count`` persons over the active communities and grids, puts about a third of them
into households and shields one. It adds nothing when persons already exist.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from faker import Faker

from warmhome.core.identifiers import Sex as DerivedSex
from warmhome.core.identifiers import fake_citizen_id, fake_mobile
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.people import services
from warmhome.people.models import (
    Category,
    Education,
    EmploymentStatus,
    MaritalStatus,
    Person,
    Relationship,
)

_SEED = 2026


@transaction.atomic
def persons_demo_load(count: int = 300) -> int:
    """Create ``count`` synthetic persons (once); returns how many were created."""
    if Person.objects.exists():
        return 0
    units = list(OrgUnit.objects.filter(kind__in=[OrgKind.COMMUNITY, OrgKind.GRID], is_active=True))
    if not units:
        return 0
    rng = random.Random(_SEED)  # noqa: S311  (synthetic demo data, not a secret)
    fake = Faker("zh_CN")
    fake.seed_instance(_SEED)
    categories = list(Category.objects.filter(is_active=True))
    today = timezone.localdate()
    created: list[Person] = []
    used_ids: set[str] = set()
    while len(created) < count:
        sex: DerivedSex = "female" if rng.random() < 0.85 else "male"
        birth = today - datetime.timedelta(days=rng.randint(6 * 365, 85 * 365))
        citizen_id = fake_citizen_id(birth_date=birth, sex=sex, rng=rng)
        if citizen_id in used_ids:
            continue
        used_ids.add(citizen_id)
        unit = rng.choice(units)
        name = fake.name_female() if sex == "female" else fake.name_male()
        result = services.person_create(
            actor=None,
            org=unit,
            name=name,
            sex=sex,
            citizen_id=citizen_id,
            phone=fake_mobile(rng=rng) if rng.random() < 0.9 else "",
            residence_address=f"{unit.name}{fake.street_name()}{rng.randint(1, 30)}号",
            education=rng.choice(Education.values),
            employment_status=rng.choice(EmploymentStatus.values),
            marital_status=rng.choice(MaritalStatus.values),
            categories=rng.sample(categories, k=rng.randint(0, 2)) if categories else None,
        )
        created.append(result.person)
    _households(created, rng)
    services.person_shield(actor=None, person=created[0], reason="演示：反家暴个案当事人")
    return len(created)


def _households(persons: list[Person], rng: random.Random) -> None:
    by_org: dict[int, list[Person]] = {}
    for person in persons:
        by_org.setdefault(person.org_id, []).append(person)
    for members in by_org.values():
        for start in range(0, len(members) // 3 * 3, 3):
            head, *others = members[start : start + 3]
            household = services.household_create(
                actor=None, org=head.org, address=head.residence_address, head=head
            )
            for other in others:
                relationship = rng.choice([Relationship.SPOUSE, Relationship.CHILD])
                services.household_member_add(
                    actor=None, household=household, person=other, relationship=relationship
                )
