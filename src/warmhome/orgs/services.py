"""Writing the organisation tree."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from warmhome.orgs.models import ALLOWED_CHILDREN, OrgKind, OrgUnit


@transaction.atomic
def orgunit_create(
    *,
    actor: Any,
    parent: OrgUnit | None,
    kind: str,
    name: str,
    code: str = "",
    short_name: str = "",
    valid_from: datetime.date | None = None,
) -> OrgUnit:
    """Add a unit under ``parent`` (or a root), checking that the kind may sit there."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写组织名称。")})
    if parent is None:
        if kind not in {OrgKind.CITY, OrgKind.DISTRICT}:
            raise ValidationError({"kind": _("只有市、区可以作为顶级组织。")})
    elif kind not in ALLOWED_CHILDREN[parent.kind]:
        raise ValidationError(
            {
                "kind": _("“%(parent)s”（%(parent_kind)s）下不能设立%(kind)s。")
                % {
                    "parent": parent.name,
                    "parent_kind": OrgKind(parent.kind).label,
                    "kind": OrgKind(kind).label,
                }
            }
        )
    if code and OrgUnit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("统计代码 %(code)s 已被其他组织使用。") % {"code": code}})
    fields = {
        "kind": kind,
        "name": name,
        "code": code,
        "short_name": short_name,
        "valid_from": valid_from,
    }
    if parent is None:
        return OrgUnit.objects.add_root(fields)
    # treebeard reads a stale parent; reload so that sibling numbering is right.
    return OrgUnit.objects.add_child(OrgUnit.objects.get(pk=parent.pk), fields)
