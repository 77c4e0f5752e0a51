"""Time the coverage roll-up on a city-scale tree, beside one hand-written SQL query.

    .venv/bin/python bench/coverage.py --scale 0.01                 # SQLite, temporary, small
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_coverage \\
        .venv/bin/python bench/coverage.py                          # full scale, PostgreSQL

Full scale (``--scale 1``): 10 districts, 150 streets, 1,500 communities, 15,000 grids and
200,000 两新 organisations under one city, with women's organisations (standalone and joint),
grid leaders, venues, chairs and funds, and a synthetic work-evidence source (organisations with
a party organisation and grids marked "visited" count as reached). Written with ``bulk_create``
(benchmark data only: no services, no audit). The database is created and dropped like
``bench/people_data.py`` does (PostgreSQL names must start with ``bench``; ``--keep`` keeps it).

Then, as a user with a post at the city, it times ``orgs.selectors_coverage.coverage_rollup``
(all its queries, the user's posts included) and, on PostgreSQL, one hand-written SQL statement
computing the same figures for every unit, alternately, ``--runs`` times each; it checks that both
give the same numbers and prints the medians and their ratio. Targets: ≤ 300 ms, ≤ 1.5 × SQL.
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

SEED = 2026
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
BATCH = 5000
FULL = {"districts": 10, "streets": 15, "communities": 10, "grids": 10, "new_orgs": 200_000}


def step(number: int) -> str:
    """treebeard's path step of the ``number``-th child (base 36, 4 characters)."""
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(4, "0")


def shape(scale: float) -> dict[str, int]:
    if scale >= 1:
        return dict(FULL)
    return {
        "districts": max(2, round(10 * scale**0.25)),
        "streets": max(2, round(15 * scale**0.25)),
        "communities": max(2, round(10 * scale**0.25)),
        "grids": max(2, round(10 * scale**0.25)),
        "new_orgs": max(200, round(200_000 * scale)),
    }


def tree_load(rng: random.Random, sizes: dict[str, int]) -> dict[str, list[Any]]:
    """The city tree, bulk-inserted with treebeard's paths; returns the units by kind."""
    from warmhome.orgs.models import OrgKind, OrgUnit

    units: list[OrgUnit] = []
    by_kind: dict[str, list[OrgUnit]] = {kind: [] for kind in OrgKind.values}

    def add(path: str, kind: str, name: str, children: int) -> OrgUnit:
        unit = OrgUnit(
            path=path,
            depth=len(path) // 4,
            numchild=children,
            kind=kind,
            name=name,
            has_venue=kind == OrgKind.COMMUNITY and rng.random() < 0.6,
            # The synthetic evidence: grids with federation work this year.
            short_name="visited" if kind == OrgKind.GRID and rng.random() < 0.4 else "",
        )
        units.append(unit)
        by_kind[kind].append(unit)
        return unit

    # Beside whatever roots the database holds already (e.g. the demo district).
    root = OrgUnit.objects.filter(depth=1).count() + 1
    city = add(step(root), OrgKind.CITY, "基准测试市", sizes["districts"])
    for d in range(1, sizes["districts"] + 1):
        district_path = city.path + step(d)
        add(district_path, OrgKind.DISTRICT, f"第{d}区", sizes["streets"])
        for s in range(1, sizes["streets"] + 1):
            street_path = district_path + step(s)
            add(street_path, OrgKind.STREET, f"{d}区{s}街道", sizes["communities"])
            for c in range(1, sizes["communities"] + 1):
                community_path = street_path + step(c)
                # Women's organisations are added as further children later (numchild fixed then).
                add(community_path, OrgKind.COMMUNITY, f"{d}区{s}街{c}社区", sizes["grids"])
                for g in range(1, sizes["grids"] + 1):
                    add(community_path + step(g), OrgKind.GRID, f"{d}-{s}-{c}网格{g}", 0)
    OrgUnit.objects.bulk_create(units, batch_size=BATCH)
    return {kind: list(OrgUnit.objects.filter(kind=kind).order_by("path")) for kind in by_kind}


def credit_code_for(i: int) -> str:
    """A valid, unique synthetic credit code for row ``i``."""
    from warmhome.core.identifiers import credit_code_check_character

    first17 = f"91370102{i:09d}"
    return first17 + credit_code_check_character(first17)


def new_orgs_load(rng: random.Random, units: dict[str, list[Any]], count: int) -> None:
    from warmhome.orgs.models import OrgUnit
    from warmhome.orgs.models_new_orgs import NewOrg

    communities = units["community"]
    grids_of: dict[str, list[Any]] = {}
    for grid in units["grid"]:
        grids_of.setdefault(grid.path[:-4], []).append(grid)
    rows: list[NewOrg] = []
    for i in range(count):
        community = communities[i % len(communities)]
        grids = grids_of.get(community.path, [])
        place = rng.choice(grids) if grids and rng.random() < 0.7 else community
        employees = max(1, int(rng.lognormvariate(3.0, 1.0)))
        rows.append(
            NewOrg(
                org_id=place.pk,
                name=f"基准企业{i}",
                credit_code=credit_code_for(i),
                kind="enterprise",
                employees=employees,
                female_employees=int(employees * rng.uniform(0.1, 0.8)),
                has_party_org=rng.random() < 0.25,
            )
        )
    NewOrg.objects.bulk_create(rows, batch_size=BATCH)

    # Women's organisations: about half of the eligible ones, one in four of them joint (3 each).
    women: list[OrgUnit] = []
    links: list[tuple[int, int]] = []  # (new org id, index of its women's organisation)
    next_child = {
        community.path: len(grids_of.get(community.path, [])) for community in communities
    }
    community_of = {community.pk: community for community in communities}
    grid_parent = {grid.pk: grid.path[:-4] for grid in units["grid"]}
    paths = {community.path: community for community in communities}
    eligible = NewOrg.objects.filter(female_employees__gte=10).values_list("pk", "org_id")
    pending: dict[str, list[int]] = {}
    for pk, org_id in eligible.iterator(chunk_size=BATCH):
        if rng.random() >= 0.5:
            continue
        community_path = grid_parent.get(org_id) or community_of[org_id].path
        group = pending.setdefault(community_path, [])
        group.append(pk)
        joint = rng.random() < 0.25
        if joint and len(group) < 3:
            continue
        next_child[community_path] += 1
        women.append(
            OrgUnit(
                path=community_path + step(next_child[community_path]),
                depth=len(community_path) // 4 + 1,
                numchild=0,
                kind="new_org",
                name=f"妇委会{len(women)}",
                establishment_mode="joint" if len(group) > 1 else "standalone",
                is_active=rng.random() < 0.95,
                has_venue=rng.random() < 0.3,
            )
        )
        links += [(member, len(women) - 1) for member in group]
        pending[community_path] = []
    OrgUnit.objects.bulk_create(women, batch_size=BATCH)
    for community_path, children in next_child.items():
        paths[community_path].numchild = children
    OrgUnit.objects.bulk_update(communities, ["numchild"], batch_size=BATCH)
    created = {unit.path: unit.pk for unit in OrgUnit.objects.filter(kind="new_org")}
    by_index = [created[unit.path] for unit in women]
    updates = [NewOrg(pk=member, womens_org_id=by_index[index]) for member, index in links]
    NewOrg.objects.bulk_update(updates, ["womens_org"], batch_size=BATCH)


def facts_load(rng: random.Random, units: dict[str, list[Any]]) -> None:
    """Grid leaders (80 % of grids), chairs (70 % of communities), funds (60 %)."""
    from decimal import Decimal

    from warmhome.orgs.models import UnitFunding, UnitMember
    from warmhome.orgs.models_new_orgs import GridLeader
    from warmhome.people.models import Person

    communities = units["community"]
    persons = [
        Person(org_id=communities[i % len(communities)].pk, name=f"基准{i}", sex="female")
        for i in range(len(communities) * 3)
    ]
    Person.objects.bulk_create(persons, batch_size=BATCH)
    person_ids = list(Person.objects.values_list("pk", flat=True))
    year = datetime.date.today().year
    GridLeader.objects.bulk_create(
        [
            GridLeader(
                org_id=grid.pk,
                person_id=rng.choice(person_ids),
                started_on=datetime.date(year, 1, 2),
            )
            for grid in units["grid"]
            if rng.random() < 0.8
        ],
        batch_size=BATCH,
    )
    UnitMember.objects.bulk_create(
        [
            UnitMember(org_id=unit.pk, role="chair", person_id=rng.choice(person_ids))
            for unit in communities
            if rng.random() < 0.7
        ],
        batch_size=BATCH,
    )
    UnitFunding.objects.bulk_create(
        [
            UnitFunding(org_id=unit.pk, year=year, amount=Decimal(5000), source="财政")
            for unit in communities
            if rng.random() < 0.6
        ],
        batch_size=BATCH,
    )


def register_evidence() -> None:
    from warmhome.orgs.coverage import EvidenceSource
    from warmhome.orgs.coverage import register_evidence as register
    from warmhome.orgs.models import OrgUnit
    from warmhome.orgs.models_new_orgs import NewOrg

    register(
        EvidenceSource(
            key="bench.synthetic",
            label="基准测试",
            new_orgs=lambda start, end: NewOrg.objects.filter(has_party_org=True).values("pk"),
            units=lambda start, end: OrgUnit.objects.filter(short_name="visited").values("pk"),
        )
    )


HAND_SQL = """
WITH reached_new AS (SELECT id FROM orgs_neworg WHERE has_party_org),
reached_units AS (SELECT id FROM orgs_orgunit WHERE short_name = 'visited'),
n AS (
    SELECT substr(o.path, 1, %(length)s) AS prefix,
        count(*) AS new_orgs,
        count(*) FILTER (WHERE n.female_employees >= %(threshold)s) AS eligible,
        count(*) FILTER (WHERE n.female_employees >= %(threshold)s AND w.is_active) AS covered,
        count(*) FILTER (WHERE n.female_employees >= %(threshold)s AND w.is_active
                         AND w.establishment_mode = 'joint') AS covered_joint,
        count(*) FILTER (WHERE n.female_employees >= %(threshold)s
                         AND (n.id IN (SELECT id FROM reached_new)
                              OR n.womens_org_id IN (SELECT id FROM reached_units))) AS reached
    FROM orgs_neworg n
    JOIN orgs_orgunit o ON o.id = n.org_id
    LEFT JOIN orgs_orgunit w ON w.id = n.womens_org_id
    WHERE n.is_active
    GROUP BY 1
),
u AS (
    SELECT substr(u.path, 1, %(length)s) AS prefix,
        count(*) FILTER (WHERE u.kind = 'grid') AS grids,
        count(*) FILTER (WHERE u.kind = 'grid' AND u.id IN (SELECT id FROM reached_units))
            AS grids_reached,
        count(*) FILTER (WHERE u.kind = 'grid' AND EXISTS (
            SELECT 1 FROM orgs_gridleader l WHERE l.org_id = u.id AND l.ended_on IS NULL))
            AS grids_led,
        count(*) FILTER (WHERE u.kind IN ('community', 'new_org')) AS base_units,
        count(*) FILTER (WHERE u.kind IN ('community', 'new_org') AND u.has_venue) AS venue,
        count(*) FILTER (WHERE u.kind IN ('community', 'new_org') AND EXISTS (
            SELECT 1 FROM orgs_unitmember m
            WHERE m.org_id = u.id AND m.role = 'chair' AND m.is_active)) AS people,
        count(*) FILTER (WHERE u.kind IN ('community', 'new_org') AND EXISTS (
            SELECT 1 FROM orgs_unitfunding f WHERE f.org_id = u.id AND f.year = %(year)s))
            AS funds
    FROM orgs_orgunit u
    WHERE u.is_active AND u.kind IN ('grid', 'community', 'new_org')
    GROUP BY 1
),
groups AS (
    SELECT prefix, new_orgs, eligible, covered, covered_joint, reached,
        0 AS grids, 0 AS grids_reached, 0 AS grids_led, 0 AS base_units, 0 AS venue,
        0 AS people, 0 AS funds
    FROM n
    UNION ALL
    SELECT prefix, 0, 0, 0, 0, 0, grids, grids_reached, grids_led, base_units, venue, people,
        funds
    FROM u
),
rolled AS (
    SELECT substr(g.prefix, 1, 4 * level) AS path, sum(new_orgs) AS new_orgs,
        sum(eligible) AS eligible, sum(covered) AS covered, sum(covered_joint) AS covered_joint,
        sum(reached) AS reached, sum(grids) AS grids, sum(grids_reached) AS grids_reached,
        sum(grids_led) AS grids_led, sum(base_units) AS base_units, sum(venue) AS venue,
        sum(people) AS people, sum(funds) AS funds
    FROM groups g
    JOIN (VALUES (1), (2), (3), (4), (5), (6), (7), (8)) AS levels (level)
        ON 4 * level <= length(g.prefix)
    GROUP BY 1
)
SELECT r.id, coalesce(new_orgs, 0), coalesce(eligible, 0), coalesce(covered, 0),
    coalesce(covered_joint, 0), coalesce(reached, 0), coalesce(grids, 0),
    coalesce(grids_reached, 0), coalesce(grids_led, 0), coalesce(base_units, 0),
    coalesce(venue, 0), coalesce(people, 0), coalesce(funds, 0)
FROM orgs_orgunit r LEFT JOIN rolled ON rolled.path = r.path
WHERE r.is_active AND r.kind IN ('city', 'district', 'street', 'community')
    AND r.path LIKE %(root)s
"""
FIGURES = (
    "new_orgs",
    "eligible",
    "covered",
    "covered_joint",
    "reached",
    "grids",
    "grids_reached",
    "grids_led",
    "base_units",
)


def hand_sql(threshold: int, length: int, year: int, root: str) -> dict[int, tuple[int, ...]]:
    from django.db import connection

    params = {"threshold": threshold, "length": length, "year": year, "root": root + "%"}
    with connection.cursor() as cursor:
        cursor.execute(HAND_SQL, params)
        return {row[0]: tuple(int(value) for value in row[1:]) for row in cursor.fetchall()}


def set_jit(on: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET jit = " + ("on" if on else "off"))


def selector_figures(report: Any) -> dict[int, tuple[int, ...]]:
    return {
        row.unit_id: (
            *(getattr(row.figures, name) for name in FIGURES),
            *(row.figures.complete[key] for key in ("venue", "people", "funds")),
        )
        for row in report.rows
    }


def run(runs: int) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from people_data import engine_name

    from warmhome.accounts.models import User
    from warmhome.orgs.models import OrgUnit
    from warmhome.orgs.selectors_coverage import coverage_rollup

    user = User.objects.get(username="bench_city")
    year = datetime.date.today().year
    city_path = OrgUnit.objects.get(kind="city", name="基准测试市").path
    length = len(city_path) + 12  # city, district, street, community
    report = coverage_rollup(user, year)
    print(f"{engine_name()}: {len(report.rows):,} roll-up units; threshold {report.threshold}")
    postgres = engine_name() == "postgresql"
    if postgres:
        expected = hand_sql(report.threshold, length, year, city_path)
        assert selector_figures(report) == expected, "selector and SQL disagree"
        print("selector and hand-written SQL agree on every unit and figure")
    selector_ms, sql_ms, sql_jit_ms, statements = [], [], [], 0
    for _ in range(runs):
        user = User.objects.get(username="bench_city")  # fresh: its posts are read again
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            coverage_rollup(user, year)
            selector_ms.append((time.perf_counter() - started) * 1000)
        statements = len(captured.captured_queries)
        if postgres:
            started = time.perf_counter()
            hand_sql(report.threshold, length, year, city_path)
            sql_jit_ms.append((time.perf_counter() - started) * 1000)
            # The statement's estimates put it above jit_above_cost, and JIT compilation
            # costs more than it saves: compare with the SQL at its best, JIT off.
            set_jit(False)
            started = time.perf_counter()
            hand_sql(report.threshold, length, year, city_path)
            sql_ms.append((time.perf_counter() - started) * 1000)
            set_jit(True)
        reset_queries()
    selector = statistics.median(selector_ms)
    print(f"selector  median {selector:7.1f} ms  min {min(selector_ms):7.1f}  ({statements} SQL)")
    if postgres:
        sql = statistics.median(sql_ms)
        print(f"hand SQL  median {sql:7.1f} ms  min {min(sql_ms):7.1f}  (1 SQL, jit off)")
        jit = statistics.median(sql_jit_ms)
        print(f"hand SQL  median {jit:7.1f} ms  min {min(sql_jit_ms):7.1f}  (1 SQL, jit default)")
        print(f"ratio selector / SQL: {selector / sql:.2f}  (target ≤ 1.5; selector ≤ 300 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the city of the issue")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    import people_data

    people_data.setup()
    try:
        from django.db import connection

        from warmhome.accounts.models import Post, Role, User
        from warmhome.accounts.services import roles_ensure_defaults
        from warmhome.orgs.models import OrgUnit

        if not OrgUnit.objects.filter(kind="city", name="基准测试市").exists():
            rng = random.Random(SEED)
            sizes = shape(args.scale)
            started = time.perf_counter()
            units = tree_load(rng, sizes)
            new_orgs_load(rng, units, sizes["new_orgs"])
            facts_load(rng, units)
            roles_ensure_defaults()
            user = User.objects.create(username="bench_city", display_name="基准")
            city = OrgUnit.objects.get(kind="city", name="基准测试市")
            Post.objects.create(user=user, org=city, role=Role.objects.get(code="district_leader"))
            if people_data.engine_name() == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            print(f"loaded {sizes} in {time.perf_counter() - started:.0f}s")
        register_evidence()
        run(args.runs)
    finally:
        if not args.keep:
            people_data.database_drop()


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here.parent))
    sys.path.insert(0, str(here))
    main()
