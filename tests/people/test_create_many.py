"""Registering many persons at once (the import's bulk path): same checks, one audit line each."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.conftest import Personas, Tree
from tests.factories import person
from warmhome.core.audit.snapshots import REDACTED
from warmhome.core.audit.verify import verify_chain
from warmhome.core.identifiers import fake_citizen_id, fake_mobile
from warmhome.core.models import AuditEntry
from warmhome.people.models import Category, Person
from warmhome.people.services import PersonDraft, person_create_many


def draft(org, name: str, **values) -> PersonDraft:
    values.setdefault("citizen_id", fake_citizen_id(sex="female"))
    values.setdefault("sex", "female")
    return PersonDraft(org=org, values={"name": name, **values})


def test_creates_every_person_with_derived_fields_categories_and_an_audit_line_each(
    tree: Tree, people_personas: Personas
):
    category = Category.objects.get(name="留守妇女")
    phone = fake_mobile()
    drafts = [
        draft(tree.community_a1, "张秀梅", phone=phone),
        PersonDraft(
            org=tree.grid_a1,
            values={"name": "李桂英", "citizen_id": fake_citizen_id(sex="female"), "sex": ""},
            categories=(category,),
        ),
        draft(tree.community_a2, "王丽"),
    ]

    created = person_create_many(actor=people_personas.street_a_cadre, drafts=drafts)

    assert [p.pk is not None for p in created] == [True, True, True]
    assert len({p.pk for p in created}) == 3
    zhang = Person.objects.get(pk=created[0].pk)
    assert (zhang.name, zhang.org, zhang.phone, zhang.name_pinyin_initials) == (
        "张秀梅",
        tree.community_a1,
        phone,
        "zxm",
    )
    assert zhang.id_last4 == drafts[0].values["citizen_id"][-4:]
    li = Person.objects.get(pk=created[1].pk)
    assert li.sex == "female"  # derived from the ID when left empty
    assert list(li.categories.all()) == [category]
    assert li.birth_date is not None
    entries = AuditEntry.objects.filter(
        model_label="people.Person",
        kind=AuditEntry.Kind.CREATE,
        object_pk__in=[str(p.pk) for p in created],
    )
    assert entries.count() == 3
    entry = entries.get(object_pk=str(created[0].pk))
    assert entry.actor_username == people_personas.street_a_cadre.username
    assert entry.org_path == tree.community_a1.path
    assert entry.after["citizen_id"] == REDACTED
    assert entry.after["name"] == REDACTED  # a person shielded later must not be named there
    # what a save would log: the masked name and the key the insert gave
    assert entry.object_repr == f"张**#{created[0].pk}" == str(created[0])
    assert verify_chain().ok


def test_the_stored_rows_hold_no_plaintext_id(tree: Tree):
    citizen_id = fake_citizen_id(sex="female")

    (created,) = person_create_many(
        actor=None, drafts=[draft(tree.community_a1, "赵红", citizen_id=citizen_id)]
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [created.pk])
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert citizen_id not in stored
    assert Person.objects.get(citizen_id_index__in=[created.citizen_id_index]).citizen_id == (
        citizen_id
    )


def test_an_id_registered_already_refuses_the_whole_batch(tree: Tree):
    existing = person(tree.community_a1)
    before = Person.objects.count()

    with pytest.raises(ValidationError) as refused:
        person_create_many(
            actor=None,
            drafts=[
                draft(tree.community_a1, "新人"),
                draft(tree.community_a2, "重复", citizen_id=existing.citizen_id),
            ],
        )

    assert "已登记在“解放桥社区”" in refused.value.message_dict["citizen_id"][0]
    assert existing.citizen_id not in str(refused.value)
    assert Person.objects.count() == before


def test_an_id_indexed_under_an_older_key_refuses_the_batch_while_a_rotation_is_pending(
    tree: Tree, settings
):
    # The unique index cannot see it (its index is under the old key): looked for first.
    from tests.core.test_crypto import AES_KEY_1, AES_KEY_2

    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_1]
    existing = person(tree.community_a1)
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2, AES_KEY_1]
    before = Person.objects.count()

    with pytest.raises(ValidationError) as refused:
        person_create_many(
            actor=None, drafts=[draft(tree.community_a2, "重复", citizen_id=existing.citizen_id)]
        )

    assert "已登记在“解放桥社区”" in refused.value.message_dict["citizen_id"][0]
    assert Person.objects.count() == before


def test_the_same_id_twice_in_one_batch_is_refused(tree: Tree):
    citizen_id = fake_citizen_id(sex="female")

    with pytest.raises(ValidationError) as refused:
        person_create_many(
            actor=None,
            drafts=[
                draft(tree.community_a1, "甲", citizen_id=citizen_id),
                draft(tree.community_a1, "乙", citizen_id=citizen_id),
            ],
        )

    assert "同一批中有两人身份证号相同" in refused.value.message_dict["citizen_id"][0]
    assert not Person.objects.filter(name__in=["甲", "乙"]).exists()


def test_a_bad_field_names_its_column(tree: Tree):
    with pytest.raises(ValidationError) as refused:
        person_create_many(
            actor=None,
            drafts=[draft(tree.community_a1, "甲"), draft(tree.community_a1, "乙", phone="123")],
        )

    assert "phone" in refused.value.message_dict
    assert not Person.objects.filter(name__in=["甲", "乙"]).exists()


def test_one_organisation_outside_the_actors_scope_refuses_all(
    tree: Tree, people_personas: Personas
):
    with pytest.raises(PermissionDenied):
        person_create_many(
            actor=people_personas.community_a1_cadre,
            drafts=[draft(tree.community_a1, "甲"), draft(tree.community_b1, "乙")],
        )

    assert not Person.objects.filter(name__in=["甲", "乙"]).exists()


def test_the_bulk_audit_entry_holds_what_a_single_registration_records(
    tree: Tree, people_personas: Personas
):
    from warmhome.people.services import person_create

    actor = people_personas.street_a_cadre
    phone = fake_mobile()
    single = person_create(
        actor=actor,
        org=tree.community_a1,
        name="张秀梅",
        sex="female",
        citizen_id=fake_citizen_id(sex="female"),
        phone=phone,
        residence_address="历下区某某路1号",
        education="senior",
    ).person
    (bulk,) = person_create_many(
        actor=actor,
        drafts=[
            draft(
                tree.community_a1,
                "张秀梅",
                phone=phone,
                residence_address="历下区某某路1号",
                education="senior",
            )
        ],
    )

    def after(person: Person) -> dict:
        entry = AuditEntry.objects.get(
            model_label="people.Person", kind=AuditEntry.Kind.CREATE, object_pk=str(person.pk)
        )
        return entry.after

    single_after, bulk_after = after(single), after(bulk)
    differ = {"id", "created_at", "updated_at", "id_last4", "birth_date"}
    assert single_after.keys() == bulk_after.keys()
    assert {k: v for k, v in bulk_after.items() if k not in differ} == {
        k: v for k, v in single_after.items() if k not in differ
    }
    assert bulk_after["id"] == bulk.pk
    assert bulk_after["birth_date"] == str(bulk.birth_date)
    assert verify_chain().ok


def test_bulk_insert_stores_what_a_save_stores_for_plain_lazy_and_empty_values(tree: Tree):
    from django.utils.translation import gettext_lazy

    from warmhome.core.bulk import insert_many

    saved = Category(code="saved-x", name="留守老人X", is_active=False, order=3)
    saved.save()
    (bulk,) = insert_many(
        Category,
        [Category(code="bulk-x", name=gettext_lazy("留守老人Y"), is_active=False, order=3)],
    )
    (blank,) = insert_many(Person, [Person(org=tree.community_a1, name="王丽", sex="female")])

    stored = Category.objects.get(pk=bulk.pk)
    again = Category.objects.get(pk=saved.pk)
    assert (stored.name, stored.is_active, stored.order) == ("留守老人Y", False, 3)
    assert (again.is_active, again.order) == (stored.is_active, stored.order)
    person_row = Person.objects.get(pk=blank.pk)
    assert (person_row.citizen_id, person_row.citizen_id_index, person_row.org) == (
        "",
        None,
        tree.community_a1,
    )
    assert person_row.created_at is not None
