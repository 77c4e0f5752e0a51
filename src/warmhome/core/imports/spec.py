"""Declarative import specs: what a roster's spreadsheet holds and how a row is written.

A module describes its roster once::

    register_spec(ImportSpec(
        key="orgs.orgunit",
        label=_("组织"),
        permission="orgs.change",
        columns=(Column("name", _("名称"), required=True, max_length=100), ...),
        natural_key=("code",),
        exists=lambda actor, key: OrgUnit.objects.filter(code=key[0]).exists(),
        commit_row=lambda actor, values: orgunit_create(actor=actor, ...),
    ))

and the framework gives it the template, the upload checks, background validation, the preview,
the error workbook, the commit modes and the summary.
"""

import datetime
import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

Choices = Sequence[tuple[str, Any]]
Parser = Callable[[str], Any]

#: where a stored row keeps its sensitive columns' texts, as one token (no column has this key)
SEALED_TEXTS = "_sealed"


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: its Chinese header, how a cell becomes a value, its note."""

    key: str
    header: str | Promise
    required: bool = False
    #: turns the cell's (stripped, non-empty) text into a value or raises ValidationError
    parser: Parser | None = None
    note: str | Promise = ""
    #: (value, label) pairs, or a callable giving them (a managed list); cells hold the label
    choices: Choices | Callable[[], Choices] | None = None
    max_length: int | None = None
    width: int = 18
    #: personal data (ID number, phone): kept encrypted in the batch's row results
    sensitive: bool = False

    def choice_pairs(self) -> list[tuple[str, str]]:
        choices = self.choices() if callable(self.choices) else (self.choices or ())
        return [(str(value), str(label)) for value, label in choices]

    def choice_lookup(self) -> dict[str, str]:
        """Label or value → value (the first pair wins where labels and values collide)."""
        lookup: dict[str, str] = {}
        for value, label in reversed(self.choice_pairs()):
            lookup[value] = value
            lookup[label] = value
        return lookup

    def parse(self, text: str, lookup: Mapping[str, str] | None = None) -> Any:
        """The value of a non-empty cell; ValidationError with a Chinese message otherwise.
        ``lookup`` is ``choice_lookup()`` read once for many rows (a managed list's query and
        the labels' translation would otherwise run for every cell)."""
        if self.max_length is not None and len(text) > self.max_length:
            raise ValidationError(
                _("内容过长：最多 %(limit)d 个字，实际 %(count)d 个字。")
                % {"limit": self.max_length, "count": len(text)}
            )
        if self.choices is not None:
            if lookup is None:
                lookup = self.choice_lookup()
            if text not in lookup:
                raise ValidationError(
                    _("“%(text)s”不是可选值，请从下拉列表中选择：%(options)s。")
                    % {
                        "text": text,
                        "options": "、".join(label for _v, label in self.choice_pairs()),
                    }
                )
            text = lookup[text]
        return self.parser(text) if self.parser is not None else text


@dataclass
class RowContext:
    """What a row-level check may know about the rows before it in the same file."""

    #: natural key → row number, of the valid rows seen so far
    keys_in_file: dict[tuple[Any, ...], int] = field(default_factory=dict)
    #: the parsed values of the valid rows seen so far, by row number
    earlier: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: column key → ``Column.choice_lookup()``, read once per run
    choice_lookups: dict[str, dict[str, str]] = field(default_factory=dict)
    #: the natural key's column headers, translated once per run
    key_headers: list[str] = field(default_factory=list)

    def lookup_of(self, column: Column) -> dict[str, str] | None:
        if column.choices is None:
            return None
        if column.key not in self.choice_lookups:
            self.choice_lookups[column.key] = column.choice_lookup()
        return self.choice_lookups[column.key]


@dataclass(frozen=True)
class ImportSpec:
    key: str
    label: str | Promise
    #: the action a user needs to import (and to see the batches)
    permission: str
    columns: tuple[Column, ...]
    #: column keys whose values identify a record: a row whose key exists is skipped
    natural_key: tuple[str, ...]
    #: does a record with this natural key exist already?
    exists: Callable[[Any, tuple[Any, ...]], bool]
    #: write one row through the module's service (runs inside the import's transaction)
    commit_row: Callable[[Any, dict[str, Any]], Any]
    #: checks across columns and rows; raise ValidationError({column_key: message}) or a message
    validate_row: Callable[[Any, dict[str, Any], RowContext], None] | None = None
    sheet_title: str | Promise = ""
    #: optional, for speed: which of these natural keys exist already (one query per chunk)
    existing_keys: Callable[[Any, list[tuple[Any, ...]]], set[tuple[Any, ...]]] | None = None
    #: optional, for speed: write many rows at once (bulk insert), in file order; raise
    #: ValidationError to refuse them all (valid-only mode then retries row by row)
    commit_rows: Callable[[Any, list[dict[str, Any]]], Any] | None = None
    #: ``validate_row`` looks at no other row of the file (``RowContext.earlier``): a large
    #: file is then validated in two halves at once (the second by a helper process)
    rows_independent: bool = False
    #: optional, for speed, instead of ``commit_rows``: make checked rows ready to write, with
    #: no database at all (a forked helper process may run it while this one writes the rows
    #: before; its result comes back pickled), raising ValidationError to refuse them all…
    prepare_rows: Callable[[Any, list[dict[str, Any]]], Any] | None = None
    #: …and write what ``prepare_rows`` made, or raise ValidationError as ``commit_rows`` does
    commit_prepared: Callable[[Any, Any], Any] | None = None

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def key_of(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(values.get(name) for name in self.natural_key)

    @functools.cached_property
    def sensitive_keys(self) -> frozenset[str]:
        return frozenset(column.key for column in self.columns if column.sensitive)

    def stored_texts(self, texts: Mapping[str, str]) -> dict[str, str]:
        """A row's texts as kept in the database: the sensitive columns' together, encrypted as
        one token under ``SEALED_TEXTS`` (one encryption a row, not one a cell)."""
        from warmhome.core.crypto import encrypt

        sensitive = self.sensitive_keys
        stored = {key: text for key, text in texts.items() if key not in sensitive or not text}
        sealed = {key: text for key, text in texts.items() if key in sensitive and text}
        if sealed:
            stored[SEALED_TEXTS] = encrypt(json.dumps(sealed, ensure_ascii=False))
        return stored

    def loaded_texts(self, stored: Mapping[str, str]) -> dict[str, str]:
        """The inverse of ``stored_texts`` (also of its earlier form, a token per sensitive
        cell, which rows validated before remain in)."""
        from warmhome.core.crypto import decrypt

        sensitive = self.sensitive_keys
        texts = {
            key: decrypt(text) if key in sensitive and text else text
            for key, text in stored.items()
            if key != SEALED_TEXTS
        }
        if SEALED_TEXTS in stored:
            texts.update(json.loads(decrypt(stored[SEALED_TEXTS])))
        return texts

    def stored_key(self, key: tuple[Any, ...]) -> str:
        """The natural key as kept in the database; empty when it is personal data."""
        if self.sensitive_keys.intersection(self.natural_key):
            return ""
        return "|".join("" if part is None else str(part) for part in key)[:255]


_specs: dict[str, ImportSpec] = {}


def register_spec(spec: ImportSpec) -> ImportSpec:
    """Make ``spec`` known under its key (the module's importers.py calls this at import)."""
    _specs[spec.key] = spec
    return spec


def get_spec(key: str) -> ImportSpec:
    """The spec registered under ``key``; each app's ``importers`` module is loaded on demand
    (a worker process may not have imported the app's views)."""
    if key not in _specs:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("importers")
    return _specs[key]


# --- reusable parsers ------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def parse_date(text: str) -> datetime.date:
    """A date written as 2024-03-01, 2024/3/1, 20240301 or 2024年3月1日."""
    cleaned = text.strip().split(" ")[0].split("T")[0]
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise ValidationError(
        _("“%(text)s”不是有效日期，请按 2024-03-01 的格式填写。") % {"text": text}
    )


def parse_int(text: str) -> int:
    try:
        return int(text.replace(",", ""))
    except ValueError:
        raise ValidationError(_("“%(text)s”不是整数。") % {"text": text}) from None


def digits_parser(length: int, what: str | Promise) -> Parser:
    """A code of exactly ``length`` digits."""
    pattern = re.compile(rf"\d{{{length}}}")

    def parse(text: str) -> str:
        if not pattern.fullmatch(text):
            raise ValidationError(
                _("%(what)s应为 %(length)d 位数字，实际为“%(text)s”（%(count)d 位）。")
                % {"what": what, "length": length, "text": text, "count": len(text)}
            )
        return text

    return parse
