"""``warmhome rights_escalate``: report overdue help requests to the level above (run daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from warmhome.core.request_context import acting_as
from warmhome.rights.services_escalation import help_requests_escalate_overdue


class Command(BaseCommand):
    help = "Report overdue help requests to the level above their organisation (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(None):
            made = help_requests_escalate_overdue()
        self.stdout.write(f"{len(made)} escalation(s) recorded.")
