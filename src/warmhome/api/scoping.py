"""Marks on API operations, so that the scope-matrix test can hold each one to its scope.

Every operation is either ``@scoped(Model)`` (it reads ``Model`` only through ``visible_to``;
list operations return ``{"items": [...]}`` or a list, detail operations take ``{pk}``) or
``@scope_exempt(reason)``.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models

Operation = TypeVar("Operation", bound=Callable[..., Any])


def scoped(model: type[models.Model]) -> Callable[[Operation], Operation]:
    def mark(operation: Operation) -> Operation:
        operation.scoped_model = model  # type: ignore[attr-defined]
        return operation

    return mark


def scope_exempt(reason: str) -> Callable[[Operation], Operation]:
    def mark(operation: Operation) -> Operation:
        operation.scope_exempt = reason  # type: ignore[attr-defined]
        return operation

    return mark
