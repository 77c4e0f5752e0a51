"""What the engine gives other modules: person lists, household timeline, coverage evidence."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import activity, person
from warmhome.activities import services
from warmhome.activities.timeline_sources import units_with_activities
from warmhome.orgs.coverage import evidence_sources
from warmhome.people import services as people_services
from warmhome.people.lists import registered_person_lists
from warmhome.people.timeline import household_timeline

pytestmark = pytest.mark.django_db


def test_every_activities_person_list_draws_a_shielded_person_masked(
    tree: Tree, personas: Personas
):
    victim = person(tree.community_a1, "张秀梅")
    services.signup_create(actor=None, activity=activity(tree.community_a1), person=victim)
    people_services.person_shield(actor=None, person=victim, reason="家暴案件")
    lists = {
        name: source
        for name, source in registered_person_lists().items()
        if name.startswith("activities.")
    }

    assert set(lists) == {
        "activities.roster",
        "activities.attendee_export",
        "activities.sign_in_sheet",
    }
    for name, source in lists.items():
        printed = [str(row) for row in source(personas.community_a1_cadre)]
        assert "（受保护人员）" in printed, name
        assert "张秀梅" not in " ".join(printed), name


def test_an_attended_activity_shows_on_the_household_timeline(tree: Tree, personas: Personas):
    member = person(tree.community_a1, "李红")
    household = people_services.household_create(actor=None, org=tree.community_a1, head=member)
    made = activity(tree.community_a1, title="家庭教育讲座")
    signup = services.signup_create(actor=None, activity=made, person=member)
    services.attendance_tick(actor=None, signup=signup)

    own = household_timeline(household, personas.community_a1_cadre)
    other = household_timeline(household, personas.street_b_cadre)

    assert [event.title for event in own if event.source == "activities.attendance"] == [
        "李红 参加活动“家庭教育讲座”"
    ]
    assert not [event for event in other if event.source == "activities.attendance"]


def test_held_activities_count_as_work_evidence_of_their_organiser(tree: Tree):
    today = timezone.localdate()
    activity(tree.community_a1, state="finished")
    activity(tree.community_a2, state="cancelled")
    activity(tree.community_b1, state="draft")

    units = set(
        units_with_activities(
            today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)
        ).values_list("org_id", flat=True)
    )

    assert units == {tree.community_a1.pk}
    assert "activities.activity" in {source.key for source in evidence_sources()}


def test_activities_have_no_deadlines_and_cost_the_to_do_list_no_query(
    tree: Tree, personas: Personas, django_assert_num_queries
):
    from warmhome.activities.models import Activity
    from warmhome.core.workflows.selectors import records_due_for

    activity(tree.community_a1)

    with django_assert_num_queries(0):
        assert records_due_for(personas.community_a1_cadre, Activity) == []
