"""Cost of one audit-chain append (``core.audit.chain.append``), which every audited write pays.

    .venv/bin/python bench/audit_append.py --entries 5000                 # SQLite, temporary
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_audit \\
        .venv/bin/python bench/audit_append.py --entries 5000

A scratch database (made and dropped like ``bench/people_data.py`` does) receives ``--entries``
single appends, each in its own transaction as a web request's write is, with a small before/
after snapshot. Prints wall-clock and CPU time per entry (CPU of this process only: the
PostgreSQL server's own work is in the wall-clock figure), then verifies the chain.
"""

import argparse
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    args = parser.parse_args()

    import people_data

    people_data.setup()
    try:
        run(args.entries)
    finally:
        people_data.database_drop()


def run(count: int) -> None:
    from people_data import engine_name

    from warmhome.core.audit.chain import append
    from warmhome.core.audit.verify import verify_chain
    from warmhome.core.models import AuditEntry

    def one(number: int) -> None:
        append(
            kind=AuditEntry.Kind.UPDATE,
            model_label="people.Person",
            object_pk=str(number),
            object_repr=f"基准记录{number}",
            org_path="00010002",
            before={"status": "old", "number": number},
            after={"status": "new", "number": number},
        )

    for number in range(100):  # warm-up
        one(number)
    started, cpu_started = time.perf_counter(), time.process_time()
    for number in range(count):
        one(number)
    wall = (time.perf_counter() - started) / count * 1e6
    cpu = (time.process_time() - cpu_started) / count * 1e6
    verdict = verify_chain()
    print(
        f"{engine_name()}: {count:,} appends, {wall:.0f} µs wall and {cpu:.0f} µs CPU "
        f"per entry; chain {'ok' if verdict.ok else verdict.message} ({verdict.verified:,})"
    )


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here.parent), str(here)]
    main()
