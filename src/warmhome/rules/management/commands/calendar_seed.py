"""Load the holidays and make-up workdays chinese-calendar knows into the calendar table."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from warmhome.rules.services import calendar_seed_from_package


class Command(BaseCommand):
    help = "Load every year chinese-calendar knows that the calendar table does not hold yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since", type=int, default=None, help="Only years from this one on (default: all)."
        )

    def handle(self, *args: Any, since: int | None, **options: Any) -> None:
        created = calendar_seed_from_package(since=since)
        self.stdout.write(f"{created} calendar days entered.")
