from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import Tree
from tests.factories import user_with_post


@dataclass
class Station:
    head: Any
    worker: Any
    other_worker: Any
    district_rights: Any


@pytest.fixture
def station(tree: Tree) -> Station:
    return Station(
        head=user_with_post("dv_head", tree.street_a, "dv_station_head"),
        worker=user_with_post("dv_worker", tree.street_a, "case_worker"),
        other_worker=user_with_post("dv_other", tree.street_a, "case_worker"),
        district_rights=user_with_post("district_rights", tree.district, "district_staff_rights"),
    )
