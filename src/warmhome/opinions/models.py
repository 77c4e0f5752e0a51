"""Opinions (妇情民意), their attachments, the topic layer (sub-topics, keyword rules) and the
versions of the classification model.

Follow-ups, proposals and analysis reports live in ``models_work`` and are re-exported here.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from warmhome.core.models import AuditedModel, OrgScopedModel, TimeStampedModel
from warmhome.core.models.base import OrgScopedManager
from warmhome.core.scoping import ScopedQuerySet
from warmhome.opinions.sources import channel_label
from warmhome.opinions.topics import Topic

__all__ = [
    "AnalysisReport",
    "KeywordRule",
    "LabelSource",
    "ModelVersion",
    "Opinion",
    "OpinionAttachment",
    "OpinionFollowUp",
    "Proposal",
    "ProposalKind",
    "ReportPeriod",
    "Subtopic",
    "Topic",
]


class Subtopic(TimeStampedModel):
    """A finer heading below one of the ten fixed topics (e.g. 婚姻家庭纠纷 › 抚养权)."""

    topic = models.CharField(_("主题"), max_length=16, choices=Topic.choices)
    name = models.CharField(_("子主题名称"), max_length=50)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["topic", "name"]
        verbose_name = _("子主题")
        verbose_name_plural = _("子主题")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "name"],
                name="opinions_subtopic_unique_name",
                violation_error_message=_("该主题下已有同名子主题。"),
            )
        ]

    def __str__(self) -> str:
        return f"{Topic(self.topic).label} › {self.name}"


class LabelSource(models.TextChoices):
    MODEL = "model", _("模型分类")
    RULE = "rule", _("关键词规则")
    STAFF = "staff", _("人工校正")
    #: the module it came from had classified it already (a help request's petition category)
    SOURCE = "source", _("来源分类")


class ModelVersion(models.Model):
    """One trained classification model, kept whole so that any label can be traced to it.

    The fitted pipeline is stored in the database (``payload``), not under MEDIA_ROOT: it is a
    few megabytes, every web and worker process must load the same active version, and
    activating a version must be one transaction with the row that says which one is active.
    """

    version = models.PositiveIntegerField(_("版本号"), unique=True)
    trained_at = models.DateTimeField(_("训练时间"))
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("训练人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    training_size = models.PositiveIntegerField(_("训练样本数"))
    corrections = models.PositiveIntegerField(_("其中人工校正样本数"), default=0)
    heldout_size = models.PositiveIntegerField(_("留出测试样本数"))
    macro_f1 = models.FloatField(_("留出集宏平均 F1"))
    report = models.JSONField(_("各类别指标"), default=dict)
    is_active = models.BooleanField(_("当前使用"), default=False)
    payload = models.BinaryField(_("模型文件"))

    class Meta:
        ordering = ["-version"]
        verbose_name = _("分类模型版本")
        verbose_name_plural = _("分类模型版本")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="opinions_one_active_model",
                violation_error_message=_("同一时间只能有一个分类模型版本在使用。"),
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class KeywordRuleQuerySet(ScopedQuerySet["KeywordRule"]):
    def active(self) -> "KeywordRuleQuerySet":
        return self.filter(is_active=True)


class KeywordRuleManager(OrgScopedManager.from_queryset(KeywordRuleQuerySet)):  # type: ignore[misc]
    pass


class KeywordRule(OrgScopedModel):
    """Words that put an opinion under a topic whatever the model says (see ``classify``).

    A rule applies to the opinions of its organisation's subtree: the district's rules to all.
    """

    keywords = models.CharField(
        _("关键词"),
        max_length=500,
        help_text=_("多个关键词用“、”或逗号分隔，含任一关键词即命中。"),
    )
    topic = models.CharField(_("归入主题"), max_length=16, choices=Topic.choices)
    subtopic = models.ForeignKey(
        Subtopic,
        verbose_name=_("归入子主题"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    priority = models.PositiveSmallIntegerField(
        _("优先级"), default=0, help_text=_("多条规则同时命中时，数字大的优先。")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects: ClassVar[KeywordRuleManager] = KeywordRuleManager()

    class Meta:
        ordering = ["-priority", "pk"]
        verbose_name = _("关键词规则")
        verbose_name_plural = _("关键词规则")

    def __str__(self) -> str:
        return f"{self.keywords} → {self.topic}"

    def keyword_list(self) -> list[str]:
        from warmhome.opinions.classify import split_keywords

        return split_keywords(self.keywords)


class OpinionQuerySet(ScopedQuerySet["Opinion"]):
    def to_check(self) -> "OpinionQuerySet":
        return self.filter(needs_review=True)

    def between(self, start: Any, end: Any) -> "OpinionQuerySet":
        """Opinions that came in on or after ``start`` and before ``end`` (datetimes)."""
        return self.filter(occurred_at__gte=start, occurred_at__lt=end)


class OpinionManager(OrgScopedManager.from_queryset(OpinionQuerySet)):  # type: ignore[misc]
    pass


class Opinion(OrgScopedModel):
    """One opinion or appeal, from one channel, classified into one topic on intake."""

    channel = models.CharField(_("收集渠道"), max_length=32)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反映人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions_submitted",
    )
    #: a name given with a batch row or a public message (not an account)
    submitter_name = models.CharField(_("反映人姓名"), max_length=50, blank=True)
    anonymous = models.BooleanField(_("匿名"), default=False)
    occurred_at = models.DateTimeField(_("反映时间"), db_index=True)
    text = models.TextField(_("内容"))
    source_ref = models.CharField(_("来源记录"), max_length=64, blank=True)
    topic = models.CharField(_("主题"), max_length=16, choices=Topic.choices, db_index=True)
    subtopic = models.ForeignKey(
        Subtopic,
        verbose_name=_("子主题"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confidence = models.FloatField(_("置信度"), default=0)
    label_source = models.CharField(_("分类来源"), max_length=10, choices=LabelSource.choices)
    model_version = models.ForeignKey(
        ModelVersion,
        verbose_name=_("模型版本"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rule = models.ForeignKey(
        KeywordRule,
        verbose_name=_("命中规则"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    needs_review = models.BooleanField(_("待核对"), default=False, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核对人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("核对时间"), null=True, blank=True)

    objects: ClassVar[OpinionManager] = OpinionManager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("妇情民意")
        verbose_name_plural = _("妇情民意")
        indexes = [
            models.Index(fields=["occurred_at", "topic"], name="opinions_time_topic"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "source_ref"],
                condition=~Q(source_ref=""),
                name="opinions_once_per_source",
                violation_error_message=_("该来源记录已登记为妇情民意。"),
            )
        ]

    def __str__(self) -> str:
        return f"{_('妇情民意')}#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("opinions:opinion_detail", args=[self.pk])

    @property
    def channel_label(self) -> Any:
        return channel_label(self.channel)

    @property
    def topic_label(self) -> Any:
        return Topic(self.topic).label


class AttachmentQuerySet(ScopedQuerySet[Any]):
    org_path_lookup = "opinion__org__path"


class AttachmentManager(OrgScopedManager.from_queryset(AttachmentQuerySet)):  # type: ignore[misc]
    pass


class OpinionAttachment(AuditedModel, TimeStampedModel):
    """A photo or document handed in with an opinion."""

    scope_action_prefix = "opinions"

    opinion = models.ForeignKey(
        Opinion, verbose_name=_("妇情民意"), on_delete=models.PROTECT, related_name="attachments"
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    file_path = models.CharField(_("存储路径"), max_length=500)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))

    objects: ClassVar[AttachmentManager] = AttachmentManager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.file_name


from warmhome.opinions.models_work import (  # noqa: E402  (they refer to Opinion above)
    AnalysisReport,
    OpinionFollowUp,
    Proposal,
    ProposalKind,
    ReportPeriod,
)
