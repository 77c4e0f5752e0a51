"""Time the opinions analysis page over a year of opinions.

    .venv/bin/python bench/opinions_analysis.py --opinions 5000 --runs 5        # SQLite, quick
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_opinions \\
        .venv/bin/python bench/opinions_analysis.py --opinions 50000 --runs 30

On the demo organisation tree, ``--opinions`` opinions spread over the twelve months of last
year and over every community (topics drawn at random, texts from the shipped set, one street's
domestic-violence opinions doubled in December so that a rise shows) are inserted in bulk
(classification is timed by ``bench/opinions_classify.py``). Then, as the demo district staff
member (``district_staff_rights``, the whole district), times ``opinions.selectors.overview``
(what the page reads) and the whole page (``GET /work/opinions/analysis/`` through Django's test
client: view, selectors, template) for December. Prints median and p95 in milliseconds and the
SQL queries per page. The database is created and dropped like ``bench/people_data.py`` does
(PostgreSQL names must start with ``bench``; ``--keep`` keeps it).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def data_load(count: int, year: int) -> None:
    from django.utils import timezone

    from warmhome.core.bulk import insert_many
    from warmhome.opinions.models import Opinion
    from warmhome.opinions.training import load_shipped
    from warmhome.orgs.demo import demo_load
    from warmhome.orgs.models import OrgKind, OrgUnit

    demo_load()
    if Opinion.objects.exists():
        return
    samples = load_shipped()
    communities = list(OrgUnit.objects.filter(kind=OrgKind.COMMUNITY).order_by("path"))
    street = OrgUnit.objects.get(code="370102001000")
    in_street = [unit for unit in communities if unit.path.startswith(street.path)]
    rng = random.Random(5)
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    seconds = int((datetime.datetime(year + 1, 1, 1, tzinfo=zone) - start).total_seconds())
    rows = []
    for number in range(count):
        sample = rng.choice(samples)
        rows.append(
            Opinion(
                org=rng.choice(communities),
                channel="visit",
                occurred_at=start + datetime.timedelta(seconds=rng.randrange(seconds)),
                text=sample.text,
                topic=sample.topic,
                confidence=round(rng.random(), 3),
                label_source="model",
                needs_review=number % 7 == 0,
                source_ref=f"bench:{number}",
            )
        )
    december = datetime.datetime(year, 12, 5, tzinfo=zone)
    for number in range(count // 200):
        rows.append(
            Opinion(
                org=rng.choice(in_street),
                channel="visit",
                occurred_at=december,
                text="丈夫喝酒后动手打人",
                topic="DV",
                confidence=0.9,
                label_source="model",
                source_ref=f"bench:dv:{number}",
            )
        )
    insert_many(Opinion, rows)


def main() -> None:
    import people_data

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opinions", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    people_data.setup()
    try:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from warmhome.accounts.models import User
        from warmhome.opinions import selectors
        from warmhome.opinions.models import Opinion
        from warmhome.orgs.models import OrgUnit

        year = timezone.localdate().year - 1
        started = time.perf_counter()
        data_load(args.opinions, year)
        if people_data.engine_name() == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        print(
            f"{people_data.engine_name()}: {Opinion.objects.count()} opinions in {year} "
            f"(loaded in {time.perf_counter() - started:.1f} s)"
        )
        user = User.objects.get(username="district_staff_rights")
        district = OrgUnit.objects.get(code="370102000000")
        client = Client()
        client.force_login(user)
        url = f"/work/opinions/analysis/?unit={district.pk}&year={year}&month=12"
        timings: dict[str, list[float]] = {"selector": [], "page": []}
        queries = 0
        rises: Any = []
        for _run in range(args.runs + 1):
            began = time.perf_counter()
            overview = selectors.overview(
                Opinion.objects.visible_to(user, "view"), district, year, 12
            )
            selector_ms = (time.perf_counter() - began) * 1000
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(url)
                page_ms = (time.perf_counter() - began) * 1000
            assert response.status_code == 200, response.status_code
            if _run:  # the first run warms caches and templates
                timings["selector"].append(selector_ms)
                timings["page"].append(page_ms)
            queries = len(captured)
            rises = overview.rises
        for name, values in timings.items():
            values.sort()
            p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
            print(f"  {name}: median {statistics.median(values):.0f} ms, p95 {p95:.0f} ms")
        print(
            f"  {queries} SQL queries per page; rises found: "
            + ", ".join(
                f"{rise.street.name} {rise.topic} {rise.previous}→{rise.current}" for rise in rises
            )
            + f"; load average {os.getloadavg()[0]:.1f}"
        )
    finally:
        if not args.keep:
            people_data.database_drop()


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here.parent))
    sys.path.insert(0, str(here))
    main()
