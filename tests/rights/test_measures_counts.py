"""The district's anonymised counts of measures and outcomes: small numbers suppressed."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Tree
from tests.factories import dv_case
from tests.rights.conftest import Station
from warmhome.rights import services_measures as sm
from warmhome.rights.selectors_measures import suppress

pytestmark = pytest.mark.django_db


def test_small_counts_are_shown_as_below_the_minimum():
    assert [suppress(n, 3) for n in (0, 1, 2, 3, 10)] == ["0", "<3", "<3", "3", "10"]


def test_counts_page_shows_measures_with_small_numbers_suppressed(tree: Tree, station: Station):
    today = timezone.localdate()
    cases = [dv_case(tree.community_a1, workers=[station.worker]) for _number in range(4)]
    for number, case in enumerate(cases):
        sm.warning_letter_record(
            actor=station.worker,
            case=case,
            number=f"告{number}",
            issued_on=today,
            police_station="派出所",
        )
    sm.shelter_admit(
        actor=station.worker, case=cases[0], place="秘密地点", from_on=today, until_on=today
    )
    client = Client()
    client.force_login(station.district_rights)

    response = client.get(reverse("rights:counts"))

    rows = dict((str(label), shown) for label, shown in response.context["measure_rows"])
    assert rows["告诫书"] == "4"
    assert rows["临时庇护"] == "<3"
    assert rows["保护令申请"] == "0"
    body = response.content.decode()
    assert "秘密地点" not in body
    assert all(case.number not in body for case in cases)
    assert response.context["shown_totals"]["total"] == "4"
    assert response.context["shown_totals"]["high"] == "0"


def test_case_counts_per_unit_below_the_minimum_are_suppressed(tree: Tree, station: Station):
    dv_case(tree.community_a1, workers=[station.worker])
    client = Client()
    client.force_login(station.district_rights)

    response = client.get(reverse("rights:counts"))

    assert response.context["shown_totals"]["total"] == "<3"
    assert ">&lt;3<" in response.content.decode() or "&lt;3" in response.content.decode()
