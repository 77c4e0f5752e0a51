"""Measures taken in a DV case: safety plan, warning letter and its follow-up visits, protection
order and its history, shelter stays, referrals, the mandatory report, follow-ups and closure.

Every record carries its ``case`` and a ``CasePartQuerySet``: visible exactly when the case is
(``rights.confidentiality``). Free text that may locate or identify the victim is encrypted.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warmhome.core.fields import EncryptedTextField
from warmhome.core.models import AuditedModel, TimeStampedModel
from warmhome.rights.models.cases import CasePartQuerySet, DvCase

_USER = settings.AUTH_USER_MODEL


def _case(related_name: str) -> models.ForeignKey[DvCase, DvCase]:
    return models.ForeignKey(
        DvCase, verbose_name=_("个案"), on_delete=models.PROTECT, related_name=related_name
    )


def _user(label: Any) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(_USER, verbose_name=label, on_delete=models.PROTECT, related_name="+")


class SafetyPlanQuerySet(CasePartQuerySet["SafetyPlan"]):
    pass


class SafetyPlan(AuditedModel, TimeStampedModel):
    """The victim's plan to stay safe (安全计划), one per case, reviewed from time to time."""

    case = models.OneToOneField(
        DvCase, verbose_name=_("个案"), on_delete=models.PROTECT, related_name="safety_plan"
    )
    safe_contacts = EncryptedTextField(_("紧急联系人"), blank=True)
    safe_place = EncryptedTextField(_("安全去处"), blank=True)
    documents_ready = models.BooleanField(_("证件、钱款等已备好"), default=False)
    escape_route = EncryptedTextField(_("撤离路线"), blank=True)
    code_word = EncryptedTextField(_("求助暗号"), blank=True)
    other_items = EncryptedTextField(_("其他事项"), blank=True)
    reviewed_on = models.DateField(_("复核日期"))
    author = _user(_("制定人"))

    objects = models.Manager.from_queryset(SafetyPlanQuerySet)()

    audit_exclude = ("safe_contacts", "safe_place", "escape_route", "code_word", "other_items")

    class Meta:
        verbose_name = _("安全计划")
        verbose_name_plural = _("安全计划")

    def __str__(self) -> str:
        return f"{self.case} {self.reviewed_on}"


class WarningLetterQuerySet(CasePartQuerySet["WarningLetter"]):
    pass


class WarningLetter(AuditedModel, TimeStampedModel):
    """A police warning letter (告诫书) issued to the abuser."""

    case = _case("warning_letters")
    number = models.CharField(_("告诫书编号"), max_length=50)
    issued_on = models.DateField(_("出具日期"))
    police_station = models.CharField(_("出具单位（派出所）"), max_length=100)
    facts = EncryptedTextField(_("事实摘要"), blank=True)

    objects = models.Manager.from_queryset(WarningLetterQuerySet)()

    audit_exclude = ("facts",)

    class Meta:
        ordering = ["case", "-issued_on", "-pk"]
        verbose_name = _("告诫书")
        verbose_name_plural = _("告诫书")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "number"],
                name="rights_warningletter_number_once",
                violation_error_message=_("该告诫书已登记。"),
            )
        ]

    def __str__(self) -> str:
        return self.number


class WarningVisitQuerySet(CasePartQuerySet["WarningVisit"]):
    pass


class WarningVisit(AuditedModel, TimeStampedModel):
    """A follow-up visit by the residents' committee with the police after a warning letter."""

    case = _case("warning_visits")
    letter = models.ForeignKey(
        WarningLetter, verbose_name=_("告诫书"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("回访日期"))
    visitors = models.CharField(_("回访人员"), max_length=200)
    note = EncryptedTextField(_("回访情况"), blank=True)

    objects = models.Manager.from_queryset(WarningVisitQuerySet)()

    audit_exclude = ("note",)

    class Meta:
        ordering = ["letter", "visited_on", "pk"]
        verbose_name = _("告诫书回访")
        verbose_name_plural = _("告诫书回访")

    def __str__(self) -> str:
        return f"{self.letter} {self.visited_on}"


class ApplicantKind(models.TextChoices):
    VICTIM = "victim", _("受害人本人")
    FEDERATION = "federation", _("妇女联合会代为申请")
    RELATIVE = "relative", _("近亲属代为申请")
    POLICE = "police", _("公安机关代为申请")
    COMMITTEE = "committee", _("居民委员会代为申请")
    OTHER = "other", _("其他机构代为申请")


class OrderMeasure(models.TextChoices):
    FORBID_VIOLENCE = "forbid_violence", _("禁止实施家庭暴力")
    FORBID_CONTACT = "forbid_contact", _("禁止骚扰、跟踪、接触")
    MOVE_OUT = "move_out", _("责令迁出住所")
    OTHER = "other", _("其他措施")


class OrderState(models.TextChoices):
    APPLIED = "applied", _("已申请")
    ACCEPTED = "accepted", _("已受理，待裁定")
    ISSUED = "issued", _("已签发")
    REFUSED = "refused", _("已驳回")
    RECONSIDERING = "reconsidering", _("复议中")
    REVOKED = "revoked", _("已撤销")
    WITHDRAWN = "withdrawn", _("已撤回")


#: states in which the court has yet to rule: the case cannot be closed
PENDING_ORDER_STATES = (OrderState.APPLIED, OrderState.ACCEPTED, OrderState.RECONSIDERING)


class ProtectionOrderQuerySet(CasePartQuerySet["ProtectionOrder"]):
    def pending(self) -> "ProtectionOrderQuerySet":
        return self.filter(state__in=PENDING_ORDER_STATES)


class ProtectionOrder(AuditedModel, TimeStampedModel):
    """A personal-safety protection order (人身安全保护令), from application to expiry.

    The state changes only through ``services_measures``; each change adds a
    ``ProtectionOrderEvent``, the order's history.
    """

    case = _case("protection_orders")
    state = models.CharField(
        _("状态"), max_length=20, choices=OrderState.choices, default=OrderState.APPLIED
    )
    applicant_kind = models.CharField(_("申请人"), max_length=20, choices=ApplicantKind.choices)
    court = models.CharField(_("受理法院"), max_length=100)
    is_urgent = models.BooleanField(_("情况紧急"), default=False)
    measures_requested = models.JSONField(_("申请的措施"), default=list)
    other_measure = models.CharField(_("其他措施内容"), max_length=200, blank=True)
    applied_on = models.DateField(_("申请日期"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    ruling_due_at = models.DateTimeField(_("裁定期限"), null=True, blank=True)
    ruled_on = models.DateField(_("裁定日期"), null=True, blank=True)
    order_number = models.CharField(_("保护令文号"), max_length=60, blank=True)
    measures_granted = models.JSONField(_("裁定的措施"), default=list)
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    reconsideration_on = models.DateField(_("申请复议日期"), null=True, blank=True)
    #: a change requested before expiry and not yet decided: "extend", "change" or "revoke"
    pending_change = models.CharField(_("待决定的变更申请"), max_length=10, blank=True)

    objects = models.Manager.from_queryset(ProtectionOrderQuerySet)()

    class Meta:
        ordering = ["case", "-applied_on", "-pk"]
        verbose_name = _("人身安全保护令")
        verbose_name_plural = _("人身安全保护令")

    def __str__(self) -> str:
        return self.order_number or f"{self.case} {self.applied_on}"

    def measure_labels(self, codes: list[str]) -> list[str]:
        labels = dict(OrderMeasure.choices)
        return [str(labels.get(code, code)) for code in codes]

    @property
    def requested_labels(self) -> list[str]:
        return self.measure_labels(self.measures_requested)

    @property
    def granted_labels(self) -> list[str]:
        return self.measure_labels(self.measures_granted)


class OrderEventKind(models.TextChoices):
    APPLIED = "applied", _("提出申请")
    ACCEPTED = "accepted", _("法院受理")
    ISSUED = "issued", _("签发保护令")
    REFUSED = "refused", _("驳回申请")
    RECONSIDERATION = "reconsideration", _("申请复议")
    CHANGE_REQUESTED = "change_requested", _("申请延长、变更或撤销")
    CHANGE_DECIDED = "change_decided", _("变更申请已决定")
    VIOLATION = "violation", _("违反保护令")
    WITHDRAWN = "withdrawn", _("撤回申请")


class ReportedTo(models.TextChoices):
    POLICE = "police", _("公安机关")
    COURT = "court", _("人民法院")
    BOTH = "both", _("公安机关和人民法院")


class ProtectionOrderEventQuerySet(CasePartQuerySet["ProtectionOrderEvent"]):
    pass


class ProtectionOrderEvent(AuditedModel, TimeStampedModel):
    """One step in the history of a protection order (append-only)."""

    case = _case("order_events")
    order = models.ForeignKey(
        ProtectionOrder, verbose_name=_("保护令"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=20, choices=OrderEventKind.choices)
    happened_on = models.DateField(_("日期"))
    note = EncryptedTextField(_("说明"), blank=True)
    reported_to = models.CharField(
        _("已报告"), max_length=10, choices=ReportedTo.choices, blank=True
    )
    data = models.JSONField(_("详情"), default=dict)
    actor = _user(_("记录人"))

    objects = models.Manager.from_queryset(ProtectionOrderEventQuerySet)()

    audit_exclude = ("note",)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("保护令记录")
        verbose_name_plural = _("保护令记录")

    def __str__(self) -> str:
        return f"{self.order} {self.get_kind_display()}"


class ShelterStayQuerySet(CasePartQuerySet["ShelterStay"]):
    pass


class ShelterStay(AuditedModel, TimeStampedModel):
    """A temporary shelter stay (临时庇护). The place is encrypted and never shown in lists."""

    case = _case("shelter_stays")
    place = EncryptedTextField(_("庇护场所"))
    from_on = models.DateField(_("入住日期"))
    until_on = models.DateField(_("离开日期（预计）"))
    children_count = models.PositiveSmallIntegerField(_("随同子女人数"), default=0)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    left_on = models.DateField(_("实际离开日期"), null=True, blank=True)

    objects = models.Manager.from_queryset(ShelterStayQuerySet)()

    audit_exclude = ("place",)

    class Meta:
        ordering = ["case", "-from_on", "-pk"]
        verbose_name = _("临时庇护")
        verbose_name_plural = _("临时庇护")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until_on__gte=models.F("from_on")),
                name="rights_shelterstay_until_after_from",
                violation_error_message=_("离开日期不能早于入住日期。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.from_on}"


class ReferralKind(models.TextChoices):
    LEGAL_AID = "legal_aid", _("法律援助")
    COUNSELLING = "counselling", _("心理疏导")
    MEDICAL = "medical", _("医疗救治")
    SHELTER = "shelter", _("庇护转介")
    OTHER = "other", _("其他")


class ReferralQuerySet(CasePartQuerySet["Referral"]):
    pass


class Referral(AuditedModel, TimeStampedModel):
    """A referral to another service (legal aid, counselling …) and what came of it."""

    case = _case("referrals")
    kind = models.CharField(_("转介类型"), max_length=20, choices=ReferralKind.choices)
    referred_to = models.CharField(_("转介至"), max_length=100)
    referred_on = models.DateField(_("转介日期"))
    outcome = models.TextField(_("结果"), blank=True)
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)

    objects = models.Manager.from_queryset(ReferralQuerySet)()

    class Meta:
        ordering = ["case", "-referred_on", "-pk"]
        verbose_name = _("转介")
        verbose_name_plural = _("转介")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.referred_to}"


class MandatoryReportQuerySet(CasePartQuerySet["MandatoryReport"]):
    pass


class MandatoryReport(AuditedModel, TimeStampedModel):
    """The "reported to police" step (强制报告) for a minor or a person without full capacity.

    The reporter's identity is shown to the station head only (``selectors_measures``).
    """

    case = models.OneToOneField(
        DvCase, verbose_name=_("个案"), on_delete=models.PROTECT, related_name="mandatory_report"
    )
    reported_at = models.DateTimeField(_("报告时间"))
    police_unit = models.CharField(_("接报单位"), max_length=100)
    receipt_number = models.CharField(_("回执编号"), max_length=60)
    reporter = _user(_("报告人"))

    objects = models.Manager.from_queryset(MandatoryReportQuerySet)()

    class Meta:
        verbose_name = _("强制报告")
        verbose_name_plural = _("强制报告")

    def __str__(self) -> str:
        return f"{self.case} {self.receipt_number}"


class FollowUpWay(models.TextChoices):
    PHONE = "phone", _("电话")
    VISIT = "visit", _("上门")
    OFFICE = "office", _("来站面谈")
    ONLINE = "online", _("网络")


class CaseFollowUpQuerySet(CasePartQuerySet["CaseFollowUp"]):
    pass


class CaseFollowUp(AuditedModel, TimeStampedModel):
    """A follow-up contact with the victim and the date of the next one."""

    case = _case("followups")
    followed_on = models.DateField(_("回访日期"))
    way = models.CharField(_("回访方式"), max_length=10, choices=FollowUpWay.choices)
    note = EncryptedTextField(_("回访情况"), blank=True)
    next_on = models.DateField(_("下次回访日期"), null=True, blank=True)
    author = _user(_("回访人"))

    objects = models.Manager.from_queryset(CaseFollowUpQuerySet)()

    audit_exclude = ("note",)

    class Meta:
        ordering = ["case", "-followed_on", "-pk"]
        verbose_name = _("个案回访")
        verbose_name_plural = _("个案回访")

    def __str__(self) -> str:
        return f"{self.case} {self.followed_on}"


class ClosureOutcome(models.TextChoices):
    VIOLENCE_STOPPED = "stopped", _("家暴已停止")
    SAFE_ELSEWHERE = "safe_elsewhere", _("已安全安置")
    DIVORCED = "divorced", _("已离婚或分居")
    TRANSFERRED = "transferred", _("已移交其他机构")
    WITHDREW = "withdrew", _("当事人不再需要服务")
    LOST_CONTACT = "lost_contact", _("失去联系")
    OTHER = "other", _("其他")


class CaseClosureQuerySet(CasePartQuerySet["CaseClosure"]):
    pass


class CaseClosure(AuditedModel, TimeStampedModel):
    """How and when a case was closed (结案)."""

    case = models.OneToOneField(
        DvCase, verbose_name=_("个案"), on_delete=models.PROTECT, related_name="closure"
    )
    closed_on = models.DateField(_("结案日期"))
    outcome = models.CharField(_("结案情形"), max_length=20, choices=ClosureOutcome.choices)
    note = EncryptedTextField(_("结案说明"), blank=True)
    closed_by = _user(_("结案人"))

    objects = models.Manager.from_queryset(CaseClosureQuerySet)()

    audit_exclude = ("note",)

    class Meta:
        verbose_name = _("结案")
        verbose_name_plural = _("结案")

    def __str__(self) -> str:
        return f"{self.case} {self.closed_on}"
