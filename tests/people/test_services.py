import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import person
from warmhome.core.identifiers import fake_citizen_id, fake_mobile
from warmhome.core.masking import mask_citizen_id
from warmhome.core.models import AuditEntry
from warmhome.people import services
from warmhome.people.models import Category, Consent, HouseholdMember, Person


def test_seed_categories_are_loaded(db: None):
    names = set(Category.objects.values_list("name", flat=True))

    assert {
        "单亲特困母亲",
        "困难儿童",
        "留守妇女",
        "留守儿童",
        "病残妇女",
        "老龄妇女",
        "下岗失业妇女",
        "女大学生",
    } <= names


def test_create_derives_birth_date_initials_and_tails_and_normalises_phone(
    tree: Tree, people_personas: Personas
):
    citizen_id = fake_citizen_id(birth_date=datetime.date(1980, 5, 6), sex="female")

    result = services.person_create(
        actor=people_personas.community_a1_cadre,
        org=tree.community_a1,
        name="张秀梅",
        sex="female",
        citizen_id=citizen_id.lower(),
        phone="+86 138-0013-8000",
    )

    saved = Person.objects.get(pk=result.person.pk)
    assert saved.birth_date == datetime.date(1980, 5, 6)
    assert saved.name_pinyin_initials == "zxm"
    assert saved.id_last4 == citizen_id[-4:]
    assert saved.phone == "13800138000"
    assert saved.phone_last4 == "8000"
    assert result.warnings == []


def test_declared_sex_differing_from_id_is_kept_with_a_warning(tree: Tree):
    result = services.person_create(
        actor=None,
        org=tree.community_a1,
        name="李华",
        sex="female",
        citizen_id=fake_citizen_id(sex="male"),
    )

    assert result.person.sex == "female"
    assert any("性别" in warning for warning in result.warnings)


def test_invalid_id_is_refused_with_the_precise_chinese_error_and_nothing_saved(tree: Tree):
    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=None,
            org=tree.community_a1,
            name="王芳",
            sex="female",
            citizen_id="37010219800506",
        )

    assert "身份证号应为18位，当前为14位" in str(refused.value.message_dict["citizen_id"])
    assert not Person.objects.exists()


def test_duplicate_id_is_refused_naming_the_visible_record_masked(
    tree: Tree, people_personas: Personas
):
    existing = person(tree.community_a1, "王芳")

    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=people_personas.street_a_cadre,
            org=tree.community_a2,
            name="王芳",
            sex="female",
            citizen_id=existing.citizen_id,
        )

    message = refused.value.message_dict["citizen_id"][0]
    assert mask_citizen_id(existing.citizen_id) in message
    assert "解放桥社区" in message
    assert existing.citizen_id not in message
    assert Person.objects.count() == 1


def test_duplicate_id_of_another_street_is_refused_without_details(
    tree: Tree, people_personas: Personas
):
    existing = person(tree.community_b1, "王芳")

    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=people_personas.community_a1_cadre,
            org=tree.community_a1,
            name="王芳",
            sex="female",
            citizen_id=existing.citizen_id,
        )

    message = refused.value.message_dict["citizen_id"][0]
    assert message == "该身份证号已登记在其他组织的人员档案中，请联系上级妇联核实。"


def test_probable_duplicate_by_name_and_phone_is_flagged(tree: Tree):
    mobile = fake_mobile()
    first = person(tree.community_a1, "赵敏", phone=mobile, citizen_id="")

    result = services.person_create(
        actor=None, org=tree.community_a1, name="赵敏", sex="female", phone=mobile
    )

    assert result.probable_duplicates == [first]
    assert any("可能重复" in warning for warning in result.warnings)


def test_community_cadre_cannot_register_in_another_street(tree: Tree, people_personas: Personas):
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=people_personas.community_a1_cadre,
            org=tree.community_b1,
            name="孙丽",
            sex="female",
        )


def test_merge_moves_memberships_consents_categories_and_fills_blanks(tree: Tree):
    keep = person(tree.community_a1, "周梅", phone="")
    merge = person(tree.community_a1, "周梅", citizen_id="")
    household = services.household_create(actor=None, org=tree.community_a1, head=merge)
    consent = services.consent_record(
        actor=None, person=merge, purpose="困难帮扶", legal_basis="statutory_duty"
    )
    category = Category.objects.get(name="留守妇女")
    merge.categories.add(category)
    merge_phone = merge.phone

    services.person_merge(actor=None, keep=keep, merge=merge)

    keep.refresh_from_db()
    merge.refresh_from_db()
    assert merge.merged_into == keep
    assert HouseholdMember.objects.get(household=household).person == keep
    household.refresh_from_db()
    assert household.head == keep
    assert Consent.objects.get(pk=consent.pk).person == keep
    assert list(keep.categories.all()) == [category]
    assert keep.phone == merge_phone
    assert AuditEntry.objects.filter(model_label="people.Person", object_pk=str(merge.pk)).exists()


def test_merge_refuses_two_different_ids(tree: Tree):
    first = person(tree.community_a1, "周梅")
    second = person(tree.community_a1, "周梅")

    with pytest.raises(ValidationError, match="身份证号不同"):
        services.person_merge(actor=None, keep=first, merge=second)


def test_merging_a_shielded_person_shields_the_kept_record(tree: Tree, people_personas: Personas):
    keep = person(tree.community_a1, "钱红", citizen_id="")
    merge = person(tree.community_a1, "钱红")
    services.person_shield(actor=people_personas.district_staff, person=merge, reason="家暴案件")

    services.person_merge(actor=None, keep=keep, merge=merge)

    keep.refresh_from_db()
    assert keep.is_shielded
    assert keep.citizen_id


def test_shield_needs_a_reason_and_the_permission(tree: Tree, people_personas: Personas):
    shielded = person(tree.community_a1)

    with pytest.raises(PermissionDenied):
        services.person_shield(
            actor=people_personas.community_a1_cadre, person=shielded, reason="家暴案件"
        )
    with pytest.raises(ValidationError, match="请填写保护原因"):
        services.person_shield(actor=people_personas.district_staff, person=shielded, reason=" ")

    services.person_shield(actor=people_personas.district_staff, person=shielded, reason="家暴")
    shielded.refresh_from_db()
    assert shielded.is_shielded
    assert shielded.shielded_by == people_personas.district_staff

    services.person_unshield(actor=people_personas.district_staff, person=shielded)
    shielded.refresh_from_db()
    assert not shielded.is_shielded
    assert shielded.shield_reason == ""


def test_consent_of_a_child_under_14_needs_a_guardian(tree: Tree):
    child = person(
        tree.community_a1,
        "刘小雨",
        citizen_id=fake_citizen_id(birth_date=timezone.localdate() - datetime.timedelta(days=3650)),
    )
    mother = person(tree.community_a1, "刘芳")

    with pytest.raises(ValidationError) as refused:
        services.consent_record(
            actor=None,
            person=child,
            purpose="儿童之家活动",
            legal_basis="consent",
            version="2026-1",
            channel="paper",
        )
    assert "须由监护人同意" in refused.value.message_dict["guardian"][0]

    consent = services.consent_record(
        actor=None,
        person=child,
        purpose="儿童之家活动",
        legal_basis="consent",
        version="2026-1",
        channel="paper",
        guardian=mother,
    )
    assert consent.guardian == mother
    assert consent.given_at is not None


def test_consent_withdrawal_is_recorded_and_statutory_duty_cannot_be_withdrawn(tree: Tree):
    someone = person(tree.community_a1)
    consent = services.consent_record(
        actor=None,
        person=someone,
        purpose="活动照片公示",
        legal_basis="separate_consent",
        version="v1",
        channel="online",
    )
    duty = services.consent_record(
        actor=None, person=someone, purpose="维权服务", legal_basis="statutory_duty"
    )

    services.consent_withdraw(actor=None, consent=consent)
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None
    with pytest.raises(ValidationError, match="不能撤回"):
        services.consent_withdraw(actor=None, consent=duty)


def test_consent_based_on_agreement_needs_version_and_channel(tree: Tree):
    with pytest.raises(ValidationError) as refused:
        services.consent_record(
            actor=None, person=person(tree.community_a1), purpose="宣传", legal_basis="consent"
        )

    assert set(refused.value.message_dict) == {"version", "channel"}


def test_household_members_cannot_be_added_twice_and_head_cannot_be_removed(tree: Tree):
    head = person(tree.community_a1)
    child = person(tree.community_a1)
    household = services.household_create(actor=None, org=tree.community_a1, head=head)
    member = services.household_member_add(
        actor=None, household=household, person=child, relationship="child"
    )

    with pytest.raises(ValidationError, match="已是该家庭户的成员"):
        services.household_member_add(
            actor=None, household=household, person=child, relationship="child"
        )
    with pytest.raises(ValidationError, match="不能移除户主"):
        services.household_member_remove(actor=None, member=household.members.get(person=head))
    services.household_member_remove(actor=None, member=member)
    assert household.members.count() == 1


def test_database_holds_no_plaintext_id_or_phone(tree: Tree):
    persons = [person(tree.community_a1) for _ in range(3)]
    household = services.household_create(
        actor=None, org=tree.community_a1, address="解放桥社区幸福里7号楼", head=persons[0]
    )
    assert household.pk

    if connection.vendor == "sqlite":
        dump = "\n".join(connection.connection.iterdump())
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM people_person")
            rows = cursor.fetchall()
            cursor.execute("SELECT * FROM people_household")
            rows += cursor.fetchall()
            cursor.execute("SELECT * FROM core_auditentry")
            rows += cursor.fetchall()
        dump = repr(rows)

    for someone in persons:
        assert someone.citizen_id not in dump
        assert someone.phone not in dump
    assert "幸福里7号楼" not in dump


def test_demo_loads_synthetic_persons_and_households_once(tree: Tree):
    from warmhome.people.demo import persons_demo_load

    assert persons_demo_load(30) == 30
    assert persons_demo_load(30) == 0
    assert Person.objects.count() == 30
    assert Person.objects.filter(is_shielded=True).count() == 1
    assert HouseholdMember.objects.exists()
