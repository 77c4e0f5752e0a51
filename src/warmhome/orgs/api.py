from django.http import HttpRequest
from ninja import Router, Schema

from warmhome.api.scoping import scoped
from warmhome.core.scoping import get_for_user
from warmhome.orgs.models import OrgUnit

router = Router()


class OrgUnitOut(Schema):
    id: int
    parent_id: int | None
    kind: str
    kind_label: str
    name: str
    code: str
    depth: int
    is_active: bool


def _out(unit: OrgUnit, parent_ids: dict[str, int]) -> OrgUnitOut:
    parent_path = unit.path[: -OrgUnit.steplen]
    return OrgUnitOut(
        id=unit.pk,
        parent_id=parent_ids.get(parent_path),
        kind=unit.kind,
        kind_label=str(unit.get_kind_display()),
        name=unit.name,
        code=unit.code,
        depth=unit.depth,
        is_active=unit.is_active,
    )


@router.get("/units", response=list[OrgUnitOut], summary="组织树（当前用户可见部分）")
@scoped(OrgUnit)
def list_units(request: HttpRequest) -> list[OrgUnitOut]:
    units = list(OrgUnit.objects.visible_to(request.user))
    # A parent outside the caller's scope is reported as none, not by its id.
    visible_ids = {unit.path: unit.pk for unit in units}
    return [_out(unit, visible_ids) for unit in units]


@router.get("/units/{pk}", response=OrgUnitOut, summary="单个组织")
@scoped(OrgUnit)
def get_unit(request: HttpRequest, pk: int) -> OrgUnitOut:
    unit = get_for_user(OrgUnit.objects.all(), request.user, pk)
    parent_path = unit.path[: -OrgUnit.steplen]
    parent = OrgUnit.objects.visible_to(request.user).filter(path=parent_path).first()
    return _out(unit, {parent_path: parent.pk} if parent else {})
