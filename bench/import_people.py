"""Benchmark the person import (``people.importers``, through ``core.imports``) end to end.

    .venv/bin/python bench/import_people.py --rows 2000                       # SQLite, temporary
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import \\
        .venv/bin/python bench/import_people.py --rows 100000

Builds an .xlsx of valid, distinct persons (names, IDs and phones as in ``bench/people_data.py``)
in the communities of the demo street cadre's street, then times: reading the file alone with
openpyxl (read-only, values only) and, if installed (``pip install -e '.[bench]'``), with
python-calamine — the floor — then the upload with background validation and the commit of the
valid rows, as that street cadre. Reports rows/s end to end, the ratio to the fastest read,
and the CPU time of the run (per row), which a busy machine disturbs less than wall-clock time.
A PostgreSQL database is created if missing (name must start with ``bench``) and dropped at the
end unless ``--keep``.
"""

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

from cpu import postgresql_seconds


def build_workbook(rows: int, org_codes: list[str]) -> bytes:
    from openpyxl import Workbook
    from people_data import citizen_id_for, mobile_for, name_for

    from warmhome.people.importers import PERSON_SPEC

    rng = random.Random(11)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(PERSON_SPEC.sheet_title))
    sheet.append([str(column.header) for column in PERSON_SPEC.columns])
    offset = 5_000_000  # away from the IDs a kept search database may hold
    for i in range(offset, offset + rows):
        citizen_id = citizen_id_for(i)
        female = int(citizen_id[16]) % 2 == 0
        sheet.append(
            [
                name_for(rng, female),
                "女" if female else "男",
                citizen_id,
                "汉族",
                mobile_for(rng),
                f"历下区某某路{rng.randint(1, 300)}号",
                "",
                rng.choice(org_codes),
                "高中/中专",
                "在业",
                "已婚",
                "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_seconds(data: bytes) -> dict[str, float]:
    """Seconds each available reader needs just to read every row."""
    from openpyxl import load_workbook

    timings = {}
    started = time.perf_counter()
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    for _row in sheet.iter_rows(values_only=True):
        pass
    timings["openpyxl"] = time.perf_counter() - started
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return timings
    started = time.perf_counter()
    CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    timings["calamine"] = time.perf_counter() - started
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    import people_data

    people_data.setup()
    try:
        run(args.rows)
    finally:
        if not args.keep:
            people_data.database_drop()


def run(rows: int) -> None:
    from people_data import engine_name, org_tree_load

    from warmhome.accounts.models import User
    from warmhome.core.imports.services import importbatch_commit_start, importbatch_upload
    from warmhome.orgs.models import OrgKind, OrgUnit

    org_tree_load()
    actor = User.objects.get(username="street_cadre")
    street = actor.current_posts().get().org
    codes = [
        code
        for code in OrgUnit.objects.filter(
            path__startswith=street.path, kind=OrgKind.COMMUNITY, is_active=True
        ).values_list("code", flat=True)
        if code
    ]
    data = build_workbook(rows, codes)
    reads = read_seconds(data)

    started, cpu_started, others_started = time.perf_counter(), time.process_time(), _others()
    batch = importbatch_upload(
        actor=actor, spec_key="people.person", file_name="bench.xlsx", data=data
    )
    batch.refresh_from_db()
    validate = time.perf_counter() - started
    validate_cpu = time.process_time() - cpu_started
    started, cpu_started = time.perf_counter(), time.process_time()
    importbatch_commit_start(actor=actor, batch=batch, mode="valid")
    batch.refresh_from_db()
    commit = time.perf_counter() - started
    commit_cpu = time.process_time() - cpu_started
    helpers, server = (now - then for now, then in zip(_others(), others_started, strict=True))
    total = validate + commit
    if batch.error_rows:
        from warmhome.core.models.imports import ImportRowResult

        for row in ImportRowResult.objects.filter(batch=batch).exclude(errors=[])[:3]:
            print(f"  row {row.row_number}: {row.errors}")
    fastest = min(reads, key=lambda name: reads[name])
    read_text = "; ".join(f"read ({name}) {seconds:.2f}s" for name, seconds in reads.items())
    print(
        f"{engine_name()}: {rows:,} rows, {len(data) / 1024:.0f} KiB; {read_text}; "
        f"validate {validate:.1f}s; commit {commit:.1f}s (created {batch.created_count}, "
        f"errors {batch.error_rows}, status {batch.status}); {rows / total:,.0f} rows/s end to "
        f"end; {total / reads[fastest]:.0f}x the {fastest} read, "
        f"{total / reads['openpyxl']:.0f}x the openpyxl read"
    )
    # CPU time of this process only (the worker runs in it; a PostgreSQL server's work is not
    # counted): steadier than wall-clock time on a shared machine.
    cpu = validate_cpu + commit_cpu
    from warmhome.core.audit.verify import verify_chain

    verdict = verify_chain()  # what `warmhome audit verify` checks: one entry per person, chained
    print(f"audit chain: {'ok' if verdict.ok else verdict.message}, {verdict.verified:,} entries")
    loads = " ".join(f"{load:.2f}" for load in os.getloadavg())
    print(
        f"CPU: validate {validate_cpu:.1f}s ({validate_cpu / rows * 1e6:.0f} µs/row); commit "
        f"{commit_cpu:.1f}s ({commit_cpu / rows * 1e6:.0f} µs/row); total {cpu:.1f}s "
        f"({cpu / rows * 1e6:.0f} µs/row); helper processes {helpers:.1f}s; PostgreSQL "
        f"{server:.1f}s; all {cpu + helpers + server:.1f}s over {total:.1f}s on "
        f"{os.cpu_count()} cores; load average {loads}"
    )


def _others() -> tuple[float, float]:
    """CPU seconds so far of this process's ended children (the import's helper processes)
    and of the PostgreSQL server (0 on SQLite: it runs in this process)."""
    from django.db import connection

    times = os.times()
    server = postgresql_seconds() if connection.vendor == "postgresql" else 0.0
    return times.children_user + times.children_system, server


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here.parent), str(here)]
    main()
