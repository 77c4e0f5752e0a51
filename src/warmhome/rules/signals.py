"""Loading the initial rules after migrate, and keeping the read caches fresh."""

from typing import Any

from django.utils import timezone

#: After each migrate (and each flush of a transactional test) the recent years are seeded:
#: every row is an audited save, and the package's full history (2004 on, ~770 days) would
#: cost seconds each time. ``warmhome calendar_seed`` loads the older years once.
SEED_YEARS_BACK = 2


def ensure_initial_rules(sender: Any, **_: Any) -> None:
    from warmhome.rules.services import calendar_seed_from_package, policies_ensure_defaults

    policies_ensure_defaults()
    calendar_seed_from_package(since=timezone.localdate().year - SEED_YEARS_BACK)
