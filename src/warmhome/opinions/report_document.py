"""The Word document of a 妇情民意分析报告: figures, rises, the main problems, representative
quotes with names masked, the suggestions, and what was done about the previous period's.

python-docx writes every text as a text run, so markup in an opinion stays inert characters.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.documents.docx import WordDocument
from warmhome.core.masking import mask_name
from warmhome.core.policy import policy_value
from warmhome.opinions.models import AnalysisReport, Opinion, OpinionFollowUp
from warmhome.opinions.selectors import Period, in_period, topic_counts, unusual_rises
from warmhome.opinions.sources import channel_label
from warmhome.opinions.text_analysis import duplicate_groups, mask_names_in
from warmhome.opinions.topics import Topic

QUOTE_TOPICS = 3
QUOTES_PER_TOPIC = 2
QUOTE_CHARS = 160


def report_period(report: AnalysisReport) -> Period:
    return Period.of(report.period, report.year, report.number)


def report_opinions(report: AnalysisReport) -> QuerySet[Opinion]:
    """The opinions a report covers: its organisation's subtree (the author's permission was
    checked over that organisation)."""
    return Opinion.objects.filter(org__path__startswith=report.org.path)


def quoted_by(opinion: Opinion) -> str:
    """Who said it, masked: 「妇女代表反映 · 张**」 or 「匿名」."""
    if opinion.anonymous:
        who = _("匿名")
    elif opinion.submitter is not None:
        who = mask_name(opinion.submitter.display_name or opinion.submitter.username)
    elif opinion.submitter_name:
        who = mask_name(opinion.submitter_name)
    else:
        who = _("未署名")
    return f"{channel_label(opinion.channel)} · {who}"


def quote_text(opinion: Opinion) -> str:
    text = opinion.text if len(opinion.text) <= QUOTE_CHARS else opinion.text[:QUOTE_CHARS] + "…"
    return mask_names_in(text)


def representative_quotes(
    opinions: QuerySet[Opinion], counts: dict[str, int]
) -> list[tuple[str, list[Opinion]]]:
    """For the most frequent topics: the opinion that stands for the largest group of alike
    ones first, then the most confidently classified."""
    threshold = float(policy_value("opinions.duplicate_similarity_min"))
    ranked = [topic for topic, count in sorted(counts.items(), key=lambda kv: -kv[1]) if count]
    result = []
    for topic in ranked[:QUOTE_TOPICS]:
        candidates = list(
            opinions.filter(topic=topic)
            .select_related("submitter")
            .order_by("-confidence", "-occurred_at")[:300]
        )
        chosen: list[Opinion] = []
        for group in duplicate_groups(candidates, threshold=threshold):
            chosen.append(group.example)
            if len(chosen) >= QUOTES_PER_TOPIC:
                break
        for candidate in candidates:
            if len(chosen) >= QUOTES_PER_TOPIC:
                break
            if candidate not in chosen:
                chosen.append(candidate)
        result.append((topic, chosen))
    return result


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def _change(now: int, before: int) -> str:
    if not before:
        return _("新增") if now else "—"
    return f"{(now - before) * 100 / before:+.1f}%"


def report_docx(report: AnalysisReport) -> bytes:
    """The report as a .docx (built at issue, and for the draft's preview)."""
    period = report_period(report)
    scoped = report_opinions(report)
    current = in_period(scoped, period)
    counts = topic_counts(current)
    before = topic_counts(in_period(scoped, period.previous()))
    total = sum(counts.values())
    document = WordDocument(title=report.title)
    document.heading(report.title)
    document.paragraph(
        _("%(org)s · %(period)s · 生成于 %(today)s")
        % {"org": report.org.name, "period": period.label, "today": timezone.localdate()}
    )
    document.paragraph(_("一、总体情况"), bold=True, size=14)
    document.paragraph(
        _("本期共收集妇情民意 %(total)d 件，上期 %(before)d 件。")
        % {"total": total, "before": sum(before.values())}
    )
    rows = [
        [Topic(code).label, counts[code], _percent(counts[code], total), before[code],
         _change(counts[code], before[code])]
        for code in sorted(counts, key=lambda code: -counts[code])
    ]  # fmt: skip
    document.table([_("主题"), _("本期件数"), _("占比"), _("上期件数"), _("环比")], rows)
    rises = unusual_rises(scoped, period)
    if rises:
        document.paragraph(_("异常上升："), bold=True)
        for rise in rises:
            document.paragraph(
                _("%(street)s“%(topic)s”类由上期 %(before)d 件升至 %(now)d 件。")
                % {
                    "street": rise.street.name,
                    "topic": rise.topic_label,
                    "before": rise.previous,
                    "now": rise.current,
                }
            )
    document.paragraph(_("二、反映的主要问题"), bold=True, size=14)
    for line in report.problems.splitlines() or [_("（未填写）")]:
        if line.strip():
            document.paragraph(line.strip())
    document.paragraph(_("三、群众原声（姓名已隐去）"), bold=True, size=14)
    for topic, quotes in representative_quotes(current, counts):
        document.paragraph(str(Topic(topic).label), bold=True)
        for opinion in quotes:
            document.paragraph(f"“{quote_text(opinion)}”（{quoted_by(opinion)}）")
    document.paragraph(_("四、对策建议"), bold=True, size=14)
    for line in report.suggestions.splitlines():
        if line.strip():
            document.paragraph(line.strip())
    _previous_followups(document, scoped, period.previous())
    return document.to_bytes()


def _previous_followups(document: WordDocument, scoped: QuerySet[Opinion], before: Period) -> None:
    """What was done about the matters raised in the previous period."""
    start, end = before.bounds()
    followups = list(
        OpinionFollowUp.objects.filter(
            opinion__in=scoped, opinion__occurred_at__gte=start, opinion__occurred_at__lt=end
        )
        .select_related("opinion")
        .order_by("pk")[:50]
    )
    document.paragraph(_("五、上期交办事项办理情况"), bold=True, size=14)
    if not followups:
        document.paragraph(_("上期无交办事项。"))
        return
    rows: list[list[Any]] = [
        [
            Topic(item.opinion.topic).label,
            item.request[:80],
            item.state_label,
            item.outcome[:200] or "—",
        ]
        for item in followups
    ]
    document.table([_("主题"), _("办理要求"), _("状态"), _("办理结果")], rows)
