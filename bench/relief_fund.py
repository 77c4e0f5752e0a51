"""Time the relief fund's money path: filing, approval (budget row lock), payment, report.

    .venv/bin/python bench/relief_fund.py --applications 200                 # SQLite, temporary
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_relief \\
        .venv/bin/python bench/relief_fund.py --applications 5000 --threads 8

On the demo organisation tree and demo logins, ``--applications`` persons in 解放桥社区 each get
one application, which is filed, passed by community and street, approved by the district and
paid, all through ``assistance.services_fund`` (validation, workflow timeline, ledger, audit).
With ``--threads`` > 1 (PostgreSQL) the approvals run from that many threads at once against one
budget row, which they must take in turn: the figure shows what the row lock costs. Then the
fund-use report (``assistance.selectors.fund_use``) is timed over the ledger. The database is
created and dropped like ``bench/people_data.py`` does (PostgreSQL names must start with
``bench``; ``--keep`` keeps it).
"""

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any


def data_load(count: int) -> dict[str, Any]:
    from django.utils import timezone

    from warmhome.accounts.models import User
    from warmhome.assistance import services_fund
    from warmhome.core.identifiers import fake_citizen_id
    from warmhome.orgs.demo import demo_load
    from warmhome.orgs.models import OrgUnit
    from warmhome.people.services import person_create

    demo_load()
    district = OrgUnit.objects.get(code="370102000000")
    community = OrgUnit.objects.get(code="370102001002")
    users = {
        code: User.objects.get(username=code)
        for code in ("district_staff_rights", "street_cadre", "community_cadre", "finance")
    }
    fund = services_fund.fund_create(
        actor=users["district_staff_rights"], org=district, name="基准测试资金"
    )
    budget = services_fund.budget_grant(
        actor=users["district_staff_rights"],
        fund=fund,
        year=timezone.localdate().year,
        amount=f"{count * 1000}.00",
        decision_ref="bench",
    )
    persons = [
        person_create(
            actor=None,
            org=community,
            name=f"基准{number}",
            sex="female",
            citizen_id=fake_citizen_id(sex="female"),
        ).person
        for number in range(count)
    ]
    return {"users": users, "fund": fund, "budget": budget, "persons": persons}


def timed(label: str, work: list, threads: int = 1) -> float:
    """Run the callables of ``work`` (spread over ``threads``); print and return ms per call."""
    from django.db import connection

    started = time.perf_counter()
    if threads <= 1:
        for call in work:
            call()
    else:

        def worker(part: list) -> None:
            try:
                for call in part:
                    call()
            finally:
                connection.close()

        pool = [threading.Thread(target=worker, args=(work[i::threads],)) for i in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
    seconds = time.perf_counter() - started
    per_call = seconds * 1000 / max(1, len(work))
    print(f"  {label}: {len(work)} in {seconds:.2f}s = {per_call:.1f} ms each")
    return per_call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1, help="PostgreSQL only")
    parser.add_argument("--runs", type=int, default=3, help="report timings")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    import people_data

    people_data.setup()
    try:
        from warmhome.assistance import selectors, services_fund
        from warmhome.assistance.models import ReliefApplication

        data = data_load(args.applications)
        users, fund = data["users"], data["fund"]
        threads = args.threads if people_data.engine_name() == "postgresql" else 1
        print(f"{people_data.engine_name()}: {args.applications} applications")
        timed(
            "file",
            [
                lambda person=person: services_fund.application_file(
                    actor=users["community_cadre"],
                    fund=fund,
                    person=person,
                    hardship="illness",
                    description="基准",
                    amount_requested="1000.00",
                )
                for person in data["persons"]
            ],
        )
        pks = list(ReliefApplication.objects.values_list("pk", flat=True))

        def step(actor: str, name: str) -> list:
            return [
                lambda pk=pk: services_fund.application_transition(
                    actor=users[actor],
                    application=ReliefApplication.objects.get(pk=pk),
                    transition=name,
                )
                for pk in pks
            ]

        timed("community submit", step("community_cadre", "community_submit"))
        timed("street forward", step("street_cadre", "street_forward"))
        timed(
            f"district approve ({threads} thread(s), one budget row)",
            [
                lambda pk=pk: services_fund.application_approve(
                    actor=users["district_staff_rights"],
                    application=ReliefApplication.objects.get(pk=pk),
                    amount_approved="1000.00",
                    meeting_ref="bench",
                    attendees="bench",
                    decision="bench",
                )
                for pk in pks
            ],
            threads,
        )
        timed(
            f"disburse ({threads} thread(s))",
            [
                lambda pk=pk: services_fund.application_disburse(
                    actor=users["finance"],
                    application=ReliefApplication.objects.get(pk=pk),
                    method="transfer",
                    voucher_number=f"B{pk}",
                )
                for pk in pks
            ],
            threads,
        )
        budget = data["budget"]
        budget.refresh_from_db()
        check = selectors.budget_reconciliation(budget)
        runs = []
        for _run in range(args.runs):
            started = time.perf_counter()
            report = selectors.fund_use(users["district_staff_rights"], budget.year)
            runs.append((time.perf_counter() - started) * 1000)
        print(
            f"  fund-use report over {len(report.rows)} payments: median "
            f"{statistics.median(runs):.0f} ms; ledger reconciles: {check.balanced}; "
            f"paid {budget.paid}"
        )
        if not check.balanced:
            sys.exit(1)
    finally:
        if not args.keep:
            people_data.database_drop()


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here.parent))
    sys.path.insert(0, str(here))
    main()
