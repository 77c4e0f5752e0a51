"""Importing organisation units from spreadsheets (the first user of core.imports).

Two rosters:

* ``orgs.orgunit`` — any unit with its parent's code and its kind, as typed by staff;
* ``orgs.area_code`` — the official village-level code list (统计用区划和城乡划分代码): a 12-digit
  code, the name and the urban–rural class (城乡分类代码). The kind and the parent come from the
  code: ``PPCCDD TTT VVV`` is a community when ``VVV`` ≠ 000 (parent ``PPCCDDTTT000``), a street
  when only ``VVV`` = 000 (parent ``PPCCDD000000``), a district when ``TTTVVV`` = 000000.
  A row whose code and name exist already is skipped (re-importing a list changes nothing); a
  row whose code exists under another name is a rename: the unit keeps its row, its records and
  its code, the old name is closed the day before the row's 启用日期 (today when empty) and kept
  in ``OrgUnitNameChange``. A merger in the official list shows as a code that disappears: the
  importer does not close units by absence; staff merge them in the workbench
  (``orgunit_merge``), which keeps ``valid_to``.
"""

import itertools
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warmhome.core.imports.spec import (
    Column,
    ImportSpec,
    RowContext,
    digits_parser,
    parse_date,
    register_spec,
)
from warmhome.orgs.models import ALLOWED_CHILDREN, OrgKind, OrgUnit, UrbanRuralClass
from warmhome.orgs.services import orgunit_classify, orgunit_create, orgunit_rename

ORGUNIT_IMPORT = "orgs.orgunit"
AREA_CODE_IMPORT = "orgs.area_code"
PERMISSION = "orgs.change"

#: kinds whose code is a 12-digit statistical area code (统计用区划代码)
AREA_KINDS = {OrgKind.CITY, OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY, OrgKind.GRID}
_CODE = re.compile(r"[0-9A-Za-z]{1,20}")


def parse_code(text: str) -> str:
    if not _CODE.fullmatch(text):
        raise ValidationError(
            _("统计代码只能由数字和字母组成，最多 20 位；“%(text)s”不符合。") % {"text": text}
        )
    return text


def _editable_unit(actor: Any, code: str) -> OrgUnit | None:
    return OrgUnit.objects.visible_to(actor, PERMISSION).filter(code=code).first()


def validate_orgunit_row(actor: Any, values: dict[str, Any], context: RowContext) -> None:
    code, kind, parent_code = values["code"], values["kind"], values["parent_code"]
    if OrgUnit.objects.filter(code=code).exists():
        return  # already there: the row will be skipped, whatever else it says
    if kind in AREA_KINDS and not re.fullmatch(r"\d{12}", code):
        raise ValidationError(
            {
                "code": _(
                    "%(kind)s的统计代码应为 12 位统计用区划代码，实际为“%(code)s”（%(n)d 位）。"
                )
                % {"kind": OrgKind(kind).label, "code": code, "n": len(code)}
            }
        )
    if parent_code is None:
        if kind not in {OrgKind.CITY, OrgKind.DISTRICT}:
            raise ValidationError(
                {"parent_code": _("只有市、区可以作为顶级组织，请填写上级组织统计代码。")}
            )
        raise ValidationError(
            {"parent_code": _("新建顶级组织（市、区）不能通过导入完成，请联系系统管理员。")}
        )
    parent_kind: str | None = None
    parent_name = parent_code
    parent_row = context.keys_in_file.get((parent_code,))
    if parent_row is not None:
        parent_kind = context.earlier[parent_row]["kind"]
        parent_name = context.earlier[parent_row]["name"]
    else:
        parent = _editable_unit(actor, parent_code)
        if parent is not None:
            parent_kind, parent_name = parent.kind, parent.name
    if parent_kind is None:
        raise ValidationError(
            {
                "parent_code": _(
                    "上级组织统计代码 %(code)s 不存在或不在您的管理范围内"
                    "（上级组织在本文件中时，须写在本行之前）。"
                )
                % {"code": parent_code}
            }
        )
    if kind not in ALLOWED_CHILDREN[parent_kind]:
        raise ValidationError(
            {
                "kind": _("“%(parent)s”（%(parent_kind)s）下不能设立%(kind)s。")
                % {
                    "parent": parent_name,
                    "parent_kind": OrgKind(parent_kind).label,
                    "kind": OrgKind(kind).label,
                }
            }
        )


def commit_orgunit_row(actor: Any, values: dict[str, Any]) -> OrgUnit:
    parent = _editable_unit(actor, values["parent_code"]) if values["parent_code"] else None
    if values["parent_code"] and parent is None:
        raise ValidationError(
            {
                "parent_code": _("上级组织统计代码 %(code)s 不存在或不在您的管理范围内。")
                % {"code": values["parent_code"]}
            }
        )
    return orgunit_create(
        actor=actor,
        parent=parent,
        kind=values["kind"],
        name=values["name"],
        code=values["code"],
        short_name=values["short_name"] or "",
        valid_from=values["valid_from"],
    )


ORGUNIT_SPEC = register_spec(
    ImportSpec(
        key=ORGUNIT_IMPORT,
        label=gettext_lazy("组织"),
        permission=PERMISSION,
        sheet_title=gettext_lazy("组织"),
        columns=(
            Column(
                "parent_code",
                gettext_lazy("上级组织统计代码"),
                parser=parse_code,
                note=gettext_lazy("已有组织或本文件中前面行的统计代码"),
                width=20,
            ),
            Column("name", gettext_lazy("名称"), required=True, max_length=100, width=28),
            Column(
                "kind",
                gettext_lazy("类型"),
                required=True,
                choices=OrgKind.choices,
                note=gettext_lazy("街道、社区、网格等"),
                width=14,
            ),
            Column(
                "code",
                gettext_lazy("统计代码"),
                required=True,
                parser=parse_code,
                note=gettext_lazy("街道、社区、网格填 12 位统计用区划代码；已存在的代码会跳过"),
                width=20,
            ),
            Column("short_name", gettext_lazy("简称"), max_length=50),
            Column(
                "valid_from",
                gettext_lazy("启用日期"),
                parser=parse_date,
                note=gettext_lazy("例如 2024-03-01"),
                width=14,
            ),
        ),
        natural_key=("code",),
        exists=lambda actor, key: OrgUnit.objects.filter(code=key[0]).exists(),
        existing_keys=lambda actor, keys: {
            (code,)
            for code in OrgUnit.objects.filter(code__in=[key[0] for key in keys]).values_list(
                "code", flat=True
            )
        },
        commit_row=commit_orgunit_row,
        validate_row=validate_orgunit_row,
    )
)


# --- the official village-level code list ----------------------------------------------------


def area_kind(code: str) -> str:
    """The kind of unit a 12-digit statistical area code names."""
    if code[9:] != "000":
        return OrgKind.COMMUNITY
    if code[6:9] != "000":
        return OrgKind.STREET
    if code[4:6] != "00":
        return OrgKind.DISTRICT
    return OrgKind.CITY


def area_parent_code(code: str) -> str:
    """The code of the unit one level up (``""`` for a city)."""
    kind = area_kind(code)
    if kind == OrgKind.COMMUNITY:
        return code[:9] + "000"
    if kind == OrgKind.STREET:
        return code[:6] + "000000"
    if kind == OrgKind.DISTRICT:
        return code[:4] + "00000000"
    return ""


def _codes_in_file(context: RowContext) -> dict[str, int]:
    """Code → row number of the valid rows so far (kept on the context, caught up in order)."""
    seen: dict[str, int] = context.__dict__.setdefault("_area_codes", {})
    synced: int = context.__dict__.get("_area_synced", 0)
    if len(context.earlier) > synced:
        for row_number, values in itertools.islice(context.earlier.items(), synced, None):
            seen[values["code"]] = row_number
        context.__dict__["_area_synced"] = len(context.earlier)
    return seen


def validate_area_row(actor: Any, values: dict[str, Any], context: RowContext) -> None:
    code, name = values["code"], values["name"]
    seen = _codes_in_file(context)
    if code in seen:
        raise ValidationError(
            {
                "code": _("统计代码 %(code)s 与第 %(row)d 行重复（同一文件中不能出现两次）。")
                % {"code": code, "row": seen[code]}
            }
        )
    existing = OrgUnit.objects.filter(code=code).first()
    if existing is not None:
        if existing.name != name and _editable_unit(actor, code) is None:
            raise ValidationError(
                {
                    "code": _("统计代码 %(code)s 的组织不在您的管理范围内，不能更名。")
                    % {"code": code}
                }
            )
        return
    kind = area_kind(code)
    parent_code = area_parent_code(code)
    parent_kind: str | None = None
    parent_name = parent_code
    if parent_code in seen:
        parent_kind = area_kind(parent_code)
    elif parent_code:
        parent = _editable_unit(actor, parent_code)
        if parent is not None:
            parent_kind, parent_name = parent.kind, parent.name
    if parent_kind is None:
        raise ValidationError(
            {
                "code": _(
                    "按统计代码推算的上级组织 %(parent)s 不存在或不在您的管理范围内"
                    "（上级组织在本文件中时，须写在本行之前）。"
                )
                % {"parent": parent_code or "—"}
            }
        )
    if kind not in ALLOWED_CHILDREN[parent_kind]:
        raise ValidationError(
            {
                "code": _("“%(parent)s”（%(parent_kind)s）下不能设立%(kind)s。")
                % {
                    "parent": parent_name,
                    "parent_kind": OrgKind(parent_kind).label,
                    "kind": OrgKind(kind).label,
                }
            }
        )


def commit_area_row(actor: Any, values: dict[str, Any]) -> OrgUnit:
    code, name = values["code"], values["name"]
    urban_rural_class = values["urban_rural_class"] or ""
    existing = OrgUnit.objects.filter(code=code).first()
    if existing is not None:
        unit = orgunit_rename(
            actor=actor,
            unit=existing,
            name=name,
            on=values["valid_from"],
            source=_("统计用区划代码导入"),
        )
        if urban_rural_class:
            unit = orgunit_classify(actor=actor, unit=unit, urban_rural_class=urban_rural_class)
        return unit
    parent = _editable_unit(actor, area_parent_code(code))
    if parent is None:
        raise ValidationError(
            {
                "code": _("上级组织统计代码 %(code)s 不存在或不在您的管理范围内。")
                % {"code": area_parent_code(code)}
            }
        )
    return orgunit_create(
        actor=actor,
        parent=parent,
        kind=area_kind(code),
        name=name,
        code=code,
        valid_from=values["valid_from"],
        urban_rural_class=urban_rural_class,
    )


AREA_CODE_SPEC = register_spec(
    ImportSpec(
        key=AREA_CODE_IMPORT,
        label=gettext_lazy("统计用区划代码"),
        permission=PERMISSION,
        sheet_title=gettext_lazy("统计用区划代码"),
        columns=(
            Column(
                "code",
                gettext_lazy("统计用区划代码"),
                required=True,
                parser=digits_parser(12, gettext_lazy("统计用区划代码")),
                note=gettext_lazy("12 位；上级组织由代码推算，须已存在或写在本行之前"),
                width=20,
            ),
            Column("name", gettext_lazy("名称"), required=True, max_length=100, width=28),
            Column(
                "urban_rural_class",
                gettext_lazy("城乡分类代码"),
                choices=[(value, value) for value in UrbanRuralClass.values],
                note=gettext_lazy("111 主城区、112 城乡结合区、121 镇中心区、220 村庄等"),
                width=14,
            ),
            Column(
                "valid_from",
                gettext_lazy("启用日期"),
                parser=parse_date,
                note=gettext_lazy("新组织的启用日期；已有代码换了名称时为新名称的启用日期"),
                width=14,
            ),
        ),
        # Code and name: the same code under a new name is not a duplicate but a rename.
        natural_key=("code", "name"),
        exists=lambda actor, key: OrgUnit.objects.filter(code=key[0], name=key[1]).exists(),
        existing_keys=lambda actor, keys: (
            set(
                OrgUnit.objects.filter(code__in=[key[0] for key in keys]).values_list(
                    "code", "name"
                )
            )
            & set(keys)
        ),
        commit_row=commit_area_row,
        validate_row=validate_area_row,
    )
)

# The 两新 organisation roster lives in its own module; imported so that autodiscovery finds it.
from warmhome.orgs import importers_new_orgs  # noqa: E402, F401
