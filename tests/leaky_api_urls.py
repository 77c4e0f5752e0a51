"""A URLconf with a deliberately leaky writing API operation, for the scope-matrix self-check."""

from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI, Router, Schema

from warmhome.api.auth import api_auth
from warmhome.api.scoping import scoped
from warmhome.orgs.models import OrgUnit
from warmhome.urls import urlpatterns as project_urlpatterns

leaky_api = NinjaAPI(urls_namespace="leaky_api", auth=api_auth())
router = Router()


class RenameIn(Schema):
    short_name: str


@router.post("/units/{pk}/rename")
@scoped(OrgUnit, probe=lambda unit: {"short_name": "改名"})
def rename_unit(request: HttpRequest, pk: int, payload: RenameIn) -> dict[str, int]:
    # The mistake under test: fetched without visible_to, so any street's unit can be renamed.
    unit = OrgUnit.objects.get(pk=pk)
    return {"id": unit.pk}


@router.post("/units/{pk}/touch")
@scoped(OrgUnit)
def touch_unit(request: HttpRequest, pk: int) -> dict[str, int]:
    return {"id": pk}


leaky_api.add_router("/leaky/", router)

urlpatterns = [
    path("api/", leaky_api.urls),
    *[pattern for pattern in project_urlpatterns if str(pattern.pattern) != "api/"],
]
