"""Benchmark person search (``people.selectors.person_search``) the way the list page runs it.

    .venv/bin/python bench/search_people.py --persons 20000 --queries 50      # SQLite, quick
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_people \\
        .venv/bin/python bench/search_people.py --persons 1000000 --queries 300 --keep

Fills the scratch database with ``bench/people_data.py`` up to ``--persons`` (rows already there
are kept, so a ``--keep`` run can be re-measured without reloading), then, as the demo street
cadre (解放路街道) and as a district staff member (``district_staff_family``, the whole
district), times for each kind of query — surname alone, full name, pinyin initials (1, 2 and
3 letters), ID last 4, phone last 4, full ID — what the person list page and
``GET /api/persons`` do: the count for the pager and the first page of 50 rows. Prints
p50/p95/max in milliseconds and the SQL queries per search. The database is dropped at the end
unless ``--keep``.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

PAGE = 50
KINDS = (
    "surname",
    "full name",
    "initials 1",
    "initials 2",
    "initials 3",
    "ID last 4",
    "phone last 4",
    "full ID",
)


def queries_for(kind: str, count: int, persons: int, rng: random.Random) -> list[str]:
    from people_data import citizen_id_for, initials_of, mobile_for, name_for

    if kind == "surname":
        return [name_for(rng, rng.random() < 0.85)[0] for _ in range(count)]
    if kind == "full name":
        return [name_for(rng, rng.random() < 0.85) for _ in range(count)]
    if kind.startswith("initials"):
        letters = int(kind[-1])
        names = (name_for(rng, True) for _ in range(count * 3))
        wanted = [initials_of(name)[:letters] for name in names]
        return [initials for initials in wanted if len(initials) == letters][:count]
    if kind == "ID last 4":
        return [citizen_id_for(rng.randrange(persons))[-4:] for _ in range(count)]
    if kind == "phone last 4":
        return [mobile_for(rng)[-4:] for _ in range(count)]
    return [citizen_id_for(rng.randrange(persons)) for _ in range(count)]


def one_search(user: Any, query: str) -> tuple[float, int, int]:
    """Milliseconds, SQL queries and total hits of one search (count + first page)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from warmhome.people.selectors import person_search

    reset_queries()  # the query log keeps 9,000 entries: without this, counts fall to 0
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        persons = person_search(user, query)
        total = persons.count()
        page = list(persons[:PAGE])
        elapsed = (time.perf_counter() - started) * 1000
    assert len(page) <= PAGE
    return elapsed, len(captured.captured_queries), total


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=50, help="per kind and user")
    parser.add_argument("--workers", type=int, default=2, help="loading processes (PostgreSQL)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    import people_data

    people_data.setup()
    try:
        inserted, seconds = people_data.persons_load(
            args.persons, workers=args.workers, progress=False
        )
        if inserted:
            print(f"loaded {inserted:,} persons in {seconds:.0f}s")
        run(args.persons, args.queries)
    finally:
        if not args.keep:
            people_data.database_drop()


def run(persons: int, queries: int) -> None:
    from warmhome.accounts.models import User
    from warmhome.people.models import Person

    total = Person.objects.count()
    print(f"{people_data_engine()}: {total:,} persons; {queries} queries per kind and user")
    print(f"{'user':<22}{'kind':<14}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'SQL':>5}{'hits':>9}")
    worst = 0.0
    for username in ("street_cadre", "district_staff_family"):
        user = User.objects.get(username=username)
        rng = random.Random(7)
        for kind in KINDS:
            timings: list[float] = []
            sql_counts: set[int] = set()
            hits: list[int] = []
            for query in queries_for(kind, queries, persons, rng):
                elapsed, sql, found = one_search(user, query)
                timings.append(elapsed)
                sql_counts.add(sql)
                hits.append(found)
            p95 = percentile(timings, 0.95)
            worst = max(worst, p95)
            print(
                f"{username:<22}{kind:<14}{statistics.median(timings):>8.1f}{p95:>8.1f}"
                f"{max(timings):>8.1f}{max(sql_counts):>5}{statistics.mean(hits):>9.0f}"
            )
    print(f"worst p95 {worst:.1f} ms (target ≤ 50 ms at 1,000,000 persons on PostgreSQL)")


def people_data_engine() -> str:
    from people_data import engine_name

    return engine_name()


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here.parent), str(here)]
    main()
