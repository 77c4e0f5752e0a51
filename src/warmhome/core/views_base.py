"""Base views that cannot forget scoping.

Every workbench view is either a ``Scoped*View`` (its queryset must come from
``visible_to(user, action)``) or declares itself exempt with a reason through ``scope_exempt``.
The scope-matrix test walks every URL and holds each view to one of the two.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import Http404, HttpRequest
from django.views.generic import DetailView, ListView

from warmhome.core.scoping import ScopedQuerySet, get_for_user, require_scoped

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])


def scope_exempt(reason: str) -> Callable[[ViewFunc], ViewFunc]:
    """Mark a view that shows no org-owned records of others (login, home, own profile)."""

    def mark(view: ViewFunc) -> ViewFunc:
        view.scope_exempt = reason  # type: ignore[attr-defined]
        return view

    return mark


class ScopedQuerysetMixin(LoginRequiredMixin):
    """``model`` records visible to the user for ``action``; anything else is refused.

    Override ``base_queryset`` to add ``select_related`` and the like, never ``get_queryset``.
    """

    model: Any
    action = "view"
    request: HttpRequest

    def base_queryset(self) -> models.QuerySet[Any]:
        return self.model._default_manager.all()

    def get_queryset(self) -> ScopedQuerySet[Any]:
        queryset = self.base_queryset()
        if not isinstance(queryset, ScopedQuerySet):
            raise ImproperlyConfigured(
                f"{self.model.__name__} has no scoped default manager (OrgScopedModel)."
            )
        return require_scoped(queryset.visible_to(self.request.user, self.action))


class ScopedListView(ScopedQuerysetMixin, ListView[Any]):
    paginate_by = 50


class ScopedDetailView(ScopedQuerysetMixin, DetailView[Any]):
    def get_object(self, queryset: models.QuerySet[Any] | None = None) -> models.Model:
        pk = self.kwargs.get(self.pk_url_kwarg)
        if pk is None:
            raise Http404
        return get_for_user(self.base_queryset(), self.request.user, pk, self.action)
