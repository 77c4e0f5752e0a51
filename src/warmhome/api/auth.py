"""API authentication: the browser session (with CSRF) or a personal bearer token."""

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer


class SessionOrToken:
    """Accept a signed-in session or an ``Authorization: Bearer <token>`` header."""

    def __init__(self) -> None:
        self.session = _Session()
        self.bearer = _Bearer()

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization", "").startswith("Bearer "):
            return self.bearer(request)
        return self.session(request)


class _Session(APIKeyCookie):
    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


class _Bearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from warmhome.accounts.tokens import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user
