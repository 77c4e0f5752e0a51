"""``warmhome demo load`` runs every app's demo loader (``core.demo``) — each loads once;
``warmhome demo logins`` lists the demo logins.

The command lives in ``orgs`` rather than ``core`` because it uses the organisation and account
services, and ``core`` imports no app above it (the import-linter layers contract).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from warmhome.core import demo
from warmhome.core.request_context import acting_as
from warmhome.orgs.demo import demo_logins


class Command(BaseCommand):
    help = (
        "演示数据：load 加载济南市历下区的组织树和每个角色一个演示账号（可重复运行）；"
        "logins 列出演示账号。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", choices=["load", "logins"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "load":
            self._load()
        else:
            self._print_logins()

    def _load(self) -> None:
        # No person acts: the audit trail records these entries as the system's.
        with acting_as(None):
            created = [loader.key for loader in demo.loaders() if loader.load()]
        if created:
            self.stdout.write(self.style.SUCCESS(_("演示数据已加载：济南市历下区。")))
        else:
            self.stdout.write(_("演示数据已存在，跳过。"))

    def _print_logins(self) -> None:
        logins = demo_logins()
        if not logins:
            self.stdout.write(_("没有演示账号（运行 warmhome demo load 加载演示数据）。"))
            return
        self.stdout.write(
            _("演示账号（密码均为 %(password)s）：") % {"password": logins[0].password}
        )
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.username.ljust(width)}  {login.password}  {login.role_name}"
                f"（{login.org_name}）"
            )
