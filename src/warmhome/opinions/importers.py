"""Importing opinions from a spreadsheet (a batch collected on paper or in another system),
through core.imports: one row per opinion; broken rows are reported, the rest come in."""

import datetime
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warmhome.core.imports.spec import Column, ImportSpec, parse_date, register_spec
from warmhome.opinions.models import Opinion
from warmhome.opinions.services import clean_text, opinion_submit
from warmhome.opinions.sources import BATCH_IMPORT
from warmhome.orgs.models import OrgUnit

OPINION_IMPORT = "opinions.opinion"
PERMISSION = "opinions.change"


def parse_text(text: str) -> str:
    return clean_text(text)


def resolve_org(actor: Any, text: str) -> OrgUnit:
    """The unit named by its statistical code or exact name, within the actor's scope."""
    found = list(
        OrgUnit.objects.visible_to(actor, PERMISSION).filter(Q(code=text) | Q(name=text))[:2]
    )
    if not found:
        raise ValidationError(
            _("组织“%(text)s”不存在或不在您的管理范围内，请填写统计代码或准确的名称。")
            % {"text": text}
        )
    if len(found) > 1:
        raise ValidationError(
            _("名称为“%(text)s”的组织不止一个，请改填统计代码。") % {"text": text}
        )
    return found[0]


NATURAL_KEY = ("org", "day", "submitter", "text")


def key_reference(key: tuple[Any, ...]) -> str:
    """The same row imported twice is the same opinion: its reference is a digest of it."""
    basis = "|".join("" if part is None else str(part) for part in key)
    return "row:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:40]


def row_reference(values: dict[str, Any]) -> str:
    return key_reference(tuple(values.get(name) for name in NATURAL_KEY))


def validate_row(actor: Any, values: dict[str, Any], context: Any) -> None:
    try:
        values["org_unit"] = resolve_org(actor, values["org"])
    except ValidationError as error:
        raise ValidationError({"org": error.messages}) from None


def commit_row(actor: Any, values: dict[str, Any]) -> Opinion:
    org = values.get("org_unit") or resolve_org(actor, values["org"])
    day: datetime.date | None = values.get("day")
    occurred = (
        datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())
        if day
        else None
    )
    return opinion_submit(
        actor=actor,
        channel=BATCH_IMPORT.key,
        text=values["text"],
        org=org,
        submitter_name=values.get("submitter") or "",
        anonymous=not values.get("submitter"),
        source_ref=row_reference(values),
        occurred_at=occurred,
    )


def existing_keys(actor: Any, keys: list[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    references = {key_reference(key): key for key in keys}
    found = Opinion.objects.filter(
        channel=BATCH_IMPORT.key, source_ref__in=list(references)
    ).values_list("source_ref", flat=True)
    return {references[reference] for reference in found}


OPINION_SPEC = register_spec(
    ImportSpec(
        key=OPINION_IMPORT,
        label=gettext_lazy("妇情民意"),
        permission=PERMISSION,
        sheet_title=gettext_lazy("妇情民意"),
        columns=(
            Column(
                "org",
                gettext_lazy("所属组织"),
                required=True,
                max_length=100,
                note=gettext_lazy("统计代码或名称，须在您的管理范围内"),
                width=22,
            ),
            Column(
                "day",
                gettext_lazy("反映日期"),
                parser=parse_date,
                note=gettext_lazy("例如 2026-03-01；留空为导入当天"),
                width=14,
            ),
            Column(
                "submitter",
                gettext_lazy("反映人"),
                max_length=50,
                note=gettext_lazy("留空为匿名"),
                width=12,
            ),
            Column("text", gettext_lazy("反映内容"), required=True, parser=parse_text, width=60),
        ),
        natural_key=NATURAL_KEY,
        exists=lambda actor, key: bool(existing_keys(actor, [key])),
        existing_keys=existing_keys,
        validate_row=validate_row,
        commit_row=commit_row,
    )
)
