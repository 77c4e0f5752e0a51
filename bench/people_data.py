"""Fill a scratch database with N synthetic persons, fast, for the people benchmarks.

    .venv/bin/python bench/people_data.py --persons 20000                  # SQLite, temporary
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_people \\
        .venv/bin/python bench/people_data.py --persons 1000000 --keep

The database is created when missing (PostgreSQL), migrated, given the demo organisation tree
and demo logins (``orgs.demo.demo_load``), then filled with persons spread at random over the
active communities and grids. It is dropped at the end unless ``--keep``. Only a PostgreSQL
database whose name starts with ``bench`` is accepted: never point this at real or shared data.

Benchmark data only: persons are written with ``bulk_create`` in batches, bypassing
``people.services`` (no validation, no duplicate check, no audit lines, no categories or
households). What is stored is nevertheless what the services store: the model's own fields
encrypt the ID, phone and address and compute the blind indexes on insert (``core.fields``), and
the derived columns use ``people.pinyin.pinyin_initials`` and the same tail rules. Names come
from precomputed pools of common surnames and given-name characters (Faker is far too slow at a
million rows); citizen IDs are valid (check digit from ``core.identifiers``) and unique, made
from the row number, so ``citizen_id_for(i)`` can find row ``i`` again.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SEED = 2026
BATCH = 5000
PG_PREFIX = "bench"

# Common surnames, roughly by frequency (the first few cover a large share, as in reality).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
FEMALE_CHARS = "秀英华玉兰芳丽敏静燕红梅霞娟婷雪琳丹萍娜慧颖洁晶倩莉艳凤云佳欣怡悦彤梓涵雨萱"
MALE_CHARS = "伟强军磊洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志文博"
AREA_CODES = ("370102", "370103", "370104", "370105", "370112", "370181")
MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "138", "139", "150", "151", "158", "186")
DAYS = 80 * 365  # birth dates over 80 years
EPOCH = datetime.date(1940, 1, 1)
SLOTS = DAYS * 1000  # (birth day, 3-digit sequence) pairs
MIX = 7_919_993  # coprime with SLOTS: i -> i * MIX mod SLOTS is a bijection


def configure(default_sqlite: bool = True) -> Path:
    """Environment for a standalone Django run on a scratch database; returns the scratch dir."""
    scratch = Path(tempfile.mkdtemp(prefix="warmhome-bench-"))
    if default_sqlite:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    os.environ.setdefault("WARMHOME_VAR_DIR", str(scratch))
    os.environ.setdefault("WARMHOME_MEDIA_ROOT", str(scratch / "media"))
    os.environ["WARMHOME_TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warmhome.settings")
    return scratch


def _pg_admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def database_create_if_missing() -> None:
    """Create the PostgreSQL database of DATABASE_URL (named ``bench*``) if it does not exist."""
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    admin_url, name = _pg_admin_url(url)
    if not name.startswith(PG_PREFIX):
        sys.exit(f"Refusing database {name!r}: benchmark databases must be named '{PG_PREFIX}…'.")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{name}"')


def database_drop() -> None:
    """Drop the scratch database (PostgreSQL); SQLite files live in a temporary directory."""
    from django.db import connections

    connections.close_all()
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    admin_url, name = _pg_admin_url(url)
    if not name.startswith(PG_PREFIX):
        return
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def engine_name() -> str:
    from django.conf import settings

    return str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]


# --- Deterministic rows -------------------------------------------------------------------


def citizen_id_for(i: int) -> str:
    """The (valid, unique) citizen ID of row ``i``.

    Row numbers are spread over (birth day, sequence) by a bijection, so that birth dates and
    the last four characters are spread as in real data (about 11,000 distinct tails).
    """
    from warmhome.core.identifiers import citizen_id_check_character

    mixed = (i * MIX) % SLOTS
    day, sequence = mixed % DAYS, mixed // DAYS
    area = AREA_CODES[i % len(AREA_CODES)]
    first17 = f"{area}{EPOCH + datetime.timedelta(days=day):%Y%m%d}{sequence:03d}"
    return first17 + citizen_id_check_character(first17)


def birth_date_for(i: int) -> datetime.date:
    return EPOCH + datetime.timedelta(days=(i * MIX) % SLOTS % DAYS)


def name_for(rng: random.Random, female: bool) -> str:
    # Skewed towards the first surnames, like the real distribution.
    surname = SURNAMES[min(int(rng.expovariate(1 / 12)), len(SURNAMES) - 1)]
    chars = FEMALE_CHARS if female else MALE_CHARS
    given = rng.choice(chars) if rng.random() < 0.35 else rng.choice(chars) + rng.choice(chars)
    return surname + given


@cache
def initials_of(name: str) -> str:
    from warmhome.people.pinyin import pinyin_initials

    return pinyin_initials(name)


def mobile_for(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def person_rows(start: int, stop: int, org_ids: list[int]) -> list[Any]:
    """Unsaved ``Person`` objects for rows ``start`` … ``stop - 1`` (reproducible)."""
    from warmhome.people.models import Person

    rng = random.Random(SEED * 1_000_003 + start)
    rows = []
    for i in range(start, stop):
        citizen_id = citizen_id_for(i)
        female = int(citizen_id[16]) % 2 == 0
        name = name_for(rng, female)
        phone = mobile_for(rng) if rng.random() < 0.9 else ""
        rows.append(
            Person(
                org_id=org_ids[rng.randrange(len(org_ids))],
                name=name,
                name_pinyin_initials=initials_of(name),
                sex="female" if female else "male",
                citizen_id=citizen_id,
                id_last4=citizen_id[-4:],
                birth_date=birth_date_for(i),
                phone=phone,
                phone_last4=phone[-4:],
                residence_address=f"历下区某某路{rng.randint(1, 300)}号{rng.randint(1, 30)}单元",
            )
        )
    return rows


# --- Loading ------------------------------------------------------------------------------


def org_tree_load() -> list[int]:
    """The demo organisation tree and logins; returns the ids of active communities and grids."""
    from warmhome.core.request_context import acting_as
    from warmhome.orgs.demo import demo_load
    from warmhome.orgs.models import OrgKind, OrgUnit

    with acting_as(None):
        demo_load(actor=None)
    return list(
        OrgUnit.objects.filter(
            kind__in=[OrgKind.COMMUNITY, OrgKind.GRID], is_active=True
        ).values_list("pk", flat=True)
    )


def _insert_batches(starts: list[int], count: int, org_ids: list[int], progress: bool) -> None:
    from django.db import connections, transaction

    from warmhome.people.models import Person

    started = time.perf_counter()
    for done, start in enumerate(starts, start=1):
        with transaction.atomic():
            rows = person_rows(start, min(start + BATCH, count), org_ids)
            Person.objects.bulk_create(rows, batch_size=BATCH)
        if progress and done % 20 == 0:
            rate = done * BATCH / (time.perf_counter() - started)
            print(f"  pid {os.getpid()}: {done * BATCH:>9,} persons  ({rate:,.0f}/s)", flush=True)
    connections.close_all()


def persons_load(count: int, *, workers: int = 1, progress: bool = True) -> tuple[int, float]:
    """Insert persons until there are ``count``; returns (rows inserted, seconds).

    With ``workers`` > 1 (PostgreSQL only) the batches are shared among forked processes.
    """
    import multiprocessing

    from django.db import connection, connections

    from warmhome.people.models import Person

    org_ids = org_tree_load()
    existing = Person.objects.count()
    starts = list(range(existing, count, BATCH))
    if engine_name() != "postgresql":
        workers = 1
    started = time.perf_counter()
    if workers <= 1:
        _insert_batches(starts, count, org_ids, progress)
    else:
        connections.close_all()
        context = multiprocessing.get_context("fork")
        processes = [
            context.Process(
                target=_insert_batches, args=(starts[w::workers], count, org_ids, progress)
            )
            for w in range(workers)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        if any(process.exitcode for process in processes):
            sys.exit("A loading worker failed.")
    seconds = time.perf_counter() - started
    if engine_name() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # the org tree too: fresh statistics
    return max(0, count - existing), seconds


def setup(keep_sqlite_default: bool = True) -> None:
    configure(keep_sqlite_default)
    database_create_if_missing()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    setup()
    try:
        inserted, seconds = persons_load(args.persons, workers=args.workers)
        print(
            f"{engine_name()}: {inserted:,} persons in {seconds:.1f}s "
            f"({inserted / max(seconds, 1e-9):,.0f} rows/s, batches of {BATCH})"
        )
    finally:
        if not args.keep:
            database_drop()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
