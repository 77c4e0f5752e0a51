"""Benchmark the import framework end to end with the organisation importer.

    .venv/bin/python bench/import_orgs.py --rows 5000            # SQLite in a temporary dir
    DATABASE_URL=postgres://... .venv/bin/python bench/import_orgs.py --rows 5000

Builds a file of communities and their grids under one street, then times: reading the file
with openpyxl (read-only, values only: the floor), background validation, and the commit.
The database named by DATABASE_URL is migrated and written to: use a scratch database.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

scratch = Path(tempfile.mkdtemp(prefix="warmhome-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
os.environ.setdefault("WARMHOME_VAR_DIR", str(scratch))
os.environ.setdefault("WARMHOME_MEDIA_ROOT", str(scratch / "media"))
os.environ["WARMHOME_TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warmhome.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    rows_wanted = parser.parse_args().rows

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from openpyxl import Workbook, load_workbook

    call_command("migrate", verbosity=0)
    from tests.factories import org, user_with_post

    from warmhome.core.imports.services import importbatch_commit_start, importbatch_upload
    from warmhome.orgs.models import OrgKind, OrgUnit

    district = OrgUnit.objects.filter(code="379902000000").first() or org(
        None, OrgKind.DISTRICT, "基准区", "379902000000"
    )
    street = OrgUnit.objects.filter(code="379902001000").first() or org(
        district, OrgKind.STREET, "基准街道", "379902001000"
    )
    actor = user_with_post(f"bench{time.time_ns()}", street, "street_cadre")

    book = Workbook(write_only=True)
    sheet = book.create_sheet("组织")
    sheet.append(["上级组织统计代码", "名称", "类型", "统计代码"])
    stamp = time.time_ns() % 900 + 100
    written = 0
    community = 0
    while written < rows_wanted:
        community += 1
        community_code = f"3799{stamp:03d}{community:03d}00"
        sheet.append(["379902001000", f"社区{community}", "社区", community_code])
        written += 1
        for grid in range(1, 20):
            if written >= rows_wanted:
                break
            grid_code = f"{community_code[:-2]}{grid:02d}"
            sheet.append([community_code, f"社区{community}网格{grid}", "网格", grid_code])
            written += 1
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()

    started = time.perf_counter()
    for _row in (
        load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True)
    ):
        pass
    read_seconds = time.perf_counter() - started

    started = time.perf_counter()
    batch = importbatch_upload(
        actor=actor, spec_key="orgs.orgunit", file_name="bench.xlsx", data=data
    )
    batch.refresh_from_db()
    validate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    importbatch_commit_start(actor=actor, batch=batch, mode="valid")
    batch.refresh_from_db()
    commit_seconds = time.perf_counter() - started
    total = validate_seconds + commit_seconds
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"{engine}: {written} rows, {len(data) / 1024:.0f} KiB; read {read_seconds:.2f}s; "
        f"validate {validate_seconds:.2f}s; commit {commit_seconds:.2f}s "
        f"(created {batch.created_count}, errors {batch.error_rows}, status {batch.status}); "
        f"{written / total:.0f} rows/s end to end; {total / read_seconds:.1f}x the read time"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
