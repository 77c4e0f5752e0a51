"""``warmhome worker``: the background worker (django-tasks-db's ``db_worker``) for every queue.

SIGINT or SIGTERM stops it cleanly: when idle it exits at once with status 0; while a task runs
it lets the task finish, then exits with status 0 (a second signal aborts the task).
"""

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = "运行后台任务进程，处理所有队列；Ctrl-C 或 SIGTERM 时处理完当前任务后退出。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Every queue, and no autoreload (which would not stop a running task cleanly).
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            super().handle(*args, **options)
        except SystemExit as stop:
            # db_worker leaves through sys.exit(0) when a signal arrives while it is idle.
            if stop.code not in (0, None):
                raise
