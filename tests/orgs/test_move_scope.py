"""Moving a community to another street: its whole subtree's scope follows, and the audit shows
the move (issue 4 acceptance)."""

from django.urls import reverse

from tests.conftest import Personas, Tree
from tests.factories import org, person
from warmhome.core.models import AuditEntry
from warmhome.orgs import services
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.orgs.selectors import unit_completeness
from warmhome.people.models import Person


def test_a_moved_community_leaves_street_a_and_joins_street_b(
    client, tree: Tree, personas: Personas
):
    grid = org(tree.community_a2, OrgKind.GRID, "甲二社区第一网格")
    resident = person(grid, "孙淑珍")
    subtree = {tree.community_a2.pk, grid.pk}

    client.force_login(personas.district_staff)
    response = client.post(
        reverse("orgs:orgunit_move", args=[tree.community_a2.pk]),
        {"new_parent": tree.street_b.pk},
    )
    assert response.status_code == 302

    street_a_sees = set(
        OrgUnit.objects.visible_to(personas.street_a_cadre).values_list("pk", flat=True)
    )
    street_b_sees = set(
        OrgUnit.objects.visible_to(personas.street_b_cadre).values_list("pk", flat=True)
    )
    assert subtree <= street_b_sees
    assert not subtree & street_a_sees
    assert Person.objects.visible_to(personas.street_b_cadre).filter(pk=resident.pk).exists()
    assert not Person.objects.visible_to(personas.street_a_cadre).filter(pk=resident.pk).exists()

    entries = AuditEntry.objects.filter(
        model_label="orgs.OrgUnit", object_pk=str(tree.community_a2.pk), kind="update"
    )
    moved = entries.get(after__to_parent=tree.street_b.pk)
    assert moved.before["parent"] == tree.street_a.pk
    assert moved.after["descendants"] == 1
    assert moved.actor_username == personas.district_staff.username
    # The old street's auditors see the community leave; the new street's see it arrive.
    assert AuditEntry.objects.filter(
        model_label="orgs.OrgUnit",
        object_pk=str(tree.street_a.pk),
        after__to_parent=tree.street_b.pk,
    ).exists()
    assert moved.org_path.startswith(OrgUnit.objects.get(pk=tree.street_b.pk).path)


def test_roll_up_facts_follow_the_move(tree: Tree, personas: Personas):
    services.unit_funding_record(
        actor=None, unit=tree.community_a2, year=2026, amount=5000, source="街道拨款"
    )
    services.orgunit_move(
        actor=personas.district_staff, unit=tree.community_a2, new_parent=tree.street_b
    )
    street_b = OrgUnit.objects.get(pk=tree.street_b.pk)
    under_b = OrgUnit.objects.filter(path__startswith=street_b.path, kind=OrgKind.COMMUNITY)

    facts = unit_completeness(under_b, 2026)

    assert facts[tree.community_a2.pk].has_funds
    assert set(facts) == {tree.community_b1.pk, tree.community_a2.pk}


def test_street_a_cannot_move_her_community_to_street_b(client, tree: Tree, personas: Personas):
    client.force_login(personas.street_a_cadre)

    page = client.get(reverse("orgs:orgunit_move", args=[tree.community_a2.pk]))
    response = client.post(
        reverse("orgs:orgunit_move", args=[tree.community_a2.pk]),
        {"new_parent": tree.street_b.pk},
    )

    assert tree.street_b.name not in page.content.decode()
    assert response.status_code == 200  # the form refuses a parent outside her choices
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(pk=tree.community_a2.pk)) == tree.street_a
