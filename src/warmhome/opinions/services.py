"""Writes of opinions: intake from every channel, staff corrections, keyword rules and the
training of the topic model. Follow-ups, proposals and reports are in ``services_work``.

Other modules hand opinions in through ``opinion_submit`` with a channel of ``sources``.
"""

import datetime
import re
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.audit.services import attributed_service
from warmhome.core.policy import policy_value
from warmhome.opinions import classify, training
from warmhome.opinions.models import (
    KeywordRule,
    LabelSource,
    ModelVersion,
    Opinion,
    OpinionAttachment,
    Subtopic,
)
from warmhome.opinions.sources import get_channel
from warmhome.opinions.topics import TOPIC_CODES
from warmhome.orgs.models import OrgUnit

#: control characters other than tab and line breaks (PostgreSQL refuses NUL in text)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: extension → (content type, the bytes a file of that kind starts with)
ATTACHMENT_KINDS = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
MIN_KEYWORD_CHARS = 2


def _require(actor: Any, action: str, org: Any) -> None:
    if actor is not None and not actor.has_action(action, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))


def clean_text(text: str) -> str:
    """The text as stored: control characters removed, blanks trimmed, length checked."""
    cleaned = _CONTROL.sub("", text or "").strip()
    if not cleaned:
        raise ValidationError({"text": [_("请填写反映内容。")]})
    limit = int(policy_value("opinions.text_max_chars"))
    if len(cleaned) > limit:
        raise ValidationError(
            {
                "text": [
                    _("内容过长：最多 %(limit)d 个字，实际 %(count)d 个字。请分条反映。")
                    % {"limit": limit, "count": len(cleaned)}
                ]
            }
        )
    return cleaned


def rules_for(org: Any) -> list[classify.CompiledRule]:
    """The active keyword rules of ``org`` and of every unit above it, in precedence order."""
    path = org.path
    ancestors = [path[:end] for end in range(4, len(path) + 1, 4)]
    return classify.compile_rules(
        KeywordRule.objects.active().filter(org__path__in=ancestors).order_by("-priority", "pk")
    )


def label_for(text: str, org: Any) -> tuple[classify.Label, ModelVersion | None]:
    """The label an opinion of ``org`` gets on intake, and the model version that gave it."""
    active = training.active_model()
    version, model = active if active is not None else (None, None)
    label = classify.label_text(text, model=model, rules=rules_for(org))
    return label, (version if label.rule_id is None and model is not None else None)


def _label_source(label: classify.Label, given_topic: str | None) -> str:
    if given_topic is not None:
        return LabelSource.SOURCE
    return LabelSource.RULE if label.rule_id else LabelSource.MODEL


def _needs_review(label: classify.Label) -> bool:
    if label.rule_id is not None:
        return False
    return label.confidence < float(policy_value("opinions.review_confidence_min"))


def check_attachment(file_name: str, data: bytes) -> tuple[str, str]:
    """The extension and content type of an acceptable file; a Chinese refusal otherwise."""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in ATTACHMENT_KINDS:
        raise ValidationError({"attachments": [_("附件只能是 PDF、JPG 或 PNG 格式。")]})
    content_type, signatures = ATTACHMENT_KINDS[extension]
    limit_mb = int(policy_value("opinions.attachment_max_mb"))
    if not data:
        raise ValidationError({"attachments": [_("上传的文件是空的。")]})
    if len(data) > limit_mb * 1024 * 1024:
        raise ValidationError(
            {"attachments": [_("文件超过 %(limit)s MB，请压缩后再上传。") % {"limit": limit_mb}]}
        )
    if not any(data.startswith(signature) for signature in signatures):
        raise ValidationError(
            {"attachments": [_("文件内容与扩展名不符，请上传真实的 PDF、JPG 或 PNG 文件。")]}
        )
    return extension, content_type


def _check_submitter(actor: Any, channel: Any, org: Any, submitter: Any) -> Any:
    if channel.duty:
        # A representative reports as herself; staff may record it on her behalf.
        submitter = submitter if submitter is not None else actor
        if submitter is None:
            raise ValidationError({"submitter": [_("履职反映须注明反映的代表或委员。")]})
    if actor is None:
        return submitter
    if actor.has_action("opinions.change", org):
        return submitter
    if actor.has_action("opinions.submit", org) and submitter in (None, actor):
        return actor if channel.duty else submitter
    raise PermissionDenied(_("您没有在该组织反映妇情民意的权限。"))


@attributed_service
@transaction.atomic
def opinion_submit(
    *,
    actor: Any,
    channel: str,
    text: str,
    org: Any,
    submitter: Any = None,
    anonymous: bool = False,
    source_ref: str | None = None,
    occurred_at: datetime.datetime | None = None,
    submitter_name: str = "",
    attachments: Sequence[tuple[str, bytes]] = (),
    topic: str | None = None,
) -> Opinion:
    """Take in one opinion from ``channel`` and classify it; the same ``source_ref`` of the same
    channel twice returns the opinion taken in the first time (double submits, re-imports).

    A module that has classified it already (help requests by their petition category) passes
    ``topic``: it is kept as given, not checked.
    """
    spec = get_channel(channel)
    if spec is None:
        raise ValidationError({"channel": [_("未知的收集渠道。")]})
    if org is None:
        raise ValidationError({"org": [_("请选择所属组织。")]})
    reference = (source_ref or "").strip()[:64]
    if reference:
        existing = Opinion.objects.filter(channel=channel, source_ref=reference).first()
        if existing is not None:
            return existing
    submitter = _check_submitter(actor, spec, org, submitter)
    cleaned = clean_text(text)
    files = [(name, data, *check_attachment(name, data)) for name, data in attachments]
    if topic is not None:
        if topic not in TOPIC_CODES:
            raise ValueError(f"unknown opinion topic {topic!r}")
        label, version = classify.Label(topic=topic, confidence=1.0), None
    else:
        label, version = label_for(cleaned, org)
    try:
        with transaction.atomic():
            opinion = Opinion.objects.create(
                org=org,
                channel=channel,
                submitter=None if anonymous else submitter,
                submitter_name="" if anonymous else submitter_name.strip()[:50],
                anonymous=anonymous,
                occurred_at=occurred_at or timezone.now(),
                text=cleaned,
                source_ref=reference,
                topic=label.topic,
                subtopic_id=label.subtopic_id,
                confidence=round(label.confidence, 4),
                label_source=_label_source(label, topic),
                model_version=version,
                rule_id=label.rule_id,
                needs_review=topic is None and _needs_review(label),
            )
    except IntegrityError:
        # A concurrent submit of the same source won the race: hand back its opinion.
        return Opinion.objects.get(channel=channel, source_ref=reference)
    for name, data, extension, content_type in files:
        stored = default_storage.save(
            f"opinions/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}",
            ContentFile(data),
        )
        OpinionAttachment.objects.create(
            opinion=opinion,
            file_name=name[:255],
            file_path=stored,
            content_type=content_type,
            size=len(data),
        )
    return opinion


@attributed_service
@transaction.atomic
def opinion_relabel(
    *, actor: Any, opinion: Opinion, topic: str, subtopic: Subtopic | None = None
) -> Opinion:
    """Set (or confirm) an opinion's topic by hand; it becomes training data."""
    _require(actor, "opinions.change", opinion.org)
    if topic not in TOPIC_CODES:
        raise ValidationError({"topic": [_("请选择一个主题。")]})
    if subtopic is not None and subtopic.topic != topic:
        raise ValidationError({"subtopic": [_("子主题不属于所选主题。")]})
    locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
    locked.topic = topic
    locked.subtopic = subtopic
    locked.confidence = 1.0
    locked.label_source = LabelSource.STAFF
    locked.rule = None
    locked.needs_review = False
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.save()
    return locked


def _clean_keywords(keywords: str) -> str:
    words = list(dict.fromkeys(classify.split_keywords(keywords)))
    if not words:
        raise ValidationError({"keywords": [_("请填写至少一个关键词。")]})
    short = [word for word in words if len(word) < MIN_KEYWORD_CHARS]
    if short:
        raise ValidationError(
            {
                "keywords": [
                    _("关键词至少 %(count)d 个字，单个字会误中太多内容：%(words)s")
                    % {"count": MIN_KEYWORD_CHARS, "words": _("、").join(short)}
                ]
            }
        )
    joined = "、".join(words)
    if len(joined) > KeywordRule._meta.get_field("keywords").max_length:  # type: ignore[operator]
        raise ValidationError({"keywords": [_("关键词太多，请拆成几条规则。")]})
    return joined


@attributed_service
@transaction.atomic
def keyword_rule_save(
    *,
    actor: Any,
    org: Any,
    keywords: str,
    topic: str,
    subtopic: Subtopic | None = None,
    priority: int = 0,
    is_active: bool = True,
    note: str = "",
    rule: KeywordRule | None = None,
) -> KeywordRule:
    """Create a keyword rule owned by ``org``, or change ``rule``."""
    _require(actor, "opinions.classify", org)
    if rule is not None:
        _require(actor, "opinions.classify", rule.org)
    if topic not in TOPIC_CODES:
        raise ValidationError({"topic": [_("请选择一个主题。")]})
    if subtopic is not None and subtopic.topic != topic:
        raise ValidationError({"subtopic": [_("子主题不属于所选主题。")]})
    values = {
        "org": org,
        "keywords": _clean_keywords(keywords),
        "topic": topic,
        "subtopic": subtopic,
        "priority": max(0, int(priority)),
        "is_active": is_active,
        "note": note.strip()[:200],
    }
    if rule is None:
        return KeywordRule.objects.create(**values)
    for name, value in values.items():
        setattr(rule, name, value)
    rule.save()
    return rule


#: sub-topics belong to the whole installation: kept by those who classify at its top unit
SUBTOPIC_ACTION = "opinions.classify"


def subtopics_may_manage(actor: Any) -> bool:
    top = OrgUnit.objects.get_root_nodes().first()
    return actor is None or (top is not None and actor.has_action(SUBTOPIC_ACTION, top))


@attributed_service
@transaction.atomic
def subtopic_save(
    *,
    actor: Any,
    topic: str,
    name: str,
    is_active: bool = True,
    subtopic: Subtopic | None = None,
) -> Subtopic:
    """Add a sub-topic below ``topic``, or rename, move or switch off ``subtopic``. A sub-topic
    is never deleted (opinions keep it); switched off, it is offered no more."""
    if not subtopics_may_manage(actor):
        raise PermissionDenied(_("子主题全区共用，须由区级负责分类的人员维护。"))
    if topic not in TOPIC_CODES:
        raise ValidationError({"topic": [_("请选择一个主题。")]})
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [_("请填写子主题名称。")]})
    if len(name) > Subtopic._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValidationError({"name": [_("子主题名称最多 50 个字。")]})
    if subtopic is None:
        subtopic = Subtopic(topic=topic)
    elif subtopic.topic != topic and _subtopic_in_use(subtopic):
        raise ValidationError(
            {"topic": [_("已有意见或规则归入该子主题，不能改到其他主题；可停用后新建。")]}
        )
    subtopic.topic, subtopic.name, subtopic.is_active = topic, name, is_active
    try:
        with transaction.atomic():
            subtopic.save()
    except IntegrityError:
        raise ValidationError({"name": [_("该主题下已有同名子主题。")]}) from None
    return subtopic


def _subtopic_in_use(subtopic: Subtopic) -> bool:
    return (
        Opinion.objects.filter(subtopic=subtopic).exists()
        or KeywordRule.objects.filter(subtopic=subtopic).exists()
    )


def training_samples() -> tuple[list[training.Sample], int]:
    """The shipped set plus every staff correction, and how many corrections there are."""
    samples = training.load_shipped()
    corrections = [
        training.Sample(text, topic, "staff")
        for text, topic in Opinion.objects.filter(label_source=LabelSource.STAFF)
        .order_by("pk")
        .values_list("text", "topic")
    ]
    return samples + corrections, len(corrections)


def model_version_train(*, actor: Any) -> tuple[ModelVersion, training.Evaluation]:
    """Train a model on the shipped set and staff corrections, score it, and activate it."""
    if actor is not None and not actor.has_action("opinions.classify"):
        raise PermissionDenied(_("您没有训练分类模型的权限。"))
    samples, corrections = training_samples()
    if len({sample.topic for sample in samples}) < 2:
        raise ValidationError(_("训练样本不足：至少需要两个主题的已标注内容。"))
    evaluation = training.evaluate(samples)
    model = training.fit_all(samples)
    version = _model_version_activate(
        actor=actor,
        payload=model.to_payload(),
        evaluation=evaluation,
        training_size=len(samples),
        corrections=corrections,
    )
    return version, evaluation


@attributed_service
@transaction.atomic
def _model_version_activate(
    *,
    actor: Any,
    payload: bytes,
    evaluation: training.Evaluation,
    training_size: int,
    corrections: int,
) -> ModelVersion:
    # Locks the active row, so that two trainings finishing together number themselves apart.
    list(ModelVersion.objects.select_for_update().filter(is_active=True).only("pk"))
    latest = ModelVersion.objects.aggregate(latest=Max("version"))["latest"] or 0
    for previous in ModelVersion.objects.filter(is_active=True).defer("payload"):
        previous.is_active = False
        previous.save(update_fields=["is_active"])
    return ModelVersion.objects.create(
        version=latest + 1,
        trained_at=timezone.now(),
        trained_by=actor,
        training_size=training_size,
        corrections=corrections,
        heldout_size=evaluation.heldout_size,
        macro_f1=evaluation.macro_f1,
        report=evaluation.per_class,
        is_active=True,
        payload=payload,
    )
