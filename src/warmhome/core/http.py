"""Typed requests for views that run only for a signed-in workbench user."""

from typing import Any, Protocol

from django.http import HttpRequest

from warmhome.core.scoping import PostHolder


class WorkbenchUser(PostHolder, Protocol):
    """What workbench views need of a user (implemented by ``accounts.User``)."""

    pk: Any

    def current_posts(self) -> Any: ...

    def has_action(self, action: str, org: Any = None) -> bool: ...


class AuthenticatedHttpRequest(HttpRequest):
    # Behind login_required the user is never anonymous; core cannot import accounts.User.
    user: WorkbenchUser  # type: ignore[assignment]
