"""Help requests (信访/求助, 12338-style petitions) and legal consultations.

Help requests are ordinary org-scoped records: ``org`` is the organisation responsible for the
request (the requester's community, or where it was transferred). They move through the
workflow ``help_request`` (``rights.workflow_requests``); the deadlines of DOMAIN.md §5 are kept
in ``due_at`` by ``rights.services_requests``. A requester is either a registered person (drawn
through ``people.rendering.render_person``) or a name, phone and address typed at intake, which
are encrypted at rest.
"""

from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from warmhome.core.fields import EncryptedTextField
from warmhome.core.models import OrgScopedModel, TimeStampedModel, WorkflowRecord
from warmhome.core.models.base import OrgScopedManager
from warmhome.core.scoping import ScopedQuerySet


class OpinionTopic(models.TextChoices):
    """The fixed topic codes of 妇情民意 analysis (DOMAIN.md §11)."""

    MARRIAGE = "MARRIAGE", _("婚姻家庭纠纷")
    DV = "DV", _("家庭暴力")
    EMPLOY = "EMPLOY", _("就业创业")
    LABOUR = "LABOUR", _("劳动与社会保障权益")
    CHILD = "CHILD", _("儿童关爱与家庭教育")
    ELDER = "ELDER", _("养老照护")
    HEALTH = "HEALTH", _("医疗健康")
    RIGHTS = "RIGHTS", _("人身与财产权益")
    COMMUNITY = "COMMUNITY", _("社区生活与公共服务")
    OTHER = "OTHER", _("其他")


class PetitionCategory(TimeStampedModel):
    """The two-level statistics category of federation petitions; a global managed list.

    Each category names the opinion topic it counts under, so that help requests feed the
    opinion analysis without a mapping in code.
    """

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级类别"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    topic = models.CharField(_("妇情民意主题"), max_length=12, choices=OpinionTopic.choices)
    is_active = models.BooleanField(_("有效"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("信访类别")
        verbose_name_plural = _("信访类别")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="rights_petitioncategory_unique_name",
                violation_error_message=_("同一上级类别下已有同名类别。"),
            )
        ]

    def __str__(self) -> str:
        if self.parent is not None:
            return f"{self.parent.name} / {self.name}"
        return self.name

    @property
    def level(self) -> int:
        return 1 if self.parent_id is None else 2

    @property
    def is_dv(self) -> bool:
        return self.topic == OpinionTopic.DV


class Channel(models.TextChoices):
    LETTER = "letter", _("来信")
    HOTLINE = "hotline", _("来电（12338）")
    VISIT = "visit", _("来访")
    ONLINE = "online", _("网上")
    REFERRAL = "referral", _("转办")


class ReferralSource(models.TextChoices):
    HOTLINE_12345 = "12345", _("12345 市民热线")
    HIGHER_FEDERATION = "higher_federation", _("上级妇联")
    OTHER = "other", _("其他部门")


class Outcome(models.TextChoices):
    SOLVED = "solved", _("问题已解决")
    PARTLY = "partly", _("部分解决")
    EXPLAINED = "explained", _("解释疏导")
    REFERRED = "referred", _("引导通过其他途径解决")
    NOT_ACCEPTED = "not_accepted", _("不予受理")


class ReplyChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    LETTER = "letter", _("书面")
    VISIT = "visit", _("当面")
    SMS = "sms", _("短信")
    ONLINE = "online", _("网上")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


def _request_action(action: str) -> str:
    # "view" alone would mean rights.view, the DV caseworkers' action: requests have their own.
    return "rights.request_view" if action == "view" else action


class HelpRequestQuerySet(ScopedQuerySet["HelpRequest"]):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        return super().visible_to(user, _request_action(action))

    def open(self) -> "HelpRequestQuerySet":
        from warmhome.rights.workflow_requests import OPEN_STATES

        return self.filter(state__in=OPEN_STATES)


class HelpRequestManager(OrgScopedManager.from_queryset(HelpRequestQuerySet)):  # type: ignore[misc]
    pass


class HelpRequest(OrgScopedModel, WorkflowRecord):
    """One help request; ``org`` is the organisation now responsible for it."""

    workflow_key = "help_request"
    scope_action_prefix = "rights"

    number = models.CharField(_("编号"), max_length=20, unique=True)
    #: the intake form's one-time key: a second click of "register" finds the first request
    intake_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel.choices)
    referral_source = models.CharField(
        _("转办来源"), max_length=20, choices=ReferralSource.choices, blank=True
    )
    referral_ref = models.CharField(_("转办单号"), max_length=40, blank=True)
    category = models.ForeignKey(
        PetitionCategory, verbose_name=_("信访类别"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("求助人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requester_name = EncryptedTextField(_("求助人姓名"), blank=True)
    requester_phone = EncryptedTextField(_("联系电话"), blank=True)
    requester_address = EncryptedTextField(_("住址"), blank=True)
    #: the requester's community: what the request was routed by
    community = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("所在社区"), on_delete=models.PROTECT, related_name="+"
    )
    content = EncryptedTextField(_("求助内容"))
    received_on = models.DateField(_("登记日期"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延期天数"), default=0)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    outcome = models.CharField(_("办理结果"), max_length=15, choices=Outcome.choices, blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    reply_channel = models.CharField(
        _("答复方式"), max_length=10, choices=ReplyChannel.choices, blank=True
    )
    satisfaction = models.CharField(
        _("满意度"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    followup_note = models.TextField(_("回访记录"), blank=True)
    followed_up_on = models.DateField(_("回访日期"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[HelpRequestManager] = HelpRequestManager()

    audit_exclude = ("requester_name", "requester_phone", "requester_address", "content")

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("求助信访事项")
        verbose_name_plural = _("求助信访事项")
        indexes = [models.Index(fields=["received_on"], name="rights_helpreq_received")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("rights:helprequest_detail", args=[self.pk])

    def todo_title(self) -> str:
        return f"{self.number} {self.category.name}"

    @property
    def state_label(self) -> Any:
        from warmhome.core.workflows import get_workflow

        return get_workflow(self.workflow_key).state_label(self.state)


class RequestPartQuerySet[M: models.Model](ScopedQuerySet[M]):
    """Records of a help request: visible where their request is."""

    org_path_lookup = "request__org__path"

    def visible_to(self, user: Any, action: str = "view") -> Self:
        return super().visible_to(user, _request_action(action))


class RequestTransferQuerySet(RequestPartQuerySet["RequestTransfer"]):
    pass


class RequestEscalationQuerySet(RequestPartQuerySet["RequestEscalation"]):
    pass


class RequestTransfer(TimeStampedModel):
    """A request moved from one organisation to another, with the reason (kept for history)."""

    request = models.ForeignKey(
        HelpRequest, verbose_name=_("求助事项"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_org = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("转出单位"), on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("转入单位"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("转办理由"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = models.Manager.from_queryset(RequestTransferQuerySet)()

    scope_action_prefix = "rights"

    class Meta:
        ordering = ["request", "created_at", "pk"]
        verbose_name = _("转办记录")
        verbose_name_plural = _("转办记录")

    def __str__(self) -> str:
        return f"{self.request} {self.from_org} → {self.to_org}"


class EscalationStage(models.TextChoices):
    ACCEPTANCE = "acceptance", _("逾期未受理")
    HANDLING = "handling", _("逾期未办结")


class RequestEscalation(TimeStampedModel):
    """An overdue request reported to the level above (``to_org``), once per deadline."""

    request = models.ForeignKey(
        HelpRequest,
        verbose_name=_("求助事项"),
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    from_org = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("逾期环节"), max_length=12, choices=EscalationStage.choices)
    due_on = models.DateField(_("原期限"))

    objects = models.Manager.from_queryset(RequestEscalationQuerySet)()

    scope_action_prefix = "rights"

    class Meta:
        ordering = ["request", "created_at", "pk"]
        verbose_name = _("逾期督办记录")
        verbose_name_plural = _("逾期督办记录")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "stage", "due_on"],
                name="rights_escalation_once_per_deadline",
                violation_error_message=_("该事项的此项逾期已经上报。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} → {self.to_org}"


class LegalConsultationQuerySet(ScopedQuerySet["LegalConsultation"]):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        return super().visible_to(user, _request_action(action))


class LegalConsultationManager(OrgScopedManager.from_queryset(LegalConsultationQuerySet)):  # type: ignore[misc]
    pass


class LegalConsultation(OrgScopedModel):
    """A legal consultation (法律咨询) given by a volunteer lawyer of a legal team."""

    scope_action_prefix = "rights"

    request = models.ForeignKey(
        HelpRequest,
        verbose_name=_("求助事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("咨询人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lawyer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("志愿律师"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    consulted_on = models.DateField(_("咨询日期"))
    question = EncryptedTextField(_("咨询问题"))
    advice = EncryptedTextField(_("法律意见"))
    follow_up_needed = models.BooleanField(_("需要跟进"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[LegalConsultationManager] = LegalConsultationManager()

    audit_exclude = ("question", "advice")

    class Meta:
        ordering = ["-consulted_on", "-pk"]
        verbose_name = _("法律咨询")
        verbose_name_plural = _("法律咨询")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(request__isnull=False) | models.Q(person__isnull=False),
                name="rights_consultation_has_subject",
                violation_error_message=_("请填写咨询人或关联的求助事项。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.consulted_on} #{self.pk}"
