"""Marks on API operations, so that the scope-matrix test can hold each one to its scope.

Every operation is either ``@scoped(Model)`` (it reads ``Model`` only through ``visible_to``;
list operations return ``{"items": [...]}`` or a list, detail operations take ``{pk}``) or
``@scope_exempt(reason)``. Put the mark below the router decorator.

``scope_exempt`` is the one of ``core.views_base`` (the same mark as on views), so that ``core``'s
own router can use it without importing upwards.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models

from warmhome.core.views_base import scope_exempt

Operation = TypeVar("Operation", bound=Callable[..., Any])

__all__ = ["scope_exempt", "scoped"]


ProbePayload = Callable[[models.Model], dict[str, Any]]


def scoped(
    model: type[models.Model], *, probe: ProbePayload | None = None
) -> Callable[[Operation], Operation]:
    """Mark an operation that reaches ``model`` only through ``visible_to``.

    A writing operation (POST, PUT, PATCH, DELETE) must also give ``probe``: a function that,
    for a record, returns a valid JSON body aimed at that record (for an operation without
    ``{pk}``, e.g. one that creates a record in an organisation, the body names the record's
    organisation). The scope matrix sends it for another street's record and expects 404.
    """

    def mark(operation: Operation) -> Operation:
        operation.scoped_model = model  # type: ignore[attr-defined]
        operation.scope_probe = probe  # type: ignore[attr-defined]
        return operation

    return mark
