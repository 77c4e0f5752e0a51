"""The demo data set: 济南市历下区 with its streets, communities and grids, and one login per role.

Loading is all or nothing (one transaction) and happens once: when the district is already there,
nothing is touched. Names of people are synthetic (Faker zh_CN, seeded, so every load gives the
same names); the demo password satisfies the password rules and is printed by ``warmhome demo
logins`` — it is for a local demo only, never for a real installation.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from warmhome.accounts.default_roles import DEFAULT_ROLES
from warmhome.accounts.models import Post, Role
from warmhome.accounts.services import post_create, roles_ensure_defaults, user_create
from warmhome.orgs.data import lixia
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.orgs.services import orgunit_create

DEMO_PASSWORD = "Wenxin@2026"  # noqa: S105 (the published password of the local demo)
_NAME_SEED = 2026

#: where each role's demo user holds its post (by unit code); every other role sits at the district
_ROLE_PLACES: dict[str, str] = {
    "street_cadre": "370102001000",  # 解放路街道
    "community_cadre": "370102001002",  # 解放桥社区
    "executive_member": "370102001002",
    "representative": "370102001002",
    "volunteer": "370102001002",
    "resident": "370102001002",
}


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    password: str
    role_name: str
    org_name: str


@transaction.atomic
def demo_load(*, actor: Any = None) -> bool:
    """Load the demo district and its users unless present; return whether anything was made."""
    if OrgUnit.objects.filter(code=lixia.DISTRICT_CODE).exists():
        return False
    roles_ensure_defaults()
    _org_tree_create(actor=actor)
    _users_create(actor=actor)
    return True


def demo_logins() -> list[DemoLogin]:
    """The demo users that exist, one per role, in the order of the default roles."""
    posts = {
        post.role.code: post
        for post in Post.objects.filter(
            user__username__in=[spec["code"] for spec in DEFAULT_ROLES]
        ).select_related("user", "role", "org")
        if post.user.username == post.role.code
    }
    return [
        DemoLogin(
            username=post.user.username,
            password=DEMO_PASSWORD,
            role_name=post.role.name,
            org_name=post.org.name,
        )
        for spec in DEFAULT_ROLES
        if (post := posts.get(spec["code"])) is not None
    ]


def _org_tree_create(*, actor: Any) -> OrgUnit:
    district = orgunit_create(
        actor=actor,
        parent=None,
        kind=OrgKind.DISTRICT,
        name=lixia.DISTRICT_NAME,
        short_name=lixia.DISTRICT_SHORT_NAME,
        code=lixia.DISTRICT_CODE,
    )
    for street_data in lixia.STREETS:
        street = orgunit_create(
            actor=actor,
            parent=district,
            kind=OrgKind.STREET,
            name=street_data.name,
            code=street_data.code,
        )
        for community_data in street_data.communities:
            community = orgunit_create(
                actor=actor,
                parent=street,
                kind=OrgKind.COMMUNITY,
                name=community_data.name,
                code=community_data.code,
            )
            for grid_name in lixia.GRID_NAMES:
                orgunit_create(
                    actor=actor,
                    parent=community,
                    kind=OrgKind.GRID,
                    name=f"{community.name}{grid_name}",
                    short_name=grid_name,
                )
    return district


def _users_create(*, actor: Any) -> None:
    fake = Faker("zh_CN")
    fake.seed_instance(_NAME_SEED)
    for spec in DEFAULT_ROLES:
        code = spec["code"]
        user = user_create(
            actor=actor,
            username=code,
            display_name=fake.name_female(),
            initial_password=DEMO_PASSWORD,
        )
        # The demo's password is published, so there is nothing to gain from a forced change.
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["must_change_password", "password_changed_at"])
        org = OrgUnit.objects.get(code=_ROLE_PLACES.get(code, lixia.DISTRICT_CODE))
        post_create(actor=actor, user=user, org=org, role=Role.objects.get(code=code))


# --- the facts of each unit (有阵地、有人员、有经费; 单建/联建; 阶段) ----------------------------

_FACTS_SEED = 4
_FUND_SOURCES = ("街道财政拨款", "社区党建经费", "区妇联补助", "共建单位支持")


def facts_demo_load() -> bool:
    """Give the demo's streets and communities plausible facts; some are left incomplete on
    purpose (every fifth community has nothing, every seventh lacks this year's funds).

    Runs after the persons' demo (chairs are drawn from the persons of each community).
    Idempotent: nothing happens once any unit has funds recorded.
    """
    from warmhome.orgs.models import UnitFunding

    if (
        UnitFunding.objects.exists()
        or not OrgUnit.objects.filter(code=lixia.DISTRICT_CODE).exists()
    ):
        return False
    with transaction.atomic():
        _facts_create()
    return True


def _facts_create() -> None:
    import datetime
    import random
    from decimal import Decimal

    from django.apps import apps

    from warmhome.orgs.models import EstablishmentMode, MemberRole, Stage, StageCriterion
    from warmhome.orgs.services import (
        orgunit_facts_update,
        stage_record,
        unit_funding_record,
        unit_member_add,
    )

    rng = random.Random(_FACTS_SEED)  # noqa: S311  (synthetic demo data, not secrets)
    fake = Faker("zh_CN")
    fake.seed_instance(_FACTS_SEED)
    person_model = apps.get_model("people", "Person")
    this_year = timezone.localdate().year
    criteria = {
        stage: list(StageCriterion.objects.filter(stage=stage, is_active=True))
        for stage in Stage.values
    }
    units = list(
        OrgUnit.objects.filter(
            kind__in=[OrgKind.STREET, OrgKind.COMMUNITY], is_active=True
        ).order_by("path")
    )
    communities = 0
    for unit in units:
        if unit.kind == OrgKind.COMMUNITY:
            communities += 1
            if communities % 5 == 0:
                continue  # deliberately incomplete: nothing recorded yet
        joint = unit.kind == OrgKind.COMMUNITY and rng.random() < 0.25
        has_venue = rng.random() < 0.9
        orgunit_facts_update(
            actor=None,
            unit=unit,
            establishment_mode=EstablishmentMode.JOINT if joint else EstablishmentMode.STANDALONE,
            joint_partner_names="\n".join(fake.company() for _ in range(rng.randint(1, 2)))
            if joint
            else "",
            has_venue=has_venue,
            venue_area=Decimal(rng.randrange(40, 240, 5)) if has_venue else None,
            venue_address=f"{unit.name}党群服务中心{rng.randint(1, 3)}楼" if has_venue else "",
        )
        women = list(
            person_model.objects.filter(
                org__path__startswith=unit.path, sex="female", merged_into__isnull=True
            ).order_by("pk")[:4]
        )
        roles = [
            MemberRole.CHAIR,
            MemberRole.VICE_CHAIR,
            MemberRole.PART_TIME_VICE_CHAIR,
            MemberRole.MEMBER,
        ]
        for person, role in zip(women, roles, strict=False):
            unit_member_add(
                actor=None,
                unit=unit,
                role=role,
                person=person,
                term_start=datetime.date(this_year - 2, rng.randint(1, 12), 1),
            )
        years = [this_year - 1] + ([] if communities % 7 == 0 else [this_year])
        for year in years:
            unit_funding_record(
                actor=None,
                unit=unit,
                year=year,
                amount=Decimal(rng.randrange(3000, 20000, 500)),
                source=rng.choice(_FUND_SOURCES),
            )
        reached = datetime.date(this_year - 3, rng.randint(1, 12), rng.randint(1, 28))
        goal = rng.choices([1, 2, 3], weights=[5, 3, 1])[0]
        for rank, stage in enumerate(Stage.values, start=1):
            if rank > goal:
                break
            stage_record(
                actor=None,
                unit=unit,
                stage=stage,
                reached_on=min(reached, timezone.localdate()),
                evidence=f"{unit.name}{Stage(stage).label}佐证：会议记录、照片、文件（演示数据）",
                criteria=criteria[stage],
            )
            reached += datetime.timedelta(days=rng.randint(200, 400))
