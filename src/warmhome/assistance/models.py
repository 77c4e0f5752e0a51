"""Assistance plans for vulnerable persons, their follow-ups, and household colour levels.

The relief fund's models live in ``models_fund`` and are re-exported here.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from warmhome.assistance.models_fund import (
    Disbursement,
    Evidence,
    FundBudget,
    Hardship,
    LedgerEntry,
    LedgerKind,
    PaymentMethod,
    ReliefApplication,
    ReliefFund,
)
from warmhome.assistance.money import MAX_DIGITS
from warmhome.core.models import AuditedModel, OrgScopedModel, TimeStampedModel
from warmhome.core.models.base import OrgScopedManager
from warmhome.core.scoping import ScopedQuerySet

__all__ = [
    "LEVEL_SEVERITY",
    "AssistancePlan",
    "Disbursement",
    "Evidence",
    "FollowUp",
    "FundBudget",
    "Hardship",
    "HouseholdLevel",
    "LedgerEntry",
    "LedgerKind",
    "Level",
    "PaymentMethod",
    "ReliefApplication",
    "ReliefFund",
]


class PlanQuerySet(ScopedQuerySet["AssistancePlan"]):
    def open(self) -> "PlanQuerySet":
        return self.filter(closed_on__isnull=True)


class PlanManager(OrgScopedManager.from_queryset(PlanQuerySet)):  # type: ignore[misc]
    pass


class AssistancePlan(OrgScopedModel):
    """The help one person in a vulnerable category receives, with her responsible helper."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("帮扶对象"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("家庭户"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        "people.Category", verbose_name=_("人员类别"), on_delete=models.PROTECT, related_name="+"
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("帮扶责任人"),
        on_delete=models.PROTECT,
        related_name="assistance_plans",
    )
    needs = models.TextField(_("帮扶需求"))
    opened_on = models.DateField(_("建档日期"))
    next_followup_on = models.DateField(_("下次回访日期"), null=True, blank=True, db_index=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    closure_reason = models.CharField(_("结案原因"), max_length=200, blank=True)

    objects: ClassVar[PlanManager] = PlanManager()

    class Meta:
        ordering = ["next_followup_on", "pk"]
        verbose_name = _("帮扶计划")
        verbose_name_plural = _("帮扶计划")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "category"],
                condition=Q(closed_on__isnull=True),
                name="assistance_one_open_plan_per_person_category",
                violation_error_message=_("此人在该类别下已有未结案的帮扶计划。"),
            )
        ]

    def __str__(self) -> str:
        return f"{_('帮扶计划')}#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("assistance:plan_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class FollowUpKind(models.TextChoices):
    VISIT = "visit", _("入户走访")
    CALL = "call", _("电话回访")


class HelpKind(models.TextChoices):
    NONE = "none", _("未提供帮助")
    MONEY = "money", _("资金")
    GOODS = "goods", _("物资")
    SERVICES = "services", _("服务")
    REFERRAL = "referral", _("转介")


class FollowUpQuerySet(ScopedQuerySet[Any]):
    org_path_lookup = "plan__org__path"


class FollowUpManager(OrgScopedManager.from_queryset(FollowUpQuerySet)):  # type: ignore[misc]
    pass


class FollowUp(AuditedModel, TimeStampedModel):
    """One visit or call: what was found and what help was given."""

    plan = models.ForeignKey(
        AssistancePlan,
        verbose_name=_("帮扶计划"),
        on_delete=models.PROTECT,
        related_name="followups",
    )
    happened_on = models.DateField(_("回访日期"))
    kind = models.CharField(_("方式"), max_length=10, choices=FollowUpKind.choices)
    findings = models.TextField(_("了解到的情况"))
    help_kind = models.CharField(
        _("提供的帮助"), max_length=10, choices=HelpKind.choices, default=HelpKind.NONE
    )
    help_amount = models.DecimalField(
        _("帮助折合金额"), max_digits=MAX_DIGITS, decimal_places=2, null=True, blank=True
    )
    help_detail = models.CharField(_("帮助内容"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回访人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[FollowUpManager] = FollowUpManager()

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")

    def __str__(self) -> str:
        return f"{self.plan} · {self.happened_on}"


class Level(models.TextChoices):
    """Household colour levels, mildest first (the order is the severity)."""

    YELLOW = "yellow", _("黄色")
    ORANGE = "orange", _("橙色")
    RED = "red", _("红色")


LEVEL_SEVERITY = {Level.YELLOW: 1, Level.ORANGE: 2, Level.RED: 3}


class HouseholdLevelQuerySet(ScopedQuerySet["HouseholdLevel"]):
    def active(self) -> "HouseholdLevelQuerySet":
        return self.filter(cleared_at__isnull=True)


class HouseholdLevelManager(OrgScopedManager.from_queryset(HouseholdLevelQuerySet)):  # type: ignore[misc]
    pass


class HouseholdLevel(OrgScopedModel):
    """One reason a household carries a colour, from one source (a module event or a person).

    The household's level is the most severe active row. ``source`` names an entry of the
    ``assistance.levels`` registry, which says who may read ``reason``.
    """

    household = models.ForeignKey(
        "people.Household", verbose_name=_("家庭户"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("等级"), max_length=10, choices=Level.choices)
    source = models.CharField(_("来源"), max_length=64)
    reference = models.CharField(_("来源记录"), max_length=64, blank=True)
    reason = models.CharField(_("原因"), max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    clear_reason = models.CharField(_("解除原因"), max_length=200, blank=True)

    objects: ClassVar[HouseholdLevelManager] = HouseholdLevelManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("家庭风险等级")
        verbose_name_plural = _("家庭风险等级")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "source", "reference"],
                condition=Q(cleared_at__isnull=True),
                name="assistance_level_once_per_source",
                violation_error_message=_("该家庭户已有同一来源的有效等级。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_level_display()}"
