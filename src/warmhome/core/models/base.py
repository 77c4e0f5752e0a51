"""Abstract bases every domain model builds on."""

import copy
import functools
from typing import Any, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from warmhome.core.scoping import ScopedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


#: fields whose values are containers a caller can change in place
_CONTAINER_FIELD_TYPES = frozenset(("JSONField", "ArrayField", "HStoreField"))


@functools.cache
def _concrete_attnames(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


@functools.cache
def _container_attnames(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if field.get_internal_type() in _CONTAINER_FIELD_TYPES
    )


class AuditedModel(models.Model):
    """A model whose every create, update and delete lands in the audit trail.

    The values as loaded are remembered, so the audit receiver writes "before" without a second
    query. Fields listed in ``audit_exclude`` are recorded as changed but never with their value
    (password hashes, encrypted blobs).
    """

    audit_exclude: tuple[str, ...] = ()
    _audit_loaded: dict[str, Any]

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any, **kwargs: Any) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        attnames = _concrete_attnames(cls)
        if len(values) == len(attnames):
            # Every field loaded (the usual case): the row's values are the instance's, in the
            # order of the concrete fields (1.4 µs for 24 fields; reading each back, 6 µs).
            loaded = dict(zip(attnames, values, strict=True))
        else:
            present = instance.__dict__
            loaded = {name: present[name] for name in attnames if name in present}
        # Copied: a JSON list changed in place must still differ from what was loaded.
        for name in _container_attnames(cls):
            value = loaded.get(name)
            if isinstance(value, dict | list):
                loaded[name] = copy.deepcopy(value)
        instance._audit_loaded = loaded
        return instance


class OrgScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    pass


class OrgScopedModel(AuditedModel, TimeStampedModel):
    """A record owned by one organisation; readable only through ``visible_to(user)``."""

    org = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("所属组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = OrgScopedManager()

    class Meta:
        abstract = True
