"""What is done with opinions: follow-ups through the workflow engine, proposals carried by a
deputy or member, and the analysis reports sent to the district's decision-makers."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from warmhome.core.masking import mask_name
from warmhome.core.models import OrgScopedModel, WorkflowRecord
from warmhome.core.models.base import OrgScopedManager
from warmhome.core.scoping import ScopedQuerySet
from warmhome.core.workflows import get_workflow


class FollowUpQuerySet(ScopedQuerySet["OpinionFollowUp"]):
    pass


class FollowUpManager(OrgScopedManager.from_queryset(FollowUpQuerySet)):  # type: ignore[misc]
    pass


class OpinionFollowUp(OrgScopedModel, WorkflowRecord):
    """An opinion handed to someone to act on, with a response deadline and its outcome."""

    workflow_key = "opinion_followup"

    opinion = models.ForeignKey(
        "opinions.Opinion",
        verbose_name=_("妇情民意"),
        on_delete=models.PROTECT,
        related_name="followups",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    request = models.TextField(_("办理要求"))
    outcome = models.TextField(_("办理结果"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[FollowUpManager] = FollowUpManager()

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("交办跟踪")
        verbose_name_plural = _("交办跟踪")

    def __str__(self) -> str:
        return f"{_('交办')}#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("opinions:opinion_detail", args=[self.opinion_id])

    @property
    def state_label(self) -> Any:
        return get_workflow(self.workflow_key).state_label(self.state)

    def todo_title(self) -> str:
        return str(_("妇情民意#%(number)s 交办") % {"number": self.opinion_id})


class ProposalKind(models.TextChoices):
    PROPOSAL = "proposal", _("政协提案")
    SUGGESTION = "suggestion", _("人大建议")


class ProposalQuerySet(ScopedQuerySet["Proposal"]):
    pass


class ProposalManager(OrgScopedManager.from_queryset(ProposalQuerySet)):  # type: ignore[misc]
    pass


class Proposal(OrgScopedModel, WorkflowRecord):
    """A formal proposal (提案) or suggestion (建议) drawn from related opinions, carried by an
    NPC deputy or CPPCC member, with the government's reply and what changed."""

    workflow_key = "opinion_proposal"

    kind = models.CharField(_("类型"), max_length=16, choices=ProposalKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    carrier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("领衔代表/委员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opinions = models.ManyToManyField(
        "opinions.Opinion", verbose_name=_("相关妇情民意"), related_name="proposals"
    )
    reply = models.TextField(_("政府部门答复"), blank=True)
    changes = models.TextField(_("落实情况"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[ProposalManager] = ProposalManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("提案与建议")
        verbose_name_plural = _("提案与建议")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opinions:proposal_detail", args=[self.pk])

    @property
    def state_label(self) -> Any:
        return get_workflow(self.workflow_key).state_label(self.state)

    @property
    def carrier_shown(self) -> str:
        return mask_name(str(self.carrier))


class ReportPeriod(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")


class AnalysisReportQuerySet(ScopedQuerySet["AnalysisReport"]):
    pass


class AnalysisReportManager(OrgScopedManager.from_queryset(AnalysisReportQuerySet)):  # type: ignore[misc]
    pass


class AnalysisReport(OrgScopedModel):
    """One 妇情民意分析报告 of an organisation for a month or a quarter.

    Staff write the main problems and the suggestions while it is a draft; issuing it freezes
    the Word document as it was sent (``document``), which the archive serves from then on.
    """

    audit_exclude = ("document",)

    period = models.CharField(_("周期"), max_length=10, choices=ReportPeriod.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveSmallIntegerField(_("月份或季度"))
    title = models.CharField(_("标题"), max_length=200)
    problems = models.TextField(_("主要问题"), blank=True)
    suggestions = models.TextField(_("对策建议"), blank=True)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("印发人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    document = models.BinaryField(_("报告文件"), null=True, blank=True)

    objects: ClassVar[AnalysisReportManager] = AnalysisReportManager()

    class Meta:
        ordering = ["-year", "-number", "-pk"]
        verbose_name = _("妇情民意分析报告")
        verbose_name_plural = _("妇情民意分析报告")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "period", "year", "number"],
                name="opinions_one_report_per_period",
                violation_error_message=_("该组织这一期的分析报告已经存在。"),
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=12),
                name="opinions_report_number_range",
                violation_error_message=_("月份应为 1–12，季度应为 1–4。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opinions:report_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None
