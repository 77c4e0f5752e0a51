"""Model fields for protected values: an encrypted text column and its blind-index companion.

Usage::

    class Person(OrgScopedModel):
        id_number = EncryptedTextField(_("身份证号"), blank=True)
        id_number_index = BlindIndexField(source="id_number", purpose="citizen_id", unique=True)

        audit_exclude = ("id_number", "id_number_index")

    Person.objects.filter(id_number_index=blind_index(value, "citizen_id"))

The Python value of an ``EncryptedTextField`` is the plaintext; the column holds the token of
``core.crypto.encrypt`` (a new random nonce on every save). ``None`` and ``""`` are stored as they
are. Such a field cannot be filtered (only ``__isnull``), ordered meaningfully, or indexed: look
values up through the blind index. ``BlindIndexField`` computes its value in ``pre_save`` from
its source field, so a ``save(update_fields=[...])`` that changes the source must name the index
too. On an ``AuditedModel`` both fields must be listed in ``audit_exclude`` (a system check
enforces it), or the plaintext would land in the audit trail.
"""

from typing import TYPE_CHECKING, Any

from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, ExpressionWrapper, F
from django.utils.translation import gettext_lazy as _

from warmhome.core import crypto

if TYPE_CHECKING:
    _TextField = models.TextField[Any, Any]
    _CharField = models.CharField[Any, Any]
else:
    _TextField = models.TextField
    _CharField = models.CharField


class EncryptedTextField(_TextField):
    """Text encrypted at rest (see ``core.crypto``); the Python value is the plaintext."""

    description = _("加密文本")

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> str | None:
        if not value:
            return value
        return crypto.decrypt(value)

    def to_python(self, value: Any) -> Any:
        # A token (from ``dumpdata``, which never writes plaintext) turns back into the plaintext.
        if isinstance(value, str) and crypto.token_info(value) is not None:
            try:
                return crypto.decrypt(value)
            except crypto.DecryptionError:
                return value
        return super().to_python(value)

    def get_db_prep_save(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        value = self.get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(str(value))

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return crypto.encrypt(str(value)) if value else ""

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self.model._meta.label}.{self.name} is encrypted and cannot be filtered with "
            f"'{lookup_name}' (only 'isnull'). Look it up through its BlindIndexField: "
            f"filter(<index field>=blind_index(value, purpose))."
        )

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(
            f"{self.model._meta.label}.{self.name} is encrypted: '{lookup_name}' cannot apply."
        )

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *_key_errors(self), *self._check_not_indexed()]

    def _check_not_indexed(self) -> list[checks.CheckMessage]:
        errors: list[checks.CheckMessage] = []
        if self.unique or getattr(self, "db_index", False) or self.primary_key:
            errors.append(
                checks.Error(
                    "An EncryptedTextField cannot be unique, indexed or a primary key: its "
                    "values are randomised.",
                    hint="Add a BlindIndexField(source=..., unique=True) instead.",
                    obj=self,
                    id="core.E301",
                )
            )
        errors.extend(_audit_exclusion_errors(self))
        return errors


class BlindIndexField(_CharField):
    """A keyed hash of another (encrypted) field, filled on save, for exact look-up."""

    description = _("检索索引")

    def __init__(self, *args: Any, source: str, purpose: str, **kwargs: Any) -> None:
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        if not kwargs.get("unique"):
            kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        value = getattr(model_instance, self.source)
        index = crypto.blind_index(str(value), self.purpose) if value else None
        setattr(model_instance, self.attname, index)
        return index

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = [*super().check(**kwargs), *_audit_exclusion_errors(self)]
        try:
            source = self.model._meta.get_field(self.source)
        except FieldDoesNotExist:
            source = None
        if not isinstance(source, EncryptedTextField):
            errors.append(
                checks.Error(
                    f"BlindIndexField source {self.source!r} is not an EncryptedTextField of "
                    f"{self.model._meta.label}.",
                    obj=self,
                    id="core.E302",
                )
            )
        return errors


def _audit_exclusion_errors(field: models.Field[Any, Any]) -> list[checks.CheckMessage]:
    from warmhome.core.models import AuditedModel

    model = field.model
    if issubclass(model, AuditedModel) and field.name not in model.audit_exclude:
        return [
            checks.Error(
                f"{model._meta.label}.{field.name} is protected but not in audit_exclude: the "
                "audit trail would record its value.",
                hint=f"Add {field.name!r} to {model.__name__}.audit_exclude.",
                obj=field,
                id="core.E303",
            )
        ]
    return []


def _key_errors(field: models.Field[Any, Any]) -> list[checks.CheckMessage]:
    return [
        checks.Error(problem, obj=field, id="core.E300") for problem in crypto.check_configuration()
    ]


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def blind_index_fields(model: type[models.Model]) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]


def stored_token(field_name: str) -> Expression:
    """The column as stored (the token, not decrypted), for annotations in maintenance code."""
    return ExpressionWrapper(F(field_name), output_field=models.TextField())
