"""Organisation scoping, written once.

A user holds posts; each post grants its role's actions over one organisation's subtree. Every
read of an org-owned record goes through ``visible_to(user, action)``, which keeps only the rows
whose organisation path starts with the path of a post granting that action. Views, exports and
API endpoints refuse querysets that did not pass through it (see ``require_scoped``).
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, Self

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class PostHolder(Protocol):
    """What scoping needs of a user (implemented by ``accounts.User``)."""

    is_authenticated: bool
    is_active: bool

    def scope_paths(self, action: str) -> list[str]: ...


def minimal_prefixes(paths: Iterable[str]) -> list[str]:
    """Drop every path that lies inside another one of the set."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return kept


def paths_for(user: "PostHolder | AnonymousUser | None", action: str) -> list[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return minimal_prefixes(user.scope_paths(action))


class ScopedQuerySet[M: models.Model](models.QuerySet[M]):
    """A queryset that knows whether it has been scoped to a user.

    ``visible_to(user, "view")`` checks the action ``<prefix>.view``, where the prefix is the
    model's ``scope_action_prefix`` (default: its app label); a dotted action is used as given.
    """

    #: the lookup from this model to the organisation's materialized path
    org_path_lookup = "org__path"

    _warmhome_scoped: bool = False

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]  # Django's private hook, not in the stubs
        clone._warmhome_scoped = self._warmhome_scoped
        return clone

    def visible_to(self, user: Any, action: str = "view") -> Self:
        """Rows of the organisations where ``user`` holds a post granting ``action``."""
        prefix = getattr(self.model, "scope_action_prefix", self.model._meta.app_label)
        code = action if "." in action else f"{prefix}.{action}"
        prefixes = paths_for(user, code)
        if not prefixes:
            scoped = self.none()
        else:
            condition = Q()
            for prefix in prefixes:
                condition |= Q(**{f"{self.org_path_lookup}__startswith": prefix})
            scoped = self.filter(condition)
        scoped._warmhome_scoped = True
        return scoped

    @property
    def is_scoped(self) -> bool:
        return self._warmhome_scoped


def require_scoped[Q: models.QuerySet[Any]](queryset: Q) -> Q:
    """Refuse a queryset that did not pass through ``visible_to``."""
    if not getattr(queryset, "is_scoped", False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"{queryset.model.__name__} queryset is not scoped: call visible_to(user) first."
        )
    return queryset


def get_for_user[M: models.Model](
    queryset: "models.QuerySet[M]", user: Any, pk: Any, action: str = "view"
) -> M:
    """The record ``pk`` if ``user`` may ``action`` it; 404 alike when missing or hidden."""
    scoped = queryset.visible_to(user, action)  # type: ignore[attr-defined]
    try:
        return scoped.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as missing:
        if _exists(queryset, pk):
            from warmhome.core.audit.services import security_event_log

            security_event_log(
                event="access_denied",
                actor=user,
                detail={"model": queryset.model._meta.label, "pk": str(pk), "action": action},
            )
        raise Http404 from missing


def _exists(queryset: models.QuerySet[Any], pk: Any) -> bool:
    try:
        return queryset.model._base_manager.filter(pk=pk).exists()
    except (ValueError, TypeError):
        return False
