"""Versioned scoring definitions of risk-assessment instruments (DOMAIN.md §5).

An assessment keeps its raw answers, the code and version of the definition that scored it and
the cut-offs in force, so a later definition never rescores the past. A new version is a new
``ScoringDefinition`` registered with a higher ``version``; new assessments use the highest.
Shipped: HITS (4 items scored 1–5, total 4–20, above 10 positive → high band) and a local
three-band yes/no scale whose cut-offs are the policy ``rights.local_scale_cutoffs``.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from warmhome.rules.selectors import policy_value

HIGH, MEDIUM, LOW = "high", "medium", "low"


@dataclass(frozen=True)
class Item:
    code: str
    label: str | Promise


@dataclass(frozen=True)
class ScoringDefinition:
    code: str
    version: int
    label: str | Promise
    items: tuple[Item, ...]
    #: allowed answer of every item, inclusive
    answer_min: int
    answer_max: int
    #: ``(score, cut-offs) -> band``
    band_of: Callable[[int, Mapping[str, Any]], str]
    #: the cut-offs in force now (read when scoring, then stored with the assessment)
    cutoffs: Callable[[], dict[str, Any]]

    def clean_answers(self, answers: Mapping[str, Any]) -> dict[str, int]:
        cleaned: dict[str, int] = {}
        for item in self.items:
            try:
                value = int(answers[item.code])
            except (KeyError, TypeError, ValueError):
                raise ValidationError(
                    gettext("请回答全部评估项目：%(item)s") % {"item": item.label}
                ) from None
            if not self.answer_min <= value <= self.answer_max:
                raise ValidationError(
                    gettext("“%(item)s”的得分应在 %(low)d 至 %(high)d 之间。")
                    % {"item": item.label, "low": self.answer_min, "high": self.answer_max}
                )
            cleaned[item.code] = value
        return cleaned

    def score(self, answers: Mapping[str, Any]) -> tuple[int, str, dict[str, Any]]:
        """``(score, band, definition snapshot)`` of ``answers``."""
        cleaned = self.clean_answers(answers)
        total = sum(cleaned.values())
        cutoffs = self.cutoffs()
        snapshot = {"items": [item.code for item in self.items], "cutoffs": cutoffs}
        return total, self.band_of(total, cutoffs), snapshot


_definitions: dict[tuple[str, int], ScoringDefinition] = {}


def register_definition(definition: ScoringDefinition) -> ScoringDefinition:
    _definitions[(definition.code, definition.version)] = definition
    return definition


def unregister_definition(code: str, version: int) -> None:
    _definitions.pop((code, version), None)


def definition(code: str, version: int | None = None) -> ScoringDefinition:
    """Version ``version`` of instrument ``code``, or its current (highest) version."""
    if version is None:
        versions = [v for c, v in _definitions if c == code]
        if not versions:
            raise ValidationError(gettext("未知的评估工具。"))
        version = max(versions)
    try:
        return _definitions[(code, version)]
    except KeyError:
        raise ValidationError(gettext("未知的评估工具。")) from None


def current_definitions() -> list[ScoringDefinition]:
    codes = dict.fromkeys(code for code, _version in sorted(_definitions))
    return [definition(code) for code in codes]


def _hits_band(score: int, cutoffs: Mapping[str, Any]) -> str:
    return HIGH if score > int(cutoffs["positive_above"]) else LOW


def _local_band(score: int, cutoffs: Mapping[str, Any]) -> str:
    medium_from, high_from = cutoffs["medium_from"], cutoffs["high_from"]
    if score >= high_from:
        return HIGH
    return MEDIUM if score >= medium_from else LOW


def _local_cutoffs() -> dict[str, Any]:
    medium_from, high_from = policy_value("rights.local_scale_cutoffs")
    return {"medium_from": int(medium_from), "high_from": int(high_from)}


HITS = register_definition(
    ScoringDefinition(
        code="hits",
        version=1,
        label=_("HITS 家暴筛查量表"),
        items=(
            Item("hurt", _("身体伤害（Hurt）：对方多久伤害您的身体一次？")),
            Item("insult", _("侮辱（Insult）：对方多久侮辱或贬低您一次？")),
            Item("threaten", _("威胁（Threaten）：对方多久威胁要伤害您一次？")),
            Item("scream", _("吼骂（Scream）：对方多久对您尖叫或咒骂一次？")),
        ),
        answer_min=1,
        answer_max=5,
        band_of=_hits_band,
        cutoffs=lambda: {"positive_above": 10},
    )
)

LOCAL_SCALE = register_definition(
    ScoringDefinition(
        code="local",
        version=1,
        label=_("本地三级风险评估表"),
        items=(
            Item("escalating", _("近期暴力频率或严重程度升高")),
            Item("weapon", _("施暴人曾使用或威胁使用凶器")),
            Item("strangling", _("曾被掐脖子或捂口鼻")),
            Item("death_threat", _("施暴人曾扬言杀害受害人或子女")),
            Item("separation", _("受害人正在或准备分居、离婚")),
            Item("pregnant", _("受害人怀孕期间曾遭暴力")),
            Item("children_harmed", _("子女曾遭暴力或目睹暴力")),
            Item("substance", _("施暴人酗酒、吸毒或赌博")),
        ),
        answer_min=0,
        answer_max=1,
        band_of=_local_band,
        cutoffs=_local_cutoffs,
    )
)
