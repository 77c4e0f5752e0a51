"""Importing organisation units from a spreadsheet (the first user of core.imports)."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warmhome.core.imports.spec import Column, ImportSpec, RowContext, parse_date, register_spec
from warmhome.orgs.models import ALLOWED_CHILDREN, OrgKind, OrgUnit
from warmhome.orgs.services import orgunit_create

ORGUNIT_IMPORT = "orgs.orgunit"
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
