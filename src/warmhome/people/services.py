"""Writes to the person registry: persons, merges, shielding, consents and households."""

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.audit.services import created_entries, created_entries_log
from warmhome.core.audit.snapshots import loaded_values
from warmhome.core.bulk import insert_prepared, prepared_rows
from warmhome.core.crypto import blind_index_candidates
from warmhome.core.identifiers import normalise_phone, validate_citizen_id
from warmhome.core.masking import mask_citizen_id
from warmhome.people.models import (
    SHIELDED_NAME_STORED,
    Category,
    Consent,
    Household,
    HouseholdMember,
    LegalBasis,
    Person,
    Relationship,
)
from warmhome.people.pinyin import pinyin_initials
from warmhome.rules.selectors import policy_value

#: the fields a form may set through ``person_create`` / ``person_update``
PERSON_FIELDS = (
    "name",
    "sex",
    "citizen_id",
    "birth_date",
    "ethnic_group",
    "phone",
    "residence_address",
    "registered_address",
    "education",
    "employment_status",
    "marital_status",
)
#: what a merge copies from the merged record where the kept one has nothing
_MERGE_FILLABLE = tuple(name for name in PERSON_FIELDS if name not in ("name", "sex"))


@dataclass
class PersonSaveResult:
    person: Person
    warnings: list[str] = field(default_factory=list)
    #: probable duplicates the actor may see (same name and birth date, or same name and phone)
    probable_duplicates: list[Person] = field(default_factory=list)


def _require(actor: Any, action: str, org: Any) -> None:
    # ``actor=None`` is the system itself (demo loader, migrations, maintenance commands).
    if actor is not None and not actor.has_action(action, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))


def _derived(person: Person) -> None:
    # A shielded person must not be found by her initials either.
    person.name_pinyin_initials = "" if person.is_shielded else pinyin_initials(person.name)
    person.id_last4 = person.citizen_id[-4:] if person.citizen_id else ""
    digits = "".join(ch for ch in person.phone if ch.isdigit()) if person.phone else ""
    person.phone_last4 = digits[-4:]


def _clean_citizen_id(person: Person, errors: dict[str, list[str]], warnings: list[str]) -> None:
    try:
        citizen = validate_citizen_id(person.citizen_id)
    except ValidationError as problem:
        errors.setdefault("citizen_id", []).extend(problem.messages)
        return
    person.citizen_id = citizen.value
    if person.birth_date and person.birth_date != citizen.birth_date:
        warnings.append(_("填写的出生日期与身份证号不符，已按身份证号更正。"))
    person.birth_date = citizen.birth_date
    if not person.sex:
        person.sex = citizen.sex
    elif person.sex != citizen.sex:
        warnings.append(_("填写的性别与身份证号推算的性别不一致，已按填写的性别保存，请核实。"))


def _clean(person: Person, warnings: list[str]) -> None:
    """Validate and normalise ``person`` in place; raise a field-keyed ValidationError."""
    errors: dict[str, list[str]] = {}
    person.name = (person.name or "").strip()
    if not person.name:
        errors.setdefault("name", []).append(_("请填写姓名。"))
    if person.citizen_id:
        _clean_citizen_id(person, errors, warnings)
    if not person.sex:
        errors.setdefault("sex", []).append(_("请选择性别。"))
    if person.phone:
        try:
            person.phone = normalise_phone(person.phone)
        except ValidationError as problem:
            errors.setdefault("phone", []).extend(problem.messages)
    if errors:
        raise ValidationError(errors)
    _derived(person)


def _refuse_duplicate_id(actor: Any, person: Person) -> None:
    if person.citizen_id:
        _refuse_registered(
            actor, blind_index_candidates(person.citizen_id, "citizen_id"), exclude_pk=person.pk
        )


def _refuse_registered(actor: Any, indexes: Sequence[str], *, exclude_pk: Any = None) -> None:
    """Refuse a citizen ID whose blind index (one of ``indexes``) a person has already."""
    existing = (
        Person.objects.filter(citizen_id_index__in=indexes)
        .exclude(pk=exclude_pk)
        .select_related("org")
        .first()
    )
    if existing is None:
        return
    visible = actor is None or actor.has_action("people.view", existing.org)
    if visible:
        message = _("身份证号 %(masked)s 已登记在“%(org)s”的人员档案中，请勿重复登记。") % {
            "masked": mask_citizen_id(existing.citizen_id),
            "org": existing.org.name,
        }
    else:
        message = _("该身份证号已登记在其他组织的人员档案中，请联系上级妇联核实。")
    raise ValidationError({"citizen_id": [message]}, code="duplicate")


def _refuse_any_registered(actor: Any, indexes: Sequence[str]) -> None:
    """``_refuse_registered`` for many IDs' indexes, in look-ups of a bounded size."""
    for start in range(0, len(indexes), 2000):
        # No ordering: ``first()`` would order by pk, and SQLite then walks the whole table.
        taken = list(
            Person.objects.filter(citizen_id_index__in=indexes[start : start + 2000])
            .order_by()
            .values_list("citizen_id_index", flat=True)[:1]
        )
        if taken:
            _refuse_registered(actor, taken)


def probable_duplicates(person: Person, *, viewer: Any) -> list[Person]:
    """Current persons with the same name and (birth date or phone), visible to ``viewer``.

    Shielded persons are neither looked for nor offered: their names are not stored in clear,
    and offering one as a duplicate would tell a clerk that she exists.
    """
    if person.is_shielded:
        return []
    same_name = (
        Person.objects.current().filter(name=person.name, is_shielded=False).exclude(pk=person.pk)
    )
    if viewer is not None:
        same_name = same_name.visible_to(viewer, "people.view")
    condition = models.Q(pk__in=[])
    if person.birth_date:
        condition |= models.Q(birth_date=person.birth_date)
    if person.phone:
        condition |= models.Q(phone_index__in=blind_index_candidates(person.phone, "phone"))
    return list(same_name.filter(condition).select_related("org")[:10])


def _save(actor: Any, person: Person, warnings: list[str]) -> PersonSaveResult:
    _refuse_duplicate_id(actor, person)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as clash:  # two clerks registering the same ID at the same moment
        raise ValidationError(
            {"citizen_id": [_("该身份证号刚刚已被登记，请刷新后核实。")]}
        ) from clash
    duplicates = probable_duplicates(person, viewer=actor)
    if duplicates:
        warnings.append(
            _("有 %(count)d 条记录姓名相同且出生日期或电话相同，可能重复，请核实是否合并。")
            % {"count": len(duplicates)}
        )
    return PersonSaveResult(person=person, warnings=warnings, probable_duplicates=duplicates)


@transaction.atomic
def person_create(
    *, actor: Any, org: Any, categories: list[Category] | None = None, **values: Any
) -> PersonSaveResult:
    """Register a person in ``org``; refuses a citizen ID already registered."""
    _require(actor, "people.change", org)
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_create() got unexpected fields {sorted(unknown)}")
    person = Person(org=org, **{key: value or _blank_of(key) for key, value in values.items()})
    warnings: list[str] = []
    _clean(person, warnings)
    result = _save(actor, person, warnings)
    if categories:
        person.categories.set(categories)
    return result


@dataclass(frozen=True)
class PersonDraft:
    """One person to register with ``person_create_many``: what ``person_create`` takes."""

    org: Any
    values: dict[str, Any]
    categories: tuple[Category, ...] = ()


@transaction.atomic
def person_create_many(*, actor: Any, drafts: Sequence[PersonDraft]) -> list[Person]:
    """Register many persons at once (roster imports): the checks of ``person_create`` with one
    duplicate query, bulk inserts and one audit append for the lot.

    All or none: a ValidationError (keyed by field, like ``person_create``'s) refuses the whole
    batch; a caller that wants the good ones registers the batch's persons one by one. Probable
    duplicates (same name and birth date or phone) are not looked for here.
    """
    persons = _persons_checked(actor, drafts)
    keys = persons_insert_prepared(actor=actor, prepared=_prepared(actor, persons, drafts))
    for person, key in zip(persons, keys, strict=True):
        person.pk = key
        person._state.adding = False
        person._state.db = router.db_for_write(Person)
        # what the audit's update receiver compares a later save of this instance with
        person._audit_loaded = loaded_values(person)
    return persons


@dataclass(frozen=True)
class PreparedPersons:
    """Persons checked and ready to insert, as plain data: ``persons_prepare`` makes them
    without writing (a helper process may), ``persons_insert_prepared`` writes them."""

    orgs: list[Any]
    #: the values of ``insert_fields(Person)``, ready for the database
    rows: list[list[Any]]
    #: each person's citizen ID blind indexes (one per key of the keyring; none without an ID)
    citizen_id_indexes: list[tuple[str, ...]]
    category_ids: list[tuple[int, ...]]
    #: each person's audit entry, but for the key the insert gives
    audit_entries: list[dict[str, Any]]


def persons_prepare(*, actor: Any, drafts: Sequence[PersonDraft]) -> PreparedPersons:
    """The checks of ``person_create_many`` that need no database, and the rows it writes:
    a ValidationError refuses the batch."""
    persons = _persons_checked(actor, drafts)
    return _prepared(actor, persons, drafts)


@transaction.atomic
def persons_insert_prepared(*, actor: Any, prepared: PreparedPersons) -> list[Any]:
    """Register persons ``persons_prepare`` made ready (refusing IDs registered since); their
    keys, in order."""
    for org in prepared.orgs:
        _require(actor, "people.change", org)
    # The index under the current key is unique: the insert refuses those IDs itself (named
    # afterwards), and a look-up before it would cost a tenth of a large import. Only the
    # indexes under older keys, while a rotation is pending, are looked for first.
    _refuse_any_registered(
        actor, [index for indexes in prepared.citizen_id_indexes for index in indexes[1:]]
    )
    try:
        with transaction.atomic():
            keys = insert_prepared(Person, prepared.rows)
    except IntegrityError as clash:
        _refuse_any_registered(
            actor, [indexes[0] for indexes in prepared.citizen_id_indexes if indexes]
        )
        # what the look-up could not name: the other registration gone again meanwhile
        raise ValidationError(
            {"citizen_id": [_("该身份证号刚刚已被登记，请刷新后核实。")]}
        ) from clash
    through = Person.categories.through
    through.objects.bulk_create(
        [
            through(person_id=key, category_id=category_id)
            for key, category_ids in zip(keys, prepared.category_ids, strict=True)
            for category_id in category_ids
        ],
        batch_size=1000,
    )
    created_entries_log(prepared.audit_entries, keys)
    return keys


def _persons_checked(actor: Any, drafts: Sequence[PersonDraft]) -> list[Person]:
    """The drafts as new, cleaned persons; refuses an ID twice in the batch."""
    for org in {draft.org.pk: draft.org for draft in drafts}.values():
        _require(actor, "people.change", org)
    persons: list[Person] = []
    allowed = frozenset(PERSON_FIELDS)
    seen: set[str] = set()
    for draft in drafts:
        unknown = draft.values.keys() - allowed
        if unknown:
            raise TypeError(f"person_create_many() got unexpected fields {sorted(unknown)}")
        person = _new_person(draft.org, draft.values)
        _clean(person, [])
        if person.citizen_id:
            if person.citizen_id in seen:
                raise ValidationError(
                    {"citizen_id": [_("同一批中有两人身份证号相同，请核实后重新提交。")]},
                    code="duplicate",
                )
            seen.add(person.citizen_id)
        persons.append(person)
    return persons


def _prepared(actor: Any, persons: list[Person], drafts: Sequence[PersonDraft]) -> PreparedPersons:
    rows = prepared_rows(Person, persons)  # sets the blind indexes and timestamps on each
    return PreparedPersons(
        orgs=list({draft.org.pk: draft.org for draft in drafts}.values()),
        rows=rows,
        citizen_id_indexes=[
            tuple(blind_index_candidates(person.citizen_id, "citizen_id"))
            if person.citizen_id
            else ()
            for person in persons
        ],
        category_ids=[tuple(category.pk for category in draft.categories) for draft in drafts],
        audit_entries=created_entries(persons, actor=actor),
    )


@functools.cache
def _person_layout() -> tuple[list[Any], dict[str, int]]:
    """Every column's default, in the model's order, and each field's position."""
    fields = Person._meta.concrete_fields
    assert not any(  # noqa: S101  (a shared default must not be a fresh object per person)
        field.has_default() and callable(field.default) for field in fields
    )
    return [field.get_default() for field in fields], {
        field.attname: position for position, field in enumerate(fields)
    }


def _new_person(org: Any, values: dict[str, Any]) -> Person:
    """``Person(org=org, **values)`` with blanks for empty values, built positionally: the
    keyword path of ``Model.__init__`` costs twice as much (bulk imports)."""
    defaults, position = _person_layout()
    row = defaults.copy()
    row[position["org_id"]] = org.pk
    for key, value in values.items():
        row[position[key]] = value or _blank_of(key)
    person = Person(*row)
    Person.org.field.set_cached_value(person, org)
    return person


def _blank_of(field_name: str) -> Any:
    return None if field_name == "birth_date" else ""


@transaction.atomic
def person_update(
    *,
    actor: Any,
    person: Person,
    org: Any = None,
    categories: list[Category] | None = None,
    **values: Any,
) -> PersonSaveResult:
    """Change a person's data (and organisation, when the actor may act in both)."""
    _require(actor, "people.change", person.org)
    if person.merged_into_id is not None:
        raise ValidationError(_("该记录已合并到其他人员档案，不能再修改。"))
    if org is not None and org.pk != person.org_id:
        _require(actor, "people.change", org)
        person.org = org
    for key, value in values.items():
        if key not in PERSON_FIELDS:
            raise TypeError(f"person_update() got unexpected field {key!r}")
        if key == "name" and person.is_shielded:
            _rename_shielded(person, value)
            continue
        setattr(person, key, value or _blank_of(key))
    warnings: list[str] = []
    _clean(person, warnings)
    result = _save(actor, person, warnings)
    if categories is not None:
        person.categories.set(categories)
    return result


def _rename_shielded(person: Person, name: str | None) -> None:
    # Forms show a shielded person's stored placeholder; leaving it untouched changes nothing.
    name = (name or "").strip()
    if name and name != SHIELDED_NAME_STORED:
        person.shielded_name = name


def _relations_to_person() -> list[Any]:
    # Hidden ones included (a DV case's victim has related_name="+"); the rows of automatic
    # many-to-many tables move with their many-to-many relation instead.
    return [
        relation
        for relation in Person._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and relation.related_model is not None
        and not relation.related_model._meta.auto_created
    ]


def _move_references(keep: Person, merge: Person) -> None:
    """Point every relation at ``merge`` to ``keep``, whichever module declared it."""
    for relation in _relations_to_person():
        if relation.many_to_many:
            # Through the owning model, not the reverse accessor: a hidden relation
            # (related_name="+") has none.
            owners = relation.related_model._base_manager.filter(**{relation.field.name: merge})
            for owner in list(owners):
                related_manager = getattr(owner, relation.field.name)
                related_manager.remove(merge)
                related_manager.add(keep)
            continue
        model = relation.related_model
        field_name = relation.field.name
        rows = model._base_manager.filter(**{field_name: merge})
        for row in list(rows):
            if (
                isinstance(row, HouseholdMember)
                and HouseholdMember.objects.filter(
                    household_id=row.household_id, person=keep
                ).exists()
            ):
                row.delete()  # keep is already a member of that household
                continue
            setattr(row, field_name, keep)
            row.save(update_fields=[field_name])


@transaction.atomic
def person_merge(*, actor: Any, keep: Person, merge: Person) -> Person:
    """Merge the duplicate ``merge`` into ``keep``: references move, ``merge`` stays as a stub."""
    _require(actor, "people.change", keep.org)
    _require(actor, "people.change", merge.org)
    if keep.pk == merge.pk:
        raise ValidationError(_("不能将人员与自身合并。"))
    if keep.merged_into_id is not None or merge.merged_into_id is not None:
        raise ValidationError(_("其中一条记录已被合并，请刷新后重试。"))
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    merge = Person.objects.select_for_update().get(pk=merge.pk)
    if keep.citizen_id and merge.citizen_id and keep.citizen_id != merge.citizen_id:
        raise ValidationError(_("两条记录的身份证号不同，不是同一人，不能合并。"))
    _move_references(keep, merge)
    keep.categories.add(*merge.categories.all())
    fills = {name: getattr(merge, name) for name in _MERGE_FILLABLE if not getattr(keep, name)}
    fills = {name: value for name, value in fills.items() if value}
    if "citizen_id" in fills:
        # The ID is unique: it leaves the merged record before the kept one takes it.
        merge.citizen_id = ""
        merge.save(update_fields=["citizen_id", "citizen_id_index"])
    for name, value in fills.items():
        setattr(keep, name, value)
    if merge.is_shielded and not keep.is_shielded:
        # Whoever needed protection under one record needs it under the other.
        keep.shielded_name, keep.name = keep.name, SHIELDED_NAME_STORED
        keep.is_shielded = True
        keep.shield_reason = merge.shield_reason
        keep.shielded_by_id = merge.shielded_by_id
        keep.shielded_at = merge.shielded_at
    _derived(keep)
    keep.save()
    merge.merged_into = keep
    merge.save(update_fields=["merged_into", "updated_at"])
    return keep


@transaction.atomic
def person_shield(
    *, actor: Any, person: Person, reason: str, module_action: str = "people.shield"
) -> Person:
    """Shield ``person``: her name, photo and address disappear from every list and page.

    A module (DV casework, child protection) passes its own action, which the actor must hold
    over the person's organisation, instead of ``people.shield``.
    """
    _require(actor, module_action, person.org)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写保护原因。")]})
    if not person.is_shielded:
        person.shielded_name = person.name
        person.name = SHIELDED_NAME_STORED
        person.name_pinyin_initials = ""
    person.is_shielded = True
    person.shield_reason = reason[:200]
    person.shielded_by = actor
    person.shielded_at = timezone.now()
    person.save()
    return person


@transaction.atomic
def person_unshield(*, actor: Any, person: Person) -> Person:
    """Lift the shield of ``person`` (people.shield only)."""
    _require(actor, "people.shield", person.org)
    if person.is_shielded:
        person.name = person.shielded_name or person.name
        person.shielded_name = ""
        person.name_pinyin_initials = pinyin_initials(person.name)
    person.is_shielded = False
    person.shield_reason = ""
    person.shielded_by = None
    person.shielded_at = None
    person.save()
    return person


# --- consent -------------------------------------------------------------------------------


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


@transaction.atomic
def consent_record(
    *,
    actor: Any,
    person: Person,
    purpose: str,
    legal_basis: str,
    version: str = "",
    given_at: datetime.datetime | None = None,
    channel: str = "",
    guardian: Person | None = None,
) -> Consent:
    """Record the legal basis (and consent) of one processing purpose for ``person``."""
    _require(actor, "people.change", person.org)
    errors: dict[str, list[str]] = {}
    if not purpose.strip():
        errors["purpose"] = [_("请填写处理目的。")]
    if legal_basis not in LegalBasis.values:
        errors["legal_basis"] = [_("请选择法律依据。")]
    needs_consent = legal_basis in (LegalBasis.CONSENT, LegalBasis.SEPARATE_CONSENT)
    if needs_consent:
        if not version.strip():
            errors["version"] = [_("基于同意处理时须填写告知同意书版本。")]
        if not channel:
            errors["channel"] = [_("基于同意处理时须填写同意方式。")]
        given_at = given_at or timezone.now()
        child_age = int(policy_value("pipl.child_consent_age"))
        if person.birth_date and age_on(person.birth_date, given_at.date()) < child_age:
            if guardian is None:
                errors["guardian"] = [
                    _("%(name)s未满 %(age)d 周岁，须由监护人同意。")
                    % {"name": _("该人员"), "age": child_age}
                ]
            elif guardian.pk == person.pk or (
                guardian.birth_date and age_on(guardian.birth_date, given_at.date()) < 18
            ):
                errors["guardian"] = [_("监护人须为成年人，且不能是本人。")]
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        person=person,
        purpose=purpose.strip(),
        legal_basis=legal_basis,
        version=version.strip(),
        given_at=given_at if needs_consent else None,
        channel=channel if needs_consent else "",
        guardian=guardian if needs_consent else None,
    )
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: Consent) -> Consent:
    """Record the withdrawal of a consent; a statutory duty cannot be withdrawn."""
    _require(actor, "people.change", consent.person.org)
    if consent.legal_basis == LegalBasis.STATUTORY_DUTY:
        raise ValidationError(_("依法履职的处理不以同意为前提，不能撤回。"))
    if consent.withdrawn_at is not None:
        raise ValidationError(_("该同意已于 %(when)s 撤回。") % {"when": consent.withdrawn_at})
    consent.withdrawn_at = timezone.now()
    consent.save()
    return consent


# --- households ----------------------------------------------------------------------------


@transaction.atomic
def household_create(
    *, actor: Any, org: Any, address: str = "", head: Person | None = None
) -> Household:
    """Open a household file in ``org``; its head, if given, becomes its first member."""
    _require(actor, "people.change", org)
    household = Household(org=org, address=address.strip(), head=head)
    household.save()
    if head is not None:
        HouseholdMember(household=household, person=head, relationship=Relationship.HEAD).save()
    return household


@transaction.atomic
def household_member_add(
    *, actor: Any, household: Household, person: Person, relationship: str
) -> HouseholdMember:
    """Add ``person`` to ``household`` with her relationship to the head."""
    _require(actor, "people.change", household.org)
    if relationship not in Relationship.values:
        raise ValidationError({"relationship": [_("请选择与户主关系。")]})
    if HouseholdMember.objects.filter(household=household, person=person).exists():
        raise ValidationError({"person": [_("此人已是该家庭户的成员。")]})
    member = HouseholdMember(household=household, person=person, relationship=relationship)
    member.save()
    if relationship == Relationship.HEAD and household.head_id != person.pk:
        household.head = person
        household.save()
    return member


@transaction.atomic
def household_member_remove(*, actor: Any, member: HouseholdMember) -> None:
    """Remove a member from her household (the head is removed by naming a new head first)."""
    household = member.household
    _require(actor, "people.change", household.org)
    if household.head_id == member.person_id:
        raise ValidationError(_("不能移除户主，请先指定新的户主。"))
    member.delete()
