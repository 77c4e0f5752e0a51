"""The coverage roll-up against an independent SQL query, on a tree with every level."""

import datetime
import itertools
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import org, person, user_with_post
from tests.orgs.coverage_sql import FIGURES, coverage_by_sql
from warmhome.core.identifiers import fake_credit_code
from warmhome.orgs.coverage import EvidenceSource, register_evidence, unregister_evidence
from warmhome.orgs.models import OrgKind, OrgUnit, UnitFunding, UnitMember
from warmhome.orgs.models_new_orgs import GridLeader
from warmhome.orgs.selectors_coverage import coverage_rollup
from warmhome.orgs.services_new_orgs import new_org_register, new_org_womens_org_create

THRESHOLD = 10  # the policy's initial value
YEAR = timezone.localdate().year


def _figures(row) -> dict[str, int]:
    figures = row.figures
    values = {name: getattr(figures, name) for name in FIGURES if hasattr(figures, name)}
    values.update({key: figures.complete[key] for key in ("venue", "people", "funds")})
    return values


def _tree(rng: random.Random) -> tuple[OrgUnit, list, list, list]:
    """City → 2 districts → 2–3 streets → 2–3 communities → 0–3 grids, 0–6 两新 organisations
    per community (eligible or not) in the community or one of its grids."""
    city = org(None, OrgKind.CITY, "测试市")
    communities, grids, new_orgs = [], [], []
    for d in range(2):
        district = org(city, OrgKind.DISTRICT, f"第{d}区")
        for s in range(rng.randint(2, 3)):
            street = org(district, OrgKind.STREET, f"第{d}区第{s}街道")
            for c in range(rng.randint(2, 3)):
                community = org(street, OrgKind.COMMUNITY, f"第{d}区{s}街道{c}社区")
                communities.append(community)
                places = [community]
                for g in range(rng.randint(0, 3)):
                    places.append(org(community, OrgKind.GRID, f"{community.name}{g}网格"))
                grids += places[1:]
                new_orgs += [_company(rng, places, f"{community.name}企业{n}") for n in range(6)]
    return city, communities, grids, new_orgs


def _company(rng: random.Random, places: list, name: str):
    employees = rng.randint(1, 60)
    return new_org_register(
        actor=None,
        org=rng.choice(places),
        name=name,
        credit_code=fake_credit_code(rng=rng),
        employees=employees,
        female_employees=rng.randint(0, employees),
    )


def _womens_orgs(rng: random.Random, communities: list, new_orgs: list) -> list[OrgUnit]:
    """Joint and standalone women's organisations; one in four closed afterwards."""
    for community in communities:
        mine = [item for item in new_orgs if item.community.pk == community.pk]
        rng.shuffle(mine)
        if rng.random() < 0.7:
            new_org_womens_org_create(actor=None, new_org=mine[0], partners=mine[1:3])
        if rng.random() < 0.7:
            new_org_womens_org_create(actor=None, new_org=mine[3])
    women = list(OrgUnit.objects.filter(kind=OrgKind.NEW_ORG))
    for unit in rng.sample(women, k=len(women) // 4):
        OrgUnit.objects.filter(pk=unit.pk).update(is_active=False)
    return women


def _facts(rng: random.Random, grids: list, units: list) -> None:
    """Grid leaders (some ended), venues, chairs and funds (this year or last) at random."""
    for grid in rng.sample(grids, k=len(grids) * 2 // 3):
        GridLeader.objects.create(
            org=grid, person=person(grid), started_on=datetime.date(YEAR, 1, 2)
        )
    for grid in rng.sample(grids, k=len(grids) // 5):
        GridLeader.objects.filter(org=grid).update(ended_on=datetime.date(YEAR, 2, 1))
    for unit in units:
        if rng.random() < 0.5:
            OrgUnit.objects.filter(pk=unit.pk).update(has_venue=True)
        if rng.random() < 0.5:
            UnitMember.objects.create(org=unit, role="chair", person=person(unit))
        if rng.random() < 0.5:
            UnitFunding.objects.create(
                org=unit, year=rng.choice([YEAR, YEAR - 1]), amount=Decimal(5000), source="财政"
            )


def _build_city(rng: random.Random) -> dict[str, list]:
    city, communities, grids, new_orgs = _tree(rng)
    women = _womens_orgs(rng, communities, new_orgs)
    _facts(rng, grids, [*communities, *women])
    # A community closed: it and its subtree leave the roll-up's rows.
    OrgUnit.objects.filter(pk=communities[-1].pk).update(is_active=False)
    return {"city": [city], "communities": communities, "grids": grids, "new_orgs": new_orgs}


@pytest.fixture
def work_evidence():
    """A test-only evidence source: visits as (new_org id, date) and (unit id, date)."""
    visits: dict[str, list[tuple[int, datetime.date]]] = {"new_orgs": [], "units": []}

    def between(kind):
        return lambda start, end: [pk for pk, day in visits[kind] if start <= day <= end]

    source = EvidenceSource(
        key="tests.visits", label="走访", new_orgs=between("new_orgs"), units=between("units")
    )
    register_evidence(source)
    yield visits
    unregister_evidence(source.key)


def _visit(visits, rng, items, kind) -> list[int]:
    """Record visits this year for some items and last year for others; return this year's."""
    this_year = []
    for item in items:
        roll = rng.random()
        if roll < 0.3:
            visits[kind].append((item.pk, datetime.date(YEAR, 1, 1)))
            this_year.append(item.pk)
        elif roll < 0.45:
            visits[kind].append((item.pk, datetime.date(YEAR - 1, 12, 31)))
    return this_year


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollup_matches_an_independent_sql_query(db, work_evidence, seed):
    rng = random.Random(seed)  # noqa: S311  (a reproducible test tree, not a secret)
    built = _build_city(rng)
    reached_new_orgs = _visit(work_evidence, rng, built["new_orgs"], "new_orgs")
    women = list(OrgUnit.objects.filter(kind=OrgKind.NEW_ORG))
    reached_units = _visit(work_evidence, rng, [*built["grids"], *women], "units")
    viewer = user_with_post("city_viewer", built["city"][0], "district_leader")

    report = coverage_rollup(viewer, YEAR)
    expected = coverage_by_sql(
        threshold=THRESHOLD,
        year=YEAR,
        reached_new_orgs=reached_new_orgs,
        reached_units=reached_units,
    )

    assert {row.unit_id for row in report.rows} == set(expected)
    for row in report.rows:
        assert _figures(row) == expected[row.unit_id], row.name
    city = report.row_of(built["city"][0].pk)
    assert city.figures.eligible > city.figures.covered > 0
    assert 0 < city.figures.reached < city.figures.eligible
    assert 0 < city.figures.grids_led < city.figures.grids


def test_rollup_keeps_to_the_users_scope(db, tree, personas):
    inside = new_org_register(
        actor=None,
        org=tree.grid_a1,
        name="解放桥科技有限公司",
        credit_code=fake_credit_code(),
        employees=40,
        female_employees=20,
    )
    new_org_register(
        actor=None,
        org=tree.community_b1,
        name="佛山苑服务中心",
        credit_code=fake_credit_code(prefix="52"),
        employees=30,
        female_employees=15,
    )
    new_org_womens_org_create(actor=None, new_org=inside)

    street_a = coverage_rollup(personas.street_a_cadre)
    district = coverage_rollup(personas.district_staff)

    assert {row.name for row in street_a.rows} == {"解放路街道", "解放桥社区", "甲二社区"}
    assert street_a.row_of(tree.street_a.pk).parent_id is None
    assert street_a.row_of(tree.street_a.pk).figures.org_coverage == 1.0
    assert district.row_of(tree.district.pk).figures.eligible == 2
    assert district.row_of(tree.district.pk).figures.org_coverage == 0.5
    assert district.row_of(tree.street_b.pk).figures.org_coverage == 0.0
    assert {row.unit_id for row in district.children_of(tree.district.pk)} == {
        tree.street_a.pk,
        tree.street_b.pk,
    }


def test_eligibility_follows_the_dated_policy(db, tree, personas):
    from warmhome.rules.services import policy_set

    new_org_register(
        actor=None,
        org=tree.community_a1,
        name="小微企业",
        credit_code=fake_credit_code(),
        employees=8,
        female_employees=6,
    )
    assert coverage_rollup(personas.street_a_cadre).rows[0].figures.eligible == 0

    policy_set(
        actor=user_with_post("leader", tree.district, "district_leader"),
        key="new_org.womens_org_female_employees_min",
        value=5,
        valid_from=timezone.localdate(),
        basis="测试",
    )

    assert coverage_rollup(personas.street_a_cadre).rows[0].figures.eligible == 1


def test_rollup_runs_a_fixed_number_of_queries(db, tree, personas, django_assert_max_num_queries):
    for index, place in enumerate(itertools.islice(itertools.cycle([tree.grid_a1]), 30)):
        new_org_register(
            actor=None,
            org=place,
            name=f"企业{index}",
            credit_code=fake_credit_code(),
            employees=20,
            female_employees=12,
        )
    with django_assert_max_num_queries(8):
        coverage_rollup(personas.district_staff)


def test_moving_a_community_moves_its_new_orgs_in_the_rollup(db, tree, personas):
    from warmhome.orgs.services import orgunit_move

    new_org_register(
        actor=None,
        org=tree.grid_a1,
        name="随社区迁移的公司",
        credit_code=fake_credit_code(),
        employees=40,
        female_employees=20,
    )
    before = coverage_rollup(personas.district_staff)
    assert before.row_of(tree.street_a.pk).figures.eligible == 1

    orgunit_move(actor=personas.district_staff, unit=tree.community_a1, new_parent=tree.street_b)

    after = coverage_rollup(personas.district_staff)
    assert after.row_of(tree.street_a.pk).figures.eligible == 0
    assert after.row_of(tree.street_b.pk).figures.eligible == 1
    assert after.row_of(tree.street_b.pk).figures.grids == 1
    assert coverage_rollup(personas.street_a_cadre).row_of(tree.street_a.pk).figures.new_orgs == 0
