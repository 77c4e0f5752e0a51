import datetime

import pytest
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import person
from warmhome.people import services
from warmhome.people.timeline import (
    TimelineEvent,
    household_timeline,
    register_timeline_source,
    unregister_timeline_source,
)


@pytest.fixture
def sources():
    now = timezone.now()

    def relief(household, user):
        return [TimelineEvent(when=now - datetime.timedelta(days=2), title="发放临时救助")]

    def rights(household, user):
        return [TimelineEvent(when=now, title="家暴个案回访")]

    register_timeline_source("test.relief", "people.view", relief)
    register_timeline_source("test.rights", "people.shield", rights)
    yield
    unregister_timeline_source("test.relief")
    unregister_timeline_source("test.rights")


def test_timeline_merges_only_the_sources_the_user_may_see(
    sources, tree: Tree, people_personas: Personas
):
    household = services.household_create(
        actor=None, org=tree.community_a1, head=person(tree.community_a1)
    )

    # Only the throwaway sources: the registry's own membership source is tested elsewhere.
    def test_events(user):
        return [e for e in household_timeline(household, user) if e.source.startswith("test.")]

    cadre_sees = test_events(people_personas.community_a1_cadre)
    district_sees = test_events(people_personas.district_staff)

    assert [event.title for event in cadre_sees] == ["发放临时救助"]
    assert [(event.source, event.title) for event in district_sees] == [
        ("test.rights", "家暴个案回访"),
        ("test.relief", "发放临时救助"),
    ]
    assert household_timeline(household, people_personas.street_b_cadre) == []
