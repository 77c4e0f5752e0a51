"""A throw-away API with unsafe operations, built like the project's (same auth, same errors).

The project has no writing endpoint yet; these show what one gets: CSRF with the session, none
with a token, and service errors turned into Chinese JSON.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI, Schema

from warmhome.api import errors
from warmhome.api.auth import api_auth

probe_api = NinjaAPI(auth=api_auth(), urls_namespace="probe_api", docs_url=None)
errors.install(probe_api)


class NameIn(Schema):
    name: str
    count: int


@probe_api.post("/echo")
def echo(request: HttpRequest, payload: NameIn) -> dict[str, str]:
    return {"who": request.user.get_username(), "name": payload.name}


@probe_api.post("/invalid")
def invalid(request: HttpRequest) -> None:
    raise ValidationError({"name": ["名称不能为空。"], "phone": ["手机号应为 11 位数字。"]})


@probe_api.post("/invalid-plain")
def invalid_plain(request: HttpRequest) -> None:
    raise ValidationError("救助金预算不足，不能发放。")


@probe_api.post("/forbidden")
def forbidden(request: HttpRequest) -> None:
    raise PermissionDenied("您没有审批救助申请的权限。")


@probe_api.get("/crash")
def crash(request: HttpRequest) -> None:
    raise RuntimeError("boom")


urlpatterns = [path("probe/", probe_api.urls)]
