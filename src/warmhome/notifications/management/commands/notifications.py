"""``warmhome notifications send-due``: deliver every message whose (re)try is due.

Run it from cron (every minute) where the task backend cannot defer retries.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from warmhome.notifications.services import messages_send_due


class Command(BaseCommand):
    help = "消息通知：send-due 发送所有到期（含重试）的短信和邮件。"

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("send-due", help="发送所有到期的待发送和待重试消息。")

    def handle(self, *args: Any, **options: Any) -> None:
        tried = messages_send_due()
        self.stdout.write(f"tried {tried}")
