"""API authentication: a personal bearer token, or the browser session (with CSRF).

The token is tried first: a request that carries ``Authorization: Bearer …`` is judged by its
token alone, so a bad token is refused (401, and a security event) even if a session cookie rides
along. Without one, the signed-in session is used; unsafe methods then need the CSRF token, as
the pages do.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from warmhome.accounts.tokens import api_token_authenticate, api_token_touch
from warmhome.api.errors import csrf_failed_message
from warmhome.core import request_context
from warmhome.core.audit.services import security_event_log


def _act_as(request: HttpRequest, user: Any) -> None:
    """Make ``user`` the actor of what this request writes to the audit trail.

    RequestContextMiddleware set the context before authentication (to the anonymous caller);
    it resets the variable when the request ends, which also drops this value.
    """
    client_ip = request_context.current().client_ip or request_context.client_ip_of(request)
    request_context.set_actor(user, client_ip)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer wh_…``: a personal API token (see 我的接口令牌)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        record = api_token_authenticate(value=token)
        if record is None:
            raise AuthenticationError
        user = record.user
        request.user = user
        _act_as(request, user)
        api_token_touch(token=record)
        return user


class SessionAuth(APIKeyCookie):
    """The workbench session; unsafe methods need the ``X-CSRFToken`` header."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            security_event_log(
                event="csrf_failed",
                actor=user,
                detail={"path": request.path, "method": request.method or ""},
            )
            raise HttpError(403, csrf_failed_message())
        return user

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return self(request)


def api_auth() -> list[Any]:
    """The authentication every operation needs unless it says otherwise."""
    return [TokenAuth(), SessionAuth()]
