"""Registering persons prepared ahead (the import prepares at validation, registers at commit)."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import Personas, Tree
from tests.core.test_crypto import AES_KEY_1, AES_KEY_2
from tests.factories import person
from tests.people.test_create_many import draft
from warmhome.core.audit.verify import verify_chain
from warmhome.core.identifiers import fake_citizen_id, fake_mobile
from warmhome.core.models import AuditEntry
from warmhome.people.models import Category, Person
from warmhome.people.services import (
    person_create_many,
    person_prepare,
    person_register_prepared,
)


def prepared(org, name: str, categories=(), **values) -> dict:
    made = draft(org, name, **values)
    # what the import keeps between validation and commit: a JSON round trip
    return json.loads(
        json.dumps(person_prepare(org=org, values=made.values, categories=categories))
    )


def test_registers_what_person_create_many_registers(tree: Tree, people_personas: Personas):
    actor = people_personas.street_a_cadre
    category = Category.objects.get(name="留守妇女")
    phone = fake_mobile()
    values = {
        "phone": phone,
        "residence_address": "历下区某某路1号",
        "education": "senior",
        "ethnic_group": "回族",
    }
    (direct,) = person_create_many(
        actor=actor,
        drafts=[draft(tree.community_a1, "张秀梅", **values)],
    )
    item = prepared(tree.grid_a1, "张秀梅", categories=[category], **values)

    assert person_register_prepared(actor=actor, prepared=[item]) == [True]

    made = Person.objects.get(citizen_id_index=item["values"]["citizen_id_index"])
    direct.refresh_from_db()
    same = [
        "name",
        "name_pinyin_initials",
        "sex",
        "ethnic_group",
        "phone",
        "phone_last4",
        "residence_address",
        "registered_address",
        "education",
        "employment_status",
        "marital_status",
        "is_shielded",
    ]
    assert [getattr(made, name) for name in same] == [getattr(direct, name) for name in same]
    assert (made.org, made.name_pinyin_initials, made.phone) == (tree.grid_a1, "zxm", phone)
    assert made.id_last4 == made.citizen_id[-4:]
    assert made.birth_date is not None
    assert made.created_at is not None
    assert made.updated_at == made.created_at
    assert list(made.categories.all()) == [category]

    def after(person: Person) -> dict:
        return AuditEntry.objects.get(
            model_label="people.Person", kind=AuditEntry.Kind.CREATE, object_pk=str(person.pk)
        ).after

    differ = {"id", "created_at", "updated_at", "id_last4", "birth_date", "org_id"}
    assert list(after(made)) == list(after(direct))
    assert {k: v for k, v in after(made).items() if k not in differ} == {
        k: v for k, v in after(direct).items() if k not in differ
    }
    entry = AuditEntry.objects.get(object_pk=str(made.pk), model_label="people.Person")
    assert (entry.object_repr, entry.org_path) == (str(made), made.org.path)
    assert after(made)["birth_date"] == str(made.birth_date)
    assert verify_chain().ok


def test_the_prepared_person_holds_no_plaintext_id_phone_or_address(tree: Tree):
    citizen_id, phone = fake_citizen_id(sex="female"), fake_mobile()
    item = prepared(
        tree.community_a1, "王丽", citizen_id=citizen_id, phone=phone, residence_address="幸福里3号"
    )

    text = json.dumps(item, ensure_ascii=False)

    assert citizen_id not in text
    assert phone not in text
    assert "幸福里" not in text


def test_an_id_registered_already_is_skipped_and_the_others_registered(
    tree: Tree, people_personas: Personas
):
    taken = person(tree.community_a1)
    items = [
        prepared(tree.community_a1, "甲", citizen_id=taken.citizen_id),
        prepared(tree.community_a1, "乙"),
    ]

    result = person_register_prepared(actor=people_personas.street_a_cadre, prepared=items)

    assert result == [False, True]
    assert Person.objects.filter(name="乙").exists()
    assert not Person.objects.filter(name="甲").exists()


def test_the_same_id_twice_is_refused(tree: Tree, people_personas: Personas):
    citizen_id = fake_citizen_id(sex="female")
    items = [
        prepared(tree.community_a1, "甲", citizen_id=citizen_id),
        prepared(tree.community_a2, "乙", citizen_id=citizen_id),
    ]

    with pytest.raises(ValidationError, match="同一批中有两人身份证号相同"):
        person_register_prepared(actor=people_personas.street_a_cadre, prepared=items)

    assert not Person.objects.filter(name__in=["甲", "乙"]).exists()


def test_an_organisation_outside_the_actors_scope_refuses_all(
    tree: Tree, people_personas: Personas
):
    items = [prepared(tree.community_a1, "甲"), prepared(tree.community_b1, "乙")]

    with pytest.raises(PermissionDenied):
        person_register_prepared(actor=people_personas.community_a1_cadre, prepared=items)

    assert not Person.objects.filter(name__in=["甲", "乙"]).exists()


def test_persons_prepared_under_other_keys_are_refused(
    tree: Tree, people_personas: Personas, settings
):
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_1]
    item = prepared(tree.community_a1, "甲")
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2, AES_KEY_1]  # rotated since

    with pytest.raises(ValidationError, match="加密密钥已更换"):
        person_register_prepared(actor=people_personas.street_a_cadre, prepared=[item])

    assert not Person.objects.filter(name="甲").exists()


def test_preparing_checks_as_person_create_does(tree: Tree):
    valid = fake_citizen_id(sex="female")
    wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    with pytest.raises(ValidationError) as refused:
        prepared(tree.community_a1, "甲", citizen_id=wrong)

    assert "citizen_id" in refused.value.message_dict
