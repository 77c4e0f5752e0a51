"""``warmhome worker``: the background worker (django-tasks-db's ``db_worker``) for every queue.

SIGINT or SIGTERM stops it cleanly: when idle it exits at once with status 0; while a task runs
it lets the task finish, then exits with status 0 (a second signal aborts the task). A daemon
thread beside it runs the daily jobs that are due (``core.daily``) at start and every ten
minutes.
"""

import logging
import threading
import time
from argparse import ArgumentParser
from typing import Any

from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from warmhome.core import daily

logger = logging.getLogger(__name__)


def _clock() -> None:
    while True:
        try:
            daily.run_due()
        except Exception:
            logger.exception("daily jobs could not run")
        finally:
            connections.close_all()
        time.sleep(daily.TICK_SECONDS)


class Command(DbWorkerCommand):
    help = "运行后台任务进程，处理所有队列；Ctrl-C 或 SIGTERM 时处理完当前任务后退出。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Every queue, and no autoreload (which would not stop a running task cleanly).
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        threading.Thread(target=_clock, name="daily-jobs", daemon=True).start()
        try:
            super().handle(*args, **options)
        except SystemExit as stop:
            # db_worker leaves through sys.exit(0) when a signal arrives while it is idle.
            if stop.code not in (0, None):
                raise
