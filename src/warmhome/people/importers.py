"""Importing persons from a spreadsheet (the person registry's roster, through core.imports).

Row errors never repeat an ID number or phone in clear: the identifier checks name the length,
the date, the check digit or one bad character, and duplicates are named by row number.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warmhome.core.crypto import blind_index_candidates
from warmhome.core.identifiers import normalise_mobile, validate_citizen_id
from warmhome.core.imports.spec import Column, ImportSpec, RowContext, register_spec
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.people.models import Category, Education, EmploymentStatus, MaritalStatus, Person
from warmhome.people.models import Sex as SexChoice
from warmhome.people.services import (
    PersonDraft,
    PreparedPersons,
    person_create,
    persons_insert_prepared,
    persons_prepare,
)

PERSON_IMPORT = "people.person"
PERMISSION = "people.change"
#: the organisations a person can belong to
PERSON_ORG_KINDS = (OrgKind.COMMUNITY, OrgKind.GRID)
_CATEGORY_SEPARATORS = re.compile(r"[、,，;；/\s]+")
#: the columns that are person fields (the others name the organisation and categories)
_PERSON_COLUMNS = (
    "name",
    "sex",
    "citizen_id",
    "ethnic_group",
    "phone",
    "residence_address",
    "registered_address",
    "education",
    "employment_status",
    "marital_status",
)


def parse_citizen_id(text: str) -> str:
    return validate_citizen_id(text).value


def parse_mobile(text: str) -> str:
    return normalise_mobile(text)


def parse_categories(text: str) -> tuple[str, ...]:
    """Category names separated by 、 or a comma (checked against the managed list per row)."""
    return tuple(dict.fromkeys(name for name in _CATEGORY_SEPARATORS.split(text) if name))


def check_categories(names: tuple[str, ...], active: dict[str, Category]) -> list[Category]:
    unknown = [name for name in names if name not in active]
    if unknown:
        raise ValidationError(
            _("人员类别“%(names)s”不存在，可选：%(options)s。")
            % {"names": "、".join(unknown), "options": "、".join(active)}
        )
    return [active[name] for name in names]


def _categories_note() -> str:
    names = Category.objects.filter(is_active=True).values_list("name", flat=True)
    return _("可填多个，用“、”或逗号分隔；可选：%(options)s") % {"options": "、".join(names)}


#: the managed list as it is when the template is downloaded
categories_note = lazy(_categories_note, str)


def resolve_org(actor: Any, text: str) -> OrgUnit:
    """The community or grid named by its statistical code or its name, within the actor's
    scope for changing persons; ValidationError with a Chinese message otherwise."""
    matches = Q(code=text) | Q(name=text)
    found = list(OrgUnit.objects.visible_to(actor, PERMISSION).filter(matches, is_active=True)[:3])
    if not found:
        if OrgUnit.objects.filter(matches).exists():
            raise ValidationError(
                _("“%(text)s”不在您的管理范围内，只能导入到您所管理的社区或网格。") % {"text": text}
            )
        raise ValidationError(
            _("社区或网格“%(text)s”不存在，请填写统计代码或准确的名称。") % {"text": text}
        )
    by_code = [unit for unit in found if unit.code == text]
    if len(by_code) == 1:
        found = by_code
    if len(found) > 1:
        raise ValidationError(
            _("名称为“%(text)s”的组织不止一个，请改填统计代码。") % {"text": text}
        )
    unit = found[0]
    if unit.kind not in PERSON_ORG_KINDS:
        raise ValidationError(
            _("“%(name)s”是%(kind)s，人员只能登记到社区或网格。")
            % {"name": unit.name, "kind": OrgKind(unit.kind).label}
        )
    return unit


def _run_cache(context: RowContext) -> dict[str, Any]:
    # A RowContext lives for one validation or commit run: organisations and categories are
    # looked up once per run instead of once per row.
    cache: dict[str, Any] = vars(context).setdefault("person_import_cache", {})
    if "categories" not in cache:
        cache["categories"] = {
            category.name: category for category in Category.objects.filter(is_active=True)
        }
        cache["orgs"] = {}
    return cache


def validate_person_row(actor: Any, values: dict[str, Any], context: RowContext) -> None:
    cache = _run_cache(context)
    orgs: dict[str, OrgUnit | ValidationError] = cache["orgs"]
    if values["org"] not in orgs:
        try:
            orgs[values["org"]] = resolve_org(actor, values["org"])
        except ValidationError as error:
            orgs[values["org"]] = error
    org = orgs[values["org"]]
    if isinstance(org, ValidationError):
        raise ValidationError({"org": org.messages})
    try:
        categories = check_categories(values["categories"] or (), cache["categories"])
    except ValidationError as error:
        raise ValidationError({"categories": error.messages}) from None
    # Carried to commit_person_row, which runs right after this check in the commit run.
    values["org_unit"] = org
    values["category_list"] = categories


def _draft_of(actor: Any, values: dict[str, Any]) -> PersonDraft:
    org = values.get("org_unit")
    if org is None:
        try:
            org = resolve_org(actor, values["org"])
        except ValidationError as error:
            raise ValidationError({"org": error.messages}) from None
    categories = values.get("category_list")
    if categories is None and values.get("categories"):
        categories = check_categories(
            values["categories"],
            {category.name: category for category in Category.objects.filter(is_active=True)},
        )
    return PersonDraft(
        org=org,
        categories=tuple(categories or ()),
        values={name: values[name] for name in _PERSON_COLUMNS},
    )


def commit_person_row(actor: Any, values: dict[str, Any]) -> Person:
    draft = _draft_of(actor, values)
    return person_create(
        actor=actor, org=draft.org, categories=list(draft.categories) or None, **draft.values
    ).person


def prepare_person_rows(actor: Any, rows: list[dict[str, Any]]) -> PreparedPersons:
    return persons_prepare(actor=actor, drafts=[_draft_of(actor, values) for values in rows])


def commit_prepared_persons(actor: Any, prepared: PreparedPersons) -> None:
    persons_insert_prepared(actor=actor, prepared=prepared)


def _indexes_of(keys: list[tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    return {
        index: key
        for key in keys
        if key[0]
        for index in blind_index_candidates(str(key[0]), "citizen_id")
    }


def existing_person_keys(actor: Any, keys: list[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    """Which citizen IDs are registered already, anywhere (one query per chunk)."""
    indexes = _indexes_of(keys)
    found = (
        Person.objects.filter(citizen_id_index__in=list(indexes))
        .order_by()
        .values_list("citizen_id_index", flat=True)
    )
    return {indexes[index] for index in found}


def person_exists(actor: Any, key: tuple[Any, ...]) -> bool:
    return bool(existing_person_keys(actor, [key]))


PERSON_SPEC = register_spec(
    ImportSpec(
        key=PERSON_IMPORT,
        label=gettext_lazy("人员"),
        permission=PERMISSION,
        sheet_title=gettext_lazy("人员"),
        columns=(
            Column("name", gettext_lazy("姓名"), required=True, max_length=50, width=12),
            Column(
                "sex",
                gettext_lazy("性别"),
                choices=SexChoice.choices,
                note=gettext_lazy("留空时按身份证号推算"),
                width=8,
            ),
            Column(
                "citizen_id",
                gettext_lazy("身份证号"),
                required=True,
                parser=parse_citizen_id,
                note=gettext_lazy("18 位，15 位旧号自动升位；已登记的身份证号会跳过"),
                width=22,
                sensitive=True,
            ),
            Column(
                "ethnic_group",
                gettext_lazy("民族"),
                max_length=20,
                note=gettext_lazy("例如 汉族"),
                width=10,
            ),
            Column(
                "phone",
                gettext_lazy("手机号"),
                parser=parse_mobile,
                note=gettext_lazy("11 位中国大陆手机号"),
                width=15,
                sensitive=True,
            ),
            Column(
                "residence_address",
                gettext_lazy("居住地址"),
                max_length=200,
                width=30,
                sensitive=True,
            ),
            Column(
                "registered_address",
                gettext_lazy("户籍地址"),
                max_length=200,
                width=30,
                sensitive=True,
            ),
            Column(
                "org",
                gettext_lazy("所属社区或网格"),
                required=True,
                max_length=100,
                note=gettext_lazy("统计代码或名称，须在您的管理范围内"),
                width=22,
            ),
            Column("education", gettext_lazy("文化程度"), choices=Education.choices, width=12),
            Column(
                "employment_status",
                gettext_lazy("就业状况"),
                choices=EmploymentStatus.choices,
                width=12,
            ),
            Column(
                "marital_status",
                gettext_lazy("婚姻状况"),
                choices=MaritalStatus.choices,
                width=12,
            ),
            Column(
                "categories",
                gettext_lazy("人员类别"),
                parser=parse_categories,
                note=categories_note(),
                width=24,
            ),
        ),
        natural_key=("citizen_id",),
        exists=person_exists,
        existing_keys=existing_person_keys,
        commit_row=commit_person_row,
        prepare_rows=prepare_person_rows,
        commit_prepared=commit_prepared_persons,
        validate_row=validate_person_row,
        rows_independent=True,
    )
)
