"""``warmhome crypto rotate`` and ``warmhome crypto check``: field encryption keys.

rotate re-encrypts every ``EncryptedTextField`` of every model whose stored token is not under
the current key and algorithm, and recomputes the row's blind indexes. It works in batches of
primary keys, each batch in its own transaction with the rows locked (``select_for_update``), and
is idempotent: a second run finds nothing to do, and an interrupted run resumes where it stopped.

Rows are saved through ``Model.save(update_fields=[...])``, never ``queryset.update()``, so that
audited models keep passing through the audit receivers. Since protected fields are in
``audit_exclude`` (a system check enforces it), the receiver sees no change of value and writes
no per-row entry; each batch writes one security event ``field_key_rotation`` (model, number of
rows, key, algorithm — never values) in the same transaction as the batch.

Tokens also live inside JSON fields that a model names in ``encrypted_json_fields`` (the
personal columns of an import's row results): rotate re-encrypts those string values in place,
and check counts them like a field's.

check prints the key configuration (ids only) and, per protected field, how many values are under
the current key, under an older key, under a key no longer configured, or not encrypted at all.
With ``--verify`` it also decrypts every value. It exits 1 on anything that cannot be decrypted.
"""

import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from warmhome.core import crypto
from warmhome.core.audit.services import security_event_log
from warmhome.core.fields import blind_index_fields, encrypted_fields, stored_token

DEFAULT_BATCH_SIZE = 500


def protected_models() -> list[type[models.Model]]:
    """Every installed concrete model with at least one encrypted field."""
    return [
        model for model in apps.get_models() if not model._meta.proxy and encrypted_fields(model)
    ]


def token_json_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, JSON field) whose object values may be tokens (``encrypted_json_fields``)."""
    return [
        (model, name)
        for model in apps.get_models()
        for name in getattr(model, "encrypted_json_fields", ())
    ]


def _raw_name(field: models.Field[Any, Any]) -> str:
    return f"wh_stored_{field.attname}"


def _stale_rows(model: type[models.Model]) -> models.QuerySet[Any]:
    header = crypto.current_header()
    condition = Q()
    annotations = {}
    for field in encrypted_fields(model):
        raw = _raw_name(field)
        annotations[raw] = stored_token(field.attname)
        condition |= Q(**{f"{raw}__gt": ""}) & ~Q(**{f"{raw}__startswith": header})
    return model._base_manager.annotate(**annotations).filter(condition)


def rotate_model(model: type[models.Model], *, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Re-encrypt (and re-index) the rows of ``model`` not under the current key; returns count."""
    update_fields = [f.name for f in (*encrypted_fields(model), *blind_index_fields(model))]

    def rewrite(rows: models.QuerySet[Any]) -> int:
        count = 0
        for row in rows:
            row.save(update_fields=update_fields)
            count += 1
        return count

    return _rotate_in_batches(
        model, lambda: _stale_rows(model), rewrite, label=model._meta.label, batch_size=batch_size
    )


def _rotate_in_batches(
    model: type[models.Model],
    stale: Callable[[], models.QuerySet[Any]],
    rewrite: Callable[[models.QuerySet[Any]], int],
    *,
    label: str,
    batch_size: int,
) -> int:
    """Rewrite the rows ``stale()`` finds, a batch of keys at a time, each batch locked and in
    its own transaction with one security event; ``rewrite`` says how many rows it changed.
    Resumes after the last batch's keys, so a row left as it was is not met again."""
    ring = crypto.keyring()
    rotated = 0
    last_pk: Any = None
    while True:
        with transaction.atomic():
            candidates = stale()
            if last_pk is not None:
                candidates = candidates.filter(pk__gt=last_pk)
            pks = list(candidates.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not pks:
                return rotated
            changed = rewrite(
                model._base_manager.select_for_update().filter(pk__in=pks).order_by("pk")
            )
            if changed:
                security_event_log(
                    event="field_key_rotation",
                    outcome="success",
                    detail={
                        "model": label,
                        "rows": changed,
                        "key_id": ring.current_id,
                        "algorithm": ring.algorithm,
                    },
                )
        rotated += changed
        last_pk = pks[-1]


def _rows_with_tokens(model: type[models.Model], name: str) -> models.QuerySet[Any]:
    text = Cast(name, models.TextField())
    return model._base_manager.annotate(wh_json_text=text).filter(
        wh_json_text__contains=f"{crypto.FORMAT_VERSION}:"
    )


def _current_token(value: Any, header: str) -> Any:
    """``value`` re-encrypted under the current key if it is a token under another one."""
    if not isinstance(value, str) or value.startswith(header) or crypto.token_info(value) is None:
        return value
    try:
        return crypto.encrypt(crypto.decrypt(value))
    except crypto.DecryptionError:
        return value  # a key no longer configured, or text that merely looks like a token


def rotate_json_field(
    model: type[models.Model], name: str, *, batch_size: int = DEFAULT_BATCH_SIZE
) -> int:
    """Re-encrypt the tokens among the values of ``model.<name>`` (a JSON object) that are not
    under the current key; returns how many rows changed."""
    header = crypto.current_header()

    def rewrite(rows: models.QuerySet[Any]) -> int:
        changed = []
        for row in rows:
            content = getattr(row, name)
            if not isinstance(content, dict):
                continue
            renewed = {key: _current_token(value, header) for key, value in content.items()}
            if renewed != content:
                setattr(row, name, renewed)
                changed.append(row)
        model._base_manager.bulk_update(changed, [name])
        return len(changed)

    return _rotate_in_batches(
        model,
        lambda: _rows_with_tokens(model, name).exclude(wh_json_text__contains=header),
        rewrite,
        label=f"{model._meta.label}.{name}",
        batch_size=batch_size,
    )


@dataclass
class FieldReport:
    label: str
    current: int = 0
    older: int = 0
    unknown_key: int = 0
    not_encrypted: int = 0
    undecryptable: int = 0

    def add(
        self,
        token: str,
        info: crypto.TokenInfo,
        *,
        ring: crypto.Keyring,
        header: str,
        verify: bool,
    ) -> None:
        """Count ``token`` by the key it is under (and whether it decrypts, with ``verify``)."""
        if info.key_id not in ring.keys:
            self.unknown_key += 1
            return
        if token.startswith(header):
            self.current += 1
        else:
            self.older += 1
        if verify:
            try:
                crypto.decrypt(token)
            except crypto.DecryptionError:
                self.undecryptable += 1


def inspect_field(
    model: type[models.Model], field: models.Field[Any, Any], *, verify: bool
) -> FieldReport:
    """Count the stored values of ``field`` by the key they are under (no plaintext is read)."""
    ring = crypto.keyring()
    header = crypto.current_header()
    report = FieldReport(label=f"{model._meta.label}.{field.name}")
    tokens = (
        model._base_manager.annotate(wh_stored_token=stored_token(field.attname))
        .filter(wh_stored_token__gt="")
        .values_list("wh_stored_token", flat=True)
    )
    for token in tokens.iterator(chunk_size=2000):
        info = crypto.token_info(token)
        if info is None:
            report.not_encrypted += 1
            continue
        report.add(token, info, ring=ring, header=header, verify=verify)
    return report


def inspect_json_field(model: type[models.Model], name: str, *, verify: bool) -> FieldReport:
    """``inspect_field`` for the tokens among the values of a JSON object field."""
    ring = crypto.keyring()
    header = crypto.current_header()
    report = FieldReport(label=f"{model._meta.label}.{name}")
    for content in _rows_with_tokens(model, name).values_list(name, flat=True).iterator(2000):
        values = content.values() if isinstance(content, dict) else ()
        for token in values:
            info = crypto.token_info(token) if isinstance(token, str) else None
            if info is None:
                continue
            report.add(token, info, ring=ring, header=header, verify=verify)
    return report


class Command(BaseCommand):
    help = (
        "字段加密密钥：rotate 将所有加密字段重新加密到当前密钥并重算检索索引（分批、可重复执行）；"
        "check 报告各字段所用密钥，--verify 逐条解密校验。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        rotate = commands.add_parser("rotate", help="用当前密钥重新加密并重算检索索引。")
        rotate.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        check = commands.add_parser("check", help="检查密钥配置和各加密字段所用的密钥。")
        check.add_argument("--verify", action="store_true", help="逐条解密，确认可以读取。")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = crypto.check_configuration()
        if problems:
            raise CommandError(_("字段加密密钥配置有误：%(problem)s") % {"problem": problems[0]})
        if options["subcommand"] == "rotate":
            self._rotate(options["batch_size"])
        else:
            self._check(verify=options["verify"])

    def _rotate(self, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError(_("批量大小须为正整数。"))
        ring = crypto.keyring()
        total = 0
        for model in protected_models():
            count = rotate_model(model, batch_size=batch_size)
            total += count
            self.stdout.write(
                _("%(model)s：重新加密 %(count)d 条。")
                % {"model": model._meta.label, "count": count}
            )
        for model, name in token_json_fields():
            count = rotate_json_field(model, name, batch_size=batch_size)
            total += count
            self.stdout.write(
                _("%(model)s：重新加密 %(count)d 条。")
                % {"model": f"{model._meta.label}.{name}", "count": count}
            )
        self.stdout.write(
            "OK: "
            + _("共重新加密 %(total)d 条，当前密钥 %(key)s（%(algorithm)s）。")
            % {"total": total, "key": ring.current_id, "algorithm": ring.algorithm}
        )

    def _check(self, *, verify: bool) -> None:
        ring = crypto.keyring()
        self.stdout.write(
            _("算法 %(algorithm)s；当前密钥 %(current)s；已配置密钥 %(keys)s。")
            % {
                "algorithm": ring.algorithm,
                "current": ring.current_id,
                "keys": ", ".join(ring.keys),
            }
        )
        totals: Counter[str] = Counter()
        reports = [
            *(
                inspect_field(model, field, verify=verify)
                for model in protected_models()
                for field in encrypted_fields(model)
            ),
            *(
                inspect_json_field(model, name, verify=verify)
                for model, name in token_json_fields()
            ),
        ]
        for report in reports:
            totals.update(
                {
                    "older": report.older,
                    "bad": report.unknown_key + report.not_encrypted + report.undecryptable,
                }
            )
            self.stdout.write(
                _(
                    "%(field)s：当前密钥 %(current)d，旧密钥 %(older)d，未配置的密钥 "
                    "%(unknown)d，未加密 %(plain)d，解密失败 %(failed)d。"
                )
                % {
                    "field": report.label,
                    "current": report.current,
                    "older": report.older,
                    "unknown": report.unknown_key,
                    "plain": report.not_encrypted,
                    "failed": report.undecryptable,
                }
            )
        if totals["bad"]:
            self.stdout.write("BROKEN: " + _("有无法解密的数据，见上。"))
            sys.exit(1)
        if totals["older"]:
            self.stdout.write(
                "STALE: "
                + _("%(count)d 条仍在旧密钥下，请运行 warmhome crypto rotate。")
                % {"count": totals["older"]}
            )
            return
        self.stdout.write("OK: " + _("所有加密数据都在当前密钥下。"))
