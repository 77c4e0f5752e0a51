import datetime

import pytest

from tests.conftest import Tree
from tests.factories import user_with_post
from warmhome.accounts.models import User
from warmhome.rules.services import calendar_seed_from_package

#: "Today" for the calendar tests: late November 2026, when the 2027 arrangement is still missing.
TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def calendar_2026(db: None) -> None:
    # The migrate loader seeds the recent years only; make sure 2026 is there whatever the date.
    calendar_seed_from_package(since=2026)


@pytest.fixture
def leader(tree: Tree) -> User:
    """A district leader: the role that sets business rules (rules.manage)."""
    return user_with_post("leader", tree.district, "district_leader")
