"""Importing 两新 organisations from a spreadsheet, through core.imports.

A row names its community (statistical code or exact name, within the importer's scope) and
optionally a grid of that community (name or short name). The unified social credit code is the
natural key: a code already registered is skipped, so importing the same file twice changes
nothing; a code twice in one file, a bad check character, an unknown community or grid are row
errors.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warmhome.core.identifiers import validate_credit_code
from warmhome.core.imports.spec import Column, ImportSpec, RowContext, parse_int, register_spec
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.orgs.models_new_orgs import NewOrg, NewOrgKind, NewOrgSubkind
from warmhome.orgs.services_new_orgs import new_org_register

NEW_ORG_IMPORT = "orgs.new_org"
PERMISSION = "orgs.change"
_YES = {"是", "有", "y", "yes", "true", "1"}
_NO = {"否", "无", "没有", "n", "no", "false", "0"}


def parse_credit_code(text: str) -> str:
    return validate_credit_code(text).value


def parse_yes_no(text: str) -> bool:
    if text.strip().lower() in _YES:
        return True
    if text.strip().lower() in _NO:
        return False
    raise ValidationError(_("请填写“是”或“否”，实际为“%(text)s”。") % {"text": text})


def resolve_community(actor: Any, text: str) -> OrgUnit:
    """The active community named by code or name within the actor's scope for changes."""
    matches = Q(code=text) | Q(name=text)
    found = list(
        OrgUnit.objects.visible_to(actor, PERMISSION).filter(
            matches, kind=OrgKind.COMMUNITY, is_active=True
        )[:2]
    )
    if not found:
        if OrgUnit.objects.filter(matches, kind=OrgKind.COMMUNITY).exists():
            raise ValidationError(_("社区“%(text)s”不在您的管理范围内或已停用。") % {"text": text})
        raise ValidationError(
            _("社区“%(text)s”不存在，请填写统计代码或准确的名称。") % {"text": text}
        )
    if len(found) > 1:
        raise ValidationError(
            _("名称为“%(text)s”的社区不止一个，请改填统计代码。") % {"text": text}
        )
    return found[0]


def resolve_grid(community: OrgUnit, text: str) -> OrgUnit:
    grids = list(
        OrgUnit.objects.filter(
            Q(name=text) | Q(short_name=text),
            path__startswith=community.path,
            depth=community.depth + 1,
            kind=OrgKind.GRID,
            is_active=True,
        )[:2]
    )
    if len(grids) != 1:
        raise ValidationError(
            _("“%(community)s”下没有名为“%(text)s”的网格。")
            % {"community": community.name, "text": text}
        )
    return grids[0]


def _place(actor: Any, values: dict[str, Any], context: RowContext | None) -> OrgUnit:
    cache: dict[tuple[str, str], OrgUnit | ValidationError] = (
        vars(context).setdefault("new_org_places", {}) if context is not None else {}
    )
    key = (values["community"], values["grid"] or "")
    if key not in cache:
        try:
            community = resolve_community(actor, values["community"])
        except ValidationError as problem:
            cache[key] = ValidationError({"community": problem.messages})
        else:
            try:
                cache[key] = (
                    resolve_grid(community, values["grid"]) if values["grid"] else community
                )
            except ValidationError as problem:
                cache[key] = ValidationError({"grid": problem.messages})
    place = cache[key]
    if isinstance(place, ValidationError):
        raise place
    return place


def validate_new_org_row(actor: Any, values: dict[str, Any], context: RowContext) -> None:
    values["place"] = _place(actor, values, context)
    employees = values["employees"] or 0
    female = values["female_employees"] or 0
    if female > employees:
        raise ValidationError({"female_employees": _("女职工数不能大于从业人员数。")})


def commit_new_org_row(actor: Any, values: dict[str, Any]) -> NewOrg:
    place = values.get("place") or _place(actor, values, None)
    return new_org_register(
        actor=actor,
        org=place,
        name=values["name"],
        credit_code=values["credit_code"],
        kind=values["kind"] or "",
        subkind=values["subkind"] or "",
        industry=values["industry"] or "",
        employees=values["employees"] or 0,
        female_employees=values["female_employees"] or 0,
        has_party_org=bool(values["has_party_org"]),
    )


def existing_credit_codes(actor: Any, keys: list[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    codes = NewOrg.objects.filter(credit_code__in=[key[0] for key in keys]).values_list(
        "credit_code", flat=True
    )
    return {(code,) for code in codes}


def _non_negative(text: str) -> int:
    number = parse_int(text)
    if number < 0:
        raise ValidationError(_("人数不能为负数。"))
    return number


NEW_ORG_SPEC = register_spec(
    ImportSpec(
        key=NEW_ORG_IMPORT,
        label=gettext_lazy("两新组织"),
        permission=PERMISSION,
        sheet_title=gettext_lazy("两新组织"),
        columns=(
            Column("name", gettext_lazy("名称"), required=True, max_length=200, width=30),
            Column(
                "credit_code",
                gettext_lazy("统一社会信用代码"),
                required=True,
                parser=parse_credit_code,
                note=gettext_lazy("18 位；已登记的代码会跳过"),
                width=22,
            ),
            Column(
                "community",
                gettext_lazy("所属社区"),
                required=True,
                max_length=100,
                note=gettext_lazy("统计代码或名称，须在您的管理范围内"),
                width=22,
            ),
            Column(
                "grid",
                gettext_lazy("所属网格"),
                max_length=100,
                note=gettext_lazy("该社区下网格的名称，可留空"),
                width=20,
            ),
            Column(
                "kind",
                gettext_lazy("类型"),
                choices=NewOrgKind.choices,
                note=gettext_lazy("留空时按统一社会信用代码推断"),
                width=14,
            ),
            Column("subkind", gettext_lazy("细分类型"), choices=NewOrgSubkind.choices, width=18),
            Column("industry", gettext_lazy("行业"), max_length=50, width=14),
            Column("employees", gettext_lazy("从业人员数"), parser=_non_negative, width=12),
            Column("female_employees", gettext_lazy("女职工数"), parser=_non_negative, width=10),
            Column(
                "has_party_org",
                gettext_lazy("已建党组织"),
                parser=parse_yes_no,
                note=gettext_lazy("是/否"),
                width=10,
            ),
        ),
        natural_key=("credit_code",),
        exists=lambda actor, key: NewOrg.objects.filter(credit_code=key[0]).exists(),
        existing_keys=existing_credit_codes,
        commit_row=commit_new_org_row,
        validate_row=validate_new_org_row,
    )
)
