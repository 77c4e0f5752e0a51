import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import Personas, Tree
from tests.factories import person
from warmhome.core.models import AuditEntry
from warmhome.people import services
from warmhome.people.lists import registered_person_lists
from warmhome.people.rendering import CONTEXTS, person_sensitive_reveal, render_person

ADDRESS = "济南市历下区解放路街道解放桥社区幸福里7号楼2单元301"


@pytest.fixture
def shielded(tree: Tree, people_personas: Personas):
    victim = person(tree.community_a1, "张秀梅", residence_address=ADDRESS)
    services.person_shield(actor=people_personas.district_staff, person=victim, reason="家暴案件")
    victim.refresh_from_db()
    return victim


def test_list_shows_name_and_masks_id_phone_and_address(tree: Tree, people_personas: Personas):
    someone = person(
        tree.community_a1,
        "李红",
        citizen_id="11010519491231002X",
        phone="13912345678",
        residence_address=ADDRESS,
    )

    shown = render_person(someone, viewer=people_personas.community_a1_cadre, context="detail")

    assert shown.name == "李红"
    assert shown.masked_id == "110105********002X"
    assert shown.masked_phone == "139****5678"
    assert shown.address == "济南市历下区解放路街道解放桥社区****"
    assert not shown.is_shielded


def test_public_context_masks_the_name_and_shows_nothing_else(
    tree: Tree, people_personas: Personas
):
    someone = person(tree.community_a1, "李红", residence_address=ADDRESS)

    shown = render_person(someone, viewer=people_personas.district_staff, context="public")

    assert (shown.name, shown.masked_id, shown.masked_phone, shown.address) == ("李*", "", "", "")
    assert not shown.photo_allowed


def test_outsider_sees_only_the_masked_name(tree: Tree, people_personas: Personas):
    someone = person(tree.community_a1, "李红")

    assert render_person(someone, viewer=people_personas.street_b_cadre).name == "李*"


@pytest.mark.parametrize("context", CONTEXTS)
def test_shielded_person_is_never_named_in_any_context(
    shielded, people_personas: Personas, context
):
    for viewer in (people_personas.district_staff, people_personas.community_a1_cadre, None):
        shown = render_person(shielded, viewer=viewer, context=context)

        assert "张" not in shown.name + shown.masked_name
        assert shown.name == "（受保护人员）"
        assert shown.address == ""
        assert not shown.photo_allowed
        assert shown.is_shielded


def test_only_shield_holders_learn_why_a_person_is_shielded(shielded, people_personas: Personas):
    assert (
        render_person(shielded, viewer=people_personas.district_staff).shield_reason == "家暴案件"
    )
    assert render_person(shielded, viewer=people_personas.community_a1_cadre).shield_reason == ""


def test_no_registered_person_list_names_a_shielded_person(
    shielded, tree: Tree, people_personas: Personas
):
    household = services.household_create(actor=None, org=tree.community_a1, head=shielded)
    assert household.pk
    from warmhome.orgs.models_new_orgs import GridLeader

    GridLeader.objects.create(org=tree.grid_a1, person=shielded, started_on="2026-01-01")
    from tests.factories import activity
    from warmhome.activities.services import signup_create

    signup_create(actor=None, activity=activity(tree.community_a1), person=shielded)
    from tests.factories import make_team, service_record
    from warmhome.volunteers.services import team_member_add, volunteer_register

    helper = volunteer_register(actor=None, person=shielded, guardian_consent=True)
    team_member_add(actor=None, team=make_team(tree.community_a1), volunteer=helper)
    service_record(helper)
    lists = registered_person_lists()
    assert lists, "no person list is registered"

    for list_name, source in lists.items():
        for viewer in vars(people_personas).values():
            printed = " ".join(str(row) for row in source(viewer))
            assert "张秀梅" not in printed, f"{list_name} names a shielded person to {viewer}"
            assert "幸福里" not in printed, f"{list_name} prints a shielded person's address"


def test_reveal_needs_the_permission_and_a_reason_and_is_audited(
    tree: Tree, people_personas: Personas
):
    someone = person(tree.community_a1, "李红", citizen_id="11010519491231002X")

    with pytest.raises(PermissionDenied):
        person_sensitive_reveal(people_personas.community_a1_cadre, someone, "核对")
    with pytest.raises(ValidationError):
        person_sensitive_reveal(people_personas.street_a_cadre, someone, "")
    revealed = person_sensitive_reveal(people_personas.street_a_cadre, someone, "核对救助材料")

    assert revealed.citizen_id == "11010519491231002X"
    entry = AuditEntry.objects.get(event="sensitive_read", object_pk=str(someone.pk))
    assert entry.actor_username == "street_a"
    assert entry.detail["reason"] == "核对救助材料"


def test_shielded_persons_values_are_revealed_only_with_people_shield(
    shielded, people_personas: Personas
):
    with pytest.raises(PermissionDenied):
        person_sensitive_reveal(people_personas.street_a_cadre, shielded, "核对")

    assert person_sensitive_reveal(people_personas.district_staff, shielded, "个案").citizen_id
