"""Time the volunteer figures at city scale, beside a hand-written SQL query.

    .venv/bin/python bench/volunteer_hours.py --scale 0.001             # SQLite, temporary, small
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_volunteers \\
        .venv/bin/python bench/volunteer_hours.py                       # full scale, PostgreSQL

Full scale (``--scale 1``): the city tree of ``bench/coverage.py`` (10 districts, 150 streets,
1,500 communities, 15,000 grids), 1,000,000 persons (minimal rows), 200,000 volunteers and
10,000,000 service records: about 50 per volunteer, one a day at most, spread over five years
(2021-11 … 2026-10), 98 % approved. Everything is generated inside the database by
``INSERT … SELECT`` over a number series (benchmark data only: no services, no audit). The
database is created and dropped like ``bench/people_data.py`` does (PostgreSQL names must start
with ``bench``; ``--keep`` keeps it, ``--reuse`` times an existing one again).

Then, as a user with a post at the city:

* one volunteer's totals and certificate data (``volunteers.selectors.certificate_data``, which
  includes ``volunteer_totals``), for ``--runs`` random volunteers; target ≤ 20 ms;
* a year of monthly hours by street (``hours_by_month_and_street(depth=street)``, all its
  queries) and one hand-written SQL statement computing the same figures from the same monthly
  table, alternately, ``--runs`` times each, checked equal (and equal to the sums over the
  records, whose SQL is timed too, for reference); targets ≤ 300 ms and ≤ 1.5 × the SQL.
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

SEED = 2026
FULL = {"persons": 1_000_000, "volunteers": 200_000, "records": 10_000_000}
CHUNK = 1_000_000
FIRST_DAY = datetime.date(2021, 11, 1)
#: record k of a volunteer falls on day k * SPREAD + (volunteer % SPREAD): never two a day
SPREAD = 36


def sizes(scale: float) -> dict[str, int]:
    return {key: max(50, round(value * scale)) for key, value in FULL.items()}


def _series(engine: str, start: int, stop: int) -> str:
    """A row source of integers ``n`` in [start, stop)."""
    if engine == "postgresql":
        return f"generate_series({start}, {stop - 1}) AS s(n)"
    return (
        f"(WITH RECURSIVE s(n) AS (SELECT {start} UNION ALL SELECT n + 1 FROM s "  # noqa: S608 - numbers only
        f"WHERE n < {stop - 1}) SELECT n FROM s) AS s"
    )


def _days(engine: str, expression: str) -> str:
    if engine == "postgresql":
        return f"(DATE '{FIRST_DAY.isoformat()}' + ({expression})::int)"
    return f"date('{FIRST_DAY.isoformat()}', ({expression}) || ' days')"


def _moment(engine: str, days: str, minutes: str) -> str:
    """UTC start of the day offset ``days`` plus ``minutes`` (01:00 UTC = 09:00 in China)."""
    if engine == "postgresql":
        return (
            f"(TIMESTAMPTZ '{FIRST_DAY.isoformat()} 01:00:00+00' + make_interval("
            f"days => ({days})::int, mins => ({minutes})::int))"
        )
    return (
        f"datetime('{FIRST_DAY.isoformat()} 01:00:00', ({days}) || ' days', "
        f"({minutes}) || ' minutes')"
    )


def run_sql(sql: str, params: Any = None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def persons_load(engine: str, count: int, org_count: int) -> None:
    now = "now()" if engine == "postgresql" else "datetime('now')"
    truth = "false" if engine == "postgresql" else "0"
    birth = _days(engine, "-(20000 + n % 15000)")
    for start in range(0, count, CHUNK):
        stop = min(count, start + CHUNK)
        run_sql(
            f"""
            INSERT INTO people_person (created_at, updated_at, name, name_pinyin_initials, sex,
                citizen_id, id_last4, birth_date, ethnic_group, phone, phone_last4,
                residence_address, registered_address, education, employment_status,
                marital_status, is_shielded, shield_reason, org_id)
            SELECT {now}, {now}, '基准' || n, 'jz', 'female', '', '', {birth}, '汉族', '', '',
                '', '', '', '', '', {truth}, '', b.org_id
            FROM {_series(engine, start, stop)}
            JOIN bench_orgs b ON b.i = n % {org_count}
            """  # noqa: S608 - built from this script's numbers, no input
        )
        print(f"  persons {stop:>10,}", flush=True)


def volunteers_load(engine: str, count: int) -> None:
    now = "now()" if engine == "postgresql" else "datetime('now')"
    joined = _days(engine, "-(p.id % 1000)")
    run_sql(
        f"""
        INSERT INTO volunteers_volunteer (created_at, updated_at, number, national_number, skills,
            availability, joined_on, status, org_id, person_id)
        SELECT {now}, {now}, 'ZYB' || p.id, '', '法律', 'anytime', {joined}, 'active',
            p.org_id, p.id
        FROM people_person p
        ORDER BY p.id
        LIMIT {count}
        """  # noqa: S608 - built from this script's numbers, no input
    )
    run_sql(
        "CREATE TEMP TABLE bench_volunteers AS "
        "SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, org_id FROM volunteers_volunteer"
    )
    run_sql("CREATE UNIQUE INDEX bench_volunteers_i ON bench_volunteers (i)")


def records_load(engine: str, count: int, volunteers: int, category_ids: list[int]) -> None:
    now = "now()" if engine == "postgresql" else "datetime('now')"
    day = f"((n / {volunteers}) * {SPREAD} + (n % {volunteers}) % {SPREAD})"
    minutes = "(60 + (n % 7) * 30)"
    hours = "(1 + (n % 7) * 0.5)"
    state = (
        "CASE WHEN n % 100 = 0 THEN 'pending' WHEN n % 100 = 1 THEN 'revoked' ELSE 'approved' END"
    )
    category = f"({category_ids[0]} + n % {len(category_ids)})"
    for start in range(0, count, CHUNK):
        stop = min(count, start + CHUNK)
        run_sql(
            f"""
            INSERT INTO volunteers_servicerecord (created_at, updated_at, state, state_changed_at,
                version, activity_ref, activity_title, service_date, started_at, ended_at, hours,
                content, source, category_id, org_id, volunteer_id)
            SELECT {now}, {now}, {state}, {now}, 0, '', '社区志愿服务', {_days(engine, day)},
                {_moment(engine, day, "0")}, {_moment(engine, day, minutes)}, {hours},
                '社区志愿服务', 'attendance', {category}, v.org_id, v.id
            FROM {_series(engine, start, stop)}
            JOIN bench_volunteers v ON v.i = n % {volunteers}
            """  # noqa: S608 - built from this script's numbers, no input
        )
        print(f"  records {stop:>10,}", flush=True)


def data_load(scale: float) -> None:
    from bench.coverage import shape, tree_load
    from people_data import engine_name

    from warmhome.volunteers.models import ServiceCategory

    engine = engine_name()
    counts = sizes(scale)
    rng = random.Random(SEED)
    started = time.perf_counter()
    units = tree_load(rng, shape(scale))
    places = [unit.pk for kind in ("community", "grid") for unit in units[kind]]
    run_sql("CREATE TEMP TABLE bench_orgs (i integer PRIMARY KEY, org_id bigint)")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_orgs (i, org_id) VALUES (%s, %s)", list(enumerate(places))
        )
    persons_load(engine, counts["persons"], len(places))
    volunteers_load(engine, counts["volunteers"])
    category_ids = sorted(ServiceCategory.objects.values_list("pk", flat=True))
    assert category_ids == list(range(category_ids[0], category_ids[0] + len(category_ids)))
    records_load(engine, counts["records"], counts["volunteers"], category_ids)
    # The monthly figures the services keep as they credit; here computed at once in SQL.
    month = (
        "date_trunc('month', service_date)::date"
        if engine == "postgresql"
        else ("date(service_date, 'start of month')")
    )
    run_sql(
        f"""
        INSERT INTO volunteers_monthlyhours (org_id, month, hours, records)
        SELECT org_id, {month}, sum(hours), count(*)
        FROM volunteers_servicerecord WHERE state = 'approved'
        GROUP BY 1, 2
        """  # noqa: S608 - built from this script's numbers, no input
    )
    if engine == "postgresql":
        run_sql("VACUUM ANALYZE")
    print(
        f"{engine}: {counts['persons']:,} persons, {counts['volunteers']:,} volunteers, "
        f"{counts['records']:,} records loaded in {time.perf_counter() - started:.0f}s"
    )


#: the figures from the monthly table the selector reads: what a person would write by hand
HAND_SQL = {
    "postgresql": """
        SELECT substr(o.path, 1, %(length)s) AS street,
            extract(month FROM m.month)::int AS month, sum(m.hours)
        FROM volunteers_monthlyhours m JOIN orgs_orgunit o ON o.id = m.org_id
        WHERE m.month BETWEEN %(first)s AND %(last)s
            AND o.path LIKE %(root)s AND o.depth >= %(depth)s
        GROUP BY 1, 2
    """,
    "sqlite3": """
        SELECT substr(o.path, 1, %(length)s) AS street,
            CAST(strftime('%%m', m.month) AS integer) AS month, sum(m.hours)
        FROM volunteers_monthlyhours m JOIN orgs_orgunit o ON o.id = m.org_id
        WHERE m.month BETWEEN %(first)s AND %(last)s
            AND o.path LIKE %(root)s AND o.depth >= %(depth)s
        GROUP BY 1, 2
    """,
}
#: the same figures straight from the records (for reference: what the monthly table saves)
RAW_SQL = {
    "postgresql": """
        SELECT substr(o.path, 1, %(length)s) AS street,
            extract(month FROM r.service_date)::int AS month, sum(r.hours)
        FROM volunteers_servicerecord r JOIN orgs_orgunit o ON o.id = r.org_id
        WHERE r.state = 'approved' AND r.service_date BETWEEN %(first)s AND %(day_last)s
            AND o.path LIKE %(root)s AND o.depth >= %(depth)s
        GROUP BY 1, 2
    """,
    "sqlite3": """
        SELECT substr(o.path, 1, %(length)s) AS street,
            CAST(strftime('%%m', r.service_date) AS integer) AS month, sum(r.hours)
        FROM volunteers_servicerecord r JOIN orgs_orgunit o ON o.id = r.org_id
        WHERE r.state = 'approved' AND r.service_date BETWEEN %(first)s AND %(day_last)s
            AND o.path LIKE %(root)s AND o.depth >= %(depth)s
        GROUP BY 1, 2
    """,
}


def hand_sql(
    engine: str, root: str, depth: int, year: int, statements: dict[str, str] = HAND_SQL
) -> dict[tuple[str, int], Decimal]:
    from django.db import connection

    params = {
        "length": depth * 4,
        "first": datetime.date(year, 1, 1),
        "last": datetime.date(year, 12, 1),
        "day_last": datetime.date(year, 12, 31),
        "root": root + "%",
        "depth": depth,
    }
    with connection.cursor() as cursor:
        cursor.execute(statements[engine], params)
        return {(row[0], row[1]): Decimal(str(row[2])) for row in cursor.fetchall()}


def selector_figures(report: Any) -> dict[tuple[str, int], Decimal]:
    return {
        (unit.path, month + 1): value
        for unit, values in report.rows
        for month, value in enumerate(values)
        if value
    }


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(samples) * 1000:7.1f} ms, p95 {p95 * 1000:7.1f} ms"


def city_user() -> Any:
    from warmhome.accounts.models import Post, Role, User
    from warmhome.accounts.services import roles_ensure_defaults
    from warmhome.orgs.models import OrgUnit

    roles_ensure_defaults()
    city = OrgUnit.objects.get(kind="city", name="基准测试市")
    user, _ = User.objects.get_or_create(username="bench_volunteers_city")
    if not Post.objects.filter(user=user, org=city).exists():
        Post.objects.create(user=user, org=city, role=Role.objects.get(code="district_leader"))
    return User.objects.get(pk=user.pk), city


def run(runs: int, year: int) -> None:
    from people_data import engine_name

    from warmhome.volunteers import selectors
    from warmhome.volunteers.models import Volunteer

    engine = engine_name()
    user, city = city_user()
    street_depth = city.depth + 2
    rng = random.Random(SEED)
    top = Volunteer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    bottom = Volunteer.objects.order_by("pk").values_list("pk", flat=True).first() or 0

    certificate: list[float] = []
    for _ in range(runs * 4):
        volunteer = Volunteer.objects.get(pk=rng.randint(bottom, top))
        began = time.perf_counter()
        data = selectors.certificate_data(volunteer, city)
        certificate.append(time.perf_counter() - began)
    print(
        f"one volunteer's totals and certificate data ({len(certificate)} volunteers): "
        f"{_ms(certificate)}  (last: {data.totals.all_time} h, {data.record_count} records)"
    )

    # Warm both once and check that they agree.
    report = selectors.hours_by_month_and_street(user, city, year, depth=street_depth)
    expected = hand_sql(engine, city.path, street_depth, year)
    if (
        not selector_figures(report)
        == expected
        == hand_sql(engine, city.path, street_depth, year, RAW_SQL)
    ):
        sys.exit("The selector, the hand-written SQL and the records disagree.")
    timed: dict[str, list[float]] = {"selector": [], "sql": [], "raw": []}
    for _ in range(runs):
        fresh = type(user).objects.get(pk=user.pk)  # the posts are read again, as per request
        began = time.perf_counter()
        selectors.hours_by_month_and_street(fresh, city, year, depth=street_depth)
        timed["selector"].append(time.perf_counter() - began)
        began = time.perf_counter()
        hand_sql(engine, city.path, street_depth, year)
        timed["sql"].append(time.perf_counter() - began)
        began = time.perf_counter()
        hand_sql(engine, city.path, street_depth, year, RAW_SQL)
        timed["raw"].append(time.perf_counter() - began)
    ratio = statistics.median(timed["selector"]) / statistics.median(timed["sql"])
    print(
        f"a year ({year}) of monthly hours by street ({len(report.rows)} streets, "
        f"{sum(report.month_totals):,.1f} h):"
    )
    print(f"  selector        {_ms(timed['selector'])}")
    print(f"  hand-written SQL {_ms(timed['sql'])}  (same monthly table)")
    print(f"  SQL over records {_ms(timed['raw'])}  (reference: without the monthly table)")
    print(f"  ratio selector / SQL: {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the city of the issue")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="time an existing database")
    args = parser.parse_args()
    import people_data

    people_data.setup()
    try:
        if not args.reuse:
            data_load(args.scale)
        run(args.runs, args.year)
    finally:
        if not args.keep and not args.reuse:
            people_data.database_drop()


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    sys.path.insert(0, str(here.parent))
    main()
