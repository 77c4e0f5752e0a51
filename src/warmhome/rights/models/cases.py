"""Anti-domestic-violence cases (反家暴工作站): intake, addenda, risk assessments, break-glass.

Narratives, history and the abuser's name are encrypted at rest. Every queryset applies the
case-team rule of ``rights.confidentiality`` on top of the organisation scoping.
"""

from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warmhome.core.fields import EncryptedTextField
from warmhome.core.models import AuditedModel, OrgScopedModel, TimeStampedModel
from warmhome.core.models.base import OrgScopedManager
from warmhome.core.scoping import ScopedQuerySet
from warmhome.rights.confidentiality import ORG_ONLY_ACTIONS, case_condition


def _code(action: str) -> str:
    return action if "." in action else f"rights.{action}"


def _mark_scoped[Q: ScopedQuerySet[Any]](queryset: Q, condition: Any) -> Q:
    scoped = queryset.filter(condition) if condition is not None else queryset.none()
    scoped._warmhome_scoped = True
    return scoped


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("登记中")
    OPEN = "open", _("办理中")
    CLOSED = "closed", _("已结案")


class RiskBand(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class AbuserRelationship(models.TextChoices):
    SPOUSE = "spouse", _("配偶")
    FORMER_SPOUSE = "former_spouse", _("前配偶")
    COHABITANT = "cohabitant", _("共同生活人员")
    PARENT = "parent", _("父母")
    CHILD = "child", _("子女")
    OTHER_FAMILY = "other_family", _("其他家庭成员")
    OTHER = "other", _("其他")


class DvCaseQuerySet(ScopedQuerySet["DvCase"]):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        code = _code(action)
        if code in ORG_ONLY_ACTIONS:
            return super().visible_to(user, code)
        return _mark_scoped(self, case_condition(user, code))


class DvCaseManager(OrgScopedManager.from_queryset(DvCaseQuerySet)):  # type: ignore[misc]
    pass


class DvCase(OrgScopedModel):
    """One case; ``org`` is the station's unit (or the community) that holds it."""

    number = models.CharField(_("个案编号"), max_length=20, unique=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    victim = models.ForeignKey(
        "people.Person", verbose_name=_("受害人"), on_delete=models.PROTECT, related_name="+"
    )
    children = models.ManyToManyField(
        "people.Person", verbose_name=_("涉及子女"), blank=True, related_name="dv_cases_as_child"
    )
    abuser_name = EncryptedTextField(_("施暴人姓名"), blank=True)
    abuser_relationship = models.CharField(
        _("与受害人关系"), max_length=20, choices=AbuserRelationship.choices
    )
    is_minor = models.BooleanField(_("未成年人"), default=False)
    is_elderly = models.BooleanField(_("老年人"), default=False)
    is_disabled = models.BooleanField(_("残疾人"), default=False)
    is_pregnant_or_nursing = models.BooleanField(_("孕期、哺乳期妇女"), default=False)
    is_seriously_ill = models.BooleanField(_("重病患者"), default=False)
    lacks_capacity = models.BooleanField(
        _("无民事行为能力或限制民事行为能力的成年人"),
        default=False,
        help_text=_("如精神或智力障碍，不能完全辨认自己的行为；此类情形须向公安机关强制报告。"),
    )
    history = EncryptedTextField(_("既往家暴情况"), blank=True)
    narrative = EncryptedTextField(_("受理陈述"), blank=True)
    opened_on = models.DateField(_("受理日期"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    risk_band = models.CharField(
        _("最近风险等级"), max_length=10, choices=RiskBand.choices, blank=True
    )
    case_workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人员"), blank=True, related_name="+"
    )

    objects: ClassVar[DvCaseManager] = DvCaseManager()

    audit_exclude = ("abuser_name", "history", "narrative")

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("反家暴个案")
        verbose_name_plural = _("反家暴个案")

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_locked(self) -> bool:
        """A submitted narrative is evidence: corrected only by dated addenda."""
        return self.status != CaseStatus.DRAFT

    @property
    def protection_flags(self) -> list[str]:
        fields = {field.name: field for field in self._meta.concrete_fields}
        return [
            str(fields[name].verbose_name)
            for name in (*PROTECTION_FLAGS, "lacks_capacity")
            if getattr(self, name)
        ]


PROTECTION_FLAGS = (
    "is_minor",
    "is_elderly",
    "is_disabled",
    "is_pregnant_or_nursing",
    "is_seriously_ill",
)


class CasePartQuerySet[M: models.Model](ScopedQuerySet[M]):
    """Records of a case: visible exactly when their case is."""

    org_path_lookup = "case__org__path"

    def visible_to(self, user: Any, action: str = "view") -> Self:
        return _mark_scoped(self, case_condition(user, _code(action), prefix="case__"))


class AddendumQuerySet(CasePartQuerySet["Addendum"]):
    pass


class RiskAssessmentQuerySet(CasePartQuerySet["RiskAssessment"]):
    pass


class Addendum(AuditedModel, TimeStampedModel):
    """A dated correction or completion of a locked narrative."""

    case = models.ForeignKey(
        DvCase, verbose_name=_("个案"), on_delete=models.PROTECT, related_name="addenda"
    )
    written_on = models.DateField(_("补充日期"))
    text = EncryptedTextField(_("补充内容"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("补充人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = models.Manager.from_queryset(AddendumQuerySet)()

    audit_exclude = ("text",)

    class Meta:
        ordering = ["case", "written_on", "pk"]
        verbose_name = _("补充说明")
        verbose_name_plural = _("补充说明")

    def __str__(self) -> str:
        return f"{self.case} {self.written_on}"


class RiskAssessment(AuditedModel, TimeStampedModel):
    """Raw answers of one instrument on one date, scored by a versioned definition."""

    case = models.ForeignKey(
        DvCase, verbose_name=_("个案"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("评估日期"))
    instrument = models.CharField(_("评估工具"), max_length=20)
    definition_version = models.PositiveSmallIntegerField(_("评分定义版本"))
    #: the cut-offs and item codes in force when scored, so a later change rescoring nothing
    definition = models.JSONField(_("评分定义"), default=dict)
    answers = models.JSONField(_("原始答案"), default=dict)
    score = models.PositiveSmallIntegerField(_("得分"))
    band = models.CharField(_("风险等级"), max_length=10, choices=RiskBand.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = models.Manager.from_queryset(RiskAssessmentQuerySet)()

    class Meta:
        ordering = ["case", "-assessed_on", "-pk"]
        verbose_name = _("风险评估")
        verbose_name_plural = _("风险评估")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "instrument", "assessed_on"],
                name="rights_riskassessment_one_per_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.instrument} {self.assessed_on}"


class BreakGlassQuerySet(ScopedQuerySet["BreakGlassAccess"]):
    """Grants seen by the station head (``rights.supervise``) and by their own holder."""

    org_path_lookup = "case__org__path"

    def visible_to(self, user: Any, action: str = "view") -> Self:
        from django.db.models import Q

        from warmhome.core.scoping import paths_for

        scoped = super().visible_to(user, action)
        if user is None or not getattr(user, "is_authenticated", False):
            return scoped.none()
        condition = Q(user_id=user.pk)
        for path in paths_for(user, "rights.supervise"):
            condition |= Q(case__org__path__startswith=path)
        return scoped.filter(condition)


class BreakGlassAccess(AuditedModel, TimeStampedModel):
    """Someone outside the team opened a case, with a reason, for a short time."""

    case = models.ForeignKey(
        DvCase, verbose_name=_("个案"), on_delete=models.PROTECT, related_name="break_glass"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查阅人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("查阅事由"))
    expires_at = models.DateTimeField(_("有效至"))

    objects = models.Manager.from_queryset(BreakGlassQuerySet)()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("紧急查阅记录")
        verbose_name_plural = _("紧急查阅记录")

    def __str__(self) -> str:
        return f"{self.case} {self.user}"
