"""The relief fund (维权解困救助金): yearly budgets, the ledger, applications and disbursements.

A ``FundBudget`` row is one pot of money for one year: the district's pool, or the share
allocated to a street. It carries three running totals — ``amount`` (what was granted),
``committed`` (approved, not yet paid) and ``paid`` — that only ``assistance.services_fund``
changes, under a row lock, together with the ``LedgerEntry`` that explains the change. The
database refuses a row whose available balance (amount − committed − paid) is negative.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from warmhome.assistance.money import MAX_DIGITS, ZERO
from warmhome.core.models import AuditedModel, OrgScopedModel, TimeStampedModel, WorkflowRecord
from warmhome.core.models.base import OrgScopedManager
from warmhome.core.scoping import ScopedQuerySet


class ReliefFund(OrgScopedModel):
    """A fund with its own rules (one per federation in practice: 维权解困救助金)."""

    name = models.CharField(_("资金名称"), max_length=100)
    rules_reference = models.CharField(_("管理办法"), max_length=200, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("救助资金")
        verbose_name_plural = _("救助资金")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "name"],
                name="assistance_fund_name_unique",
                violation_error_message=_("该组织已有同名的救助资金。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class FundBudget(OrgScopedModel):
    """One year of one fund at one organisation (the district's pool or a street's share)."""

    fund = models.ForeignKey(
        ReliefFund, verbose_name=_("救助资金"), on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(
        _("预算总额"), max_digits=MAX_DIGITS, decimal_places=2, default=ZERO
    )
    committed = models.DecimalField(
        _("已批准待发放"), max_digits=MAX_DIGITS, decimal_places=2, default=ZERO
    )
    paid = models.DecimalField(_("已发放"), max_digits=MAX_DIGITS, decimal_places=2, default=ZERO)

    class Meta:
        ordering = ["-year", "org__path", "pk"]
        verbose_name = _("年度预算")
        verbose_name_plural = _("年度预算")
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "year", "org"],
                name="assistance_budget_once_per_org_year",
                violation_error_message=_("该组织本年度已有此项资金的预算。"),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=F("committed") + F("paid"))
                & Q(committed__gte=0)
                & Q(paid__gte=0),
                name="assistance_budget_never_negative",
                violation_error_message=_("余额不足。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.year} · {self.org.name}"

    @property
    def available(self) -> Any:
        return self.amount - self.committed - self.paid

    def get_absolute_url(self) -> str:
        return reverse("assistance:budget_detail", args=[self.pk])


class LedgerKind(models.TextChoices):
    GRANT = "grant", _("年度预算")
    TOP_UP = "top_up", _("追加")
    TRANSFER_OUT = "transfer_out", _("调出")
    TRANSFER_IN = "transfer_in", _("调入")
    COMMIT = "commit", _("批准（占用额度）")
    RELEASE = "release", _("取消（释放额度）")
    PAY = "pay", _("发放")
    URGENT_PAY = "urgent_pay", _("救急先行发放")
    RETURN = "return", _("退回")


class LedgerEntry(OrgScopedModel):
    """One movement of money: what it did to the budget's three totals, and why.

    ``org`` is the organisation the movement concerns (the application's community, or the
    budget's own organisation for grants and transfers). Entries are never changed or deleted.
    """

    budget = models.ForeignKey(
        FundBudget, verbose_name=_("年度预算"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=LedgerKind.choices)
    amount_delta = models.DecimalField(
        _("预算变动"), max_digits=MAX_DIGITS, decimal_places=2, default=ZERO
    )
    committed_delta = models.DecimalField(
        _("占用变动"), max_digits=MAX_DIGITS, decimal_places=2, default=ZERO
    )
    paid_delta = models.DecimalField(
        _("发放变动"), max_digits=MAX_DIGITS, decimal_places=2, default=ZERO
    )
    application = models.ForeignKey(
        "assistance.ReliefApplication",
        verbose_name=_("救助申请"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    decision_ref = models.CharField(_("决定文号/会议纪要"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("台账记录")
        verbose_name_plural = _("台账记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Hardship(models.TextChoices):
    """Kinds of hardship; the fund covers those in policy ``relief.eligible_hardships``."""

    ILLNESS = "illness", _("重大疾病")
    SCHOOLING = "schooling", _("子女就学困难")
    LIVING = "living", _("生活困难")
    ACCIDENT = "accident", _("突发意外")
    RIGHTS = "rights", _("维权诉讼困难")
    VIOLENCE = "violence", _("家庭暴力受害")
    OTHER = "other", _("其他")


class ReliefApplicationQuerySet(ScopedQuerySet["ReliefApplication"]):
    pass


class ReliefApplicationManager(OrgScopedManager.from_queryset(ReliefApplicationQuerySet)):  # type: ignore[misc]
    pass


class ReliefApplication(OrgScopedModel, WorkflowRecord):
    """One matter for one person (一事一议), through community, street and district."""

    workflow_key = "relief_application"

    fund = models.ForeignKey(
        ReliefFund,
        verbose_name=_("救助资金"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    budget = models.ForeignKey(
        FundBudget,
        verbose_name=_("支出预算"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    person = models.ForeignKey(
        "people.Person", verbose_name=_("救助对象"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("家庭户"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hardship = models.CharField(_("困难类型"), max_length=20, choices=Hardship.choices)
    category = models.ForeignKey(
        "people.Category",
        verbose_name=_("人员类别"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("困难情况"))
    amount_requested = models.DecimalField(_("申请金额"), max_digits=MAX_DIGITS, decimal_places=2)
    amount_approved = models.DecimalField(
        _("批准金额"), max_digits=MAX_DIGITS, decimal_places=2, null=True, blank=True
    )
    is_urgent = models.BooleanField(_("救急解难"), default=False)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    meeting_ref = models.CharField(_("会议纪要编号"), max_length=100, blank=True)
    attendees = models.CharField(_("参会人员"), max_length=300, blank=True)
    decision = models.TextField(_("决定意见"), blank=True)

    objects: ClassVar[ReliefApplicationManager] = ReliefApplicationManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("救助申请")
        verbose_name_plural = _("救助申请")
        indexes = [models.Index(fields=["person", "year"], name="assistance_app_person_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0),
                name="assistance_app_amount_positive",
                violation_error_message=_("申请金额必须大于零。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('救助申请')}#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("assistance:application_detail", args=[self.pk])

    @property
    def state_label(self) -> Any:
        from warmhome.core.workflows import get_workflow

        return get_workflow(self.workflow_key).state_label(self.state)

    def todo_title(self) -> str:
        return f"{self} · {self.get_hardship_display()} · {self.amount_requested} {_('元')}"


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("银行转账")
    CASH = "cash", _("现金")


class DisbursementQuerySet(ScopedQuerySet[Any]):
    org_path_lookup = "application__org__path"


class DisbursementManager(OrgScopedManager.from_queryset(DisbursementQuerySet)):  # type: ignore[misc]
    pass


class Disbursement(AuditedModel, TimeStampedModel):
    """The payment of an approved application (one per application)."""

    application = models.OneToOneField(
        ReliefApplication,
        verbose_name=_("救助申请"),
        on_delete=models.PROTECT,
        related_name="disbursement",
    )
    amount = models.DecimalField(_("发放金额"), max_digits=MAX_DIGITS, decimal_places=2)
    method = models.CharField(_("发放方式"), max_length=16, choices=PaymentMethod.choices)
    voucher_number = models.CharField(_("凭证号"), max_length=50)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发放人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_on = models.DateField(_("发放日期"))
    recipient_confirmed = models.BooleanField(_("受助人已确认"), default=False)
    confirmation_note = models.CharField(_("确认方式"), max_length=200, blank=True)
    returned_amount = models.DecimalField(
        _("退回金额"), max_digits=MAX_DIGITS, decimal_places=2, default=ZERO
    )

    objects: ClassVar[DisbursementManager] = DisbursementManager()

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("救助金发放")
        verbose_name_plural = _("救助金发放")

    def __str__(self) -> str:
        return f"{self.voucher_number} · {self.amount}"


class EvidenceQuerySet(ScopedQuerySet[Any]):
    org_path_lookup = "application__org__path"


class EvidenceManager(OrgScopedManager.from_queryset(EvidenceQuerySet)):  # type: ignore[misc]
    pass


class Evidence(AuditedModel, TimeStampedModel):
    """A supporting document of an application (a scanned certificate, a hospital bill)."""

    application = models.ForeignKey(
        ReliefApplication,
        verbose_name=_("救助申请"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    file_path = models.CharField(_("存储路径"), max_length=500)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[EvidenceManager] = EvidenceManager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")

    def __str__(self) -> str:
        return self.file_name
