"""``warmhome daily``: run the daily jobs that are due now (the worker does this by itself)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from warmhome.core import daily


class Command(BaseCommand):
    help = "运行今天尚未运行的每日任务（后台任务进程会自动运行；用于 cron 或手动补跑）。"

    def handle(self, *args: Any, **options: Any) -> None:
        ran = daily.run_due()
        if not ran:
            self.stdout.write(_("今天的每日任务都已运行过。"))
        for name in ran:
            self.stdout.write(_("已运行：%(name)s") % {"name": name})
