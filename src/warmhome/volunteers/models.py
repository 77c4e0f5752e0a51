"""Women's volunteer service (巾帼志愿服务): teams, volunteers, service hours, certificates.

Service hours follow the national volunteer-record rules (志愿服务条例, DOMAIN.md §6): a record
holds the activity, the date and time, the hours, the content and the certifying organisation
(``org``). Records are never edited in place: a correction writes a ``ServiceRecordCorrection``
with its reason, and a withdrawn record stays in the register in the state ``revoked``.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warmhome.core.models import AuditedModel, OrgScopedModel, TimeStampedModel, WorkflowRecord
from warmhome.core.models.base import OrgScopedManager
from warmhome.core.scoping import ScopedQuerySet


class ServiceCategory(TimeStampedModel):
    """A managed kind of service (扶贫帮困, 普法宣传 …); a global list, not org-owned."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    is_active = models.BooleanField(_("有效"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")

    def __str__(self) -> str:
        return self.name


class TeamKind(TimeStampedModel):
    """A managed kind of team (巾帼志愿者服务队, 反家暴志愿者队伍 …)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    is_active = models.BooleanField(_("有效"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("队伍类型")
        verbose_name_plural = _("队伍类型")

    def __str__(self) -> str:
        return self.name


class Team(OrgScopedModel):
    name = models.CharField(_("队伍名称"), max_length=100)
    kind = models.ForeignKey(
        TeamKind, verbose_name=_("队伍类型"), on_delete=models.PROTECT, related_name="teams"
    )
    categories = models.ManyToManyField(
        ServiceCategory, verbose_name=_("服务类别"), blank=True, related_name="teams"
    )
    description = models.TextField(_("简介"), blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["org__path", "name", "pk"]
        verbose_name = _("志愿者队伍")
        verbose_name_plural = _("志愿者队伍")

    def __str__(self) -> str:
        return self.name


class Availability(models.TextChoices):
    ANYTIME = "anytime", _("时间灵活")
    WEEKDAYS = "weekdays", _("工作日")
    WEEKENDS = "weekends", _("周末")
    EVENINGS = "evenings", _("工作日晚间")


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    PAUSED = "paused", _("暂停服务")
    LEFT = "left", _("已退出")


class Volunteer(OrgScopedModel):
    """A person's volunteer profile; ``org`` is the organisation that registered her."""

    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="volunteer_profile",
    )
    #: her own account, if she has one: how she reaches her own page (see docs/user-guide)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_profile",
    )
    number = models.CharField(_("志愿者编号"), max_length=30, unique=True, blank=True, null=True)
    national_number = models.CharField(_("中国志愿服务网编号"), max_length=40, blank=True)
    skills = models.CharField(_("特长技能"), max_length=200, blank=True)
    categories = models.ManyToManyField(
        ServiceCategory, verbose_name=_("服务意向"), blank=True, related_name="volunteers"
    )
    availability = models.CharField(
        _("可服务时间"), max_length=20, choices=Availability.choices, default=Availability.ANYTIME
    )
    service_areas = models.ManyToManyField(
        "orgs.OrgUnit", verbose_name=_("服务区域"), blank=True, related_name="+"
    )
    joined_on = models.DateField(_("加入日期"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=VolunteerStatus.choices,
        default=VolunteerStatus.ACTIVE,
        db_index=True,
    )

    class Meta:
        ordering = ["org__path", "pk"]
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")

    def __str__(self) -> str:
        return f"{_('志愿者')} {self.number or self.pk}"


class TeamMemberQuerySet(ScopedQuerySet[Any]):
    org_path_lookup = "team__org__path"


class TeamMemberManager(OrgScopedManager.from_queryset(TeamMemberQuerySet)):  # type: ignore[misc]
    pass


class TeamMember(AuditedModel, TimeStampedModel):
    class Role(models.TextChoices):
        MEMBER = "member", _("队员")
        LEADER = "leader", _("队长")

    team = models.ForeignKey(
        Team, verbose_name=_("队伍"), on_delete=models.PROTECT, related_name="members"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("职务"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("入队日期"))
    left_on = models.DateField(_("离队日期"), null=True, blank=True)

    objects: ClassVar[TeamMemberManager] = TeamMemberManager()

    class Meta:
        ordering = ["team", "pk"]
        verbose_name = _("队伍成员")
        verbose_name_plural = _("队伍成员")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "volunteer"],
                condition=models.Q(left_on__isnull=True),
                name="volunteers_member_once_per_team",
                violation_error_message=_("该志愿者已在这支队伍中。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.team}/{self.volunteer}"


class RecordSource(models.TextChoices):
    ATTENDANCE = "attendance", _("签到签退")
    MANUAL = "manual", _("手工录入")


class ServiceRecord(WorkflowRecord, OrgScopedModel):
    """One piece of service time; ``org`` is the certifying organisation (记录单位)."""

    workflow_key = "volunteers.service_record"

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="records"
    )
    #: the activity as ``app.Model:pk`` (activities live in their own app) and its title
    activity_ref = models.CharField(_("活动编号"), max_length=64, blank=True, db_index=True)
    activity_title = models.CharField(_("活动名称"), max_length=200)
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("服务类别"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service_date = models.DateField(_("服务日期"))
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=7, decimal_places=2)
    content = models.CharField(_("服务内容"), max_length=500)
    source = models.CharField(_("来源"), max_length=12, choices=RecordSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-service_date", "-pk"]
        verbose_name = _("志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        indexes = [
            models.Index(
                fields=["volunteer", "state", "service_date"], name="volunteers_record_volunteer"
            ),
            # The monthly figures by street read this index alone (PostgreSQL ``include``).
            models.Index(
                fields=["service_date"],
                name="volunteers_record_date",
                include=["state", "org", "hours", "category"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__gt=models.F("started_at")),
                name="volunteers_record_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0), name="volunteers_record_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('服务记录')}#{self.pk} {self.hours}h"


class RecordChildQuerySet(ScopedQuerySet[Any]):
    org_path_lookup = "record__org__path"


class RecordChildManager(OrgScopedManager.from_queryset(RecordChildQuerySet)):  # type: ignore[misc]
    pass


class ServiceRecordCorrection(AuditedModel, TimeStampedModel):
    """One correction of a service record: what it was, what it became, who and why."""

    record = models.ForeignKey(
        ServiceRecord,
        verbose_name=_("服务记录"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("更正原因"), max_length=500)
    before = models.JSONField(_("更正前"), default=dict)
    after = models.JSONField(_("更正后"), default=dict)

    objects: ClassVar[RecordChildManager] = RecordChildManager()

    class Meta:
        ordering = ["record", "created_at", "pk"]
        verbose_name = _("服务记录更正")
        verbose_name_plural = _("服务记录更正")

    def __str__(self) -> str:
        return f"{self.record}: {self.reason[:20]}"


class VolunteerCertificate(OrgScopedModel):
    """The register of 志愿服务记录证明 issued to volunteers (the signed certificate itself is
    ``certificates.Certificate``)."""

    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("志愿者"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    certificate = models.OneToOneField(
        "certificates.Certificate",
        verbose_name=_("证书"),
        on_delete=models.PROTECT,
        related_name="volunteer_certificate",
    )
    period_start = models.DateField(_("服务起始日期"), null=True, blank=True)
    period_end = models.DateField(_("服务截止日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=9, decimal_places=2)
    responsible_person = models.CharField(_("负责人"), max_length=50)
    handler = models.CharField(_("经办人"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=50)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("更正后证明"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("志愿服务记录证明")
        verbose_name_plural = _("志愿服务记录证明")

    def __str__(self) -> str:
        return f"{_('志愿服务记录证明')} {self.certificate_id}"


class CertificateCorrection(WorkflowRecord, OrgScopedModel):
    """A volunteer's request to correct a certificate, decided by the organiser."""

    workflow_key = "volunteers.certificate_correction"

    volunteer_certificate = models.ForeignKey(
        VolunteerCertificate,
        verbose_name=_("志愿服务记录证明"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    message = models.TextField(_("更正内容"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("证明更正申请")
        verbose_name_plural = _("证明更正申请")

    def __str__(self) -> str:
        return f"{_('证明更正申请')}#{self.pk}"


class MonthlyHoursQuerySet(ScopedQuerySet["MonthlyHours"]):
    pass


class MonthlyHours(models.Model):
    """Approved hours per certifying organisation and month, kept by the services.

    Bookkeeping, not history (hence not audited): ``services`` add and subtract here in the
    transaction that approves, revokes or corrects a record, and ``monthly_hours_rebuild``
    recomputes it from the records. The district's monthly figures read this table: a year of a
    city is ~200,000 rows here instead of millions of records.
    """

    org = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("记录单位"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("月份"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=12, decimal_places=2, default=0)
    records = models.IntegerField(_("记录数"), default=0)

    objects = models.Manager.from_queryset(MonthlyHoursQuerySet)()

    class Meta:
        verbose_name = _("月度服务时长")
        verbose_name_plural = _("月度服务时长")
        constraints = [
            models.UniqueConstraint(fields=["month", "org"], name="volunteers_monthly_once"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id}:{self.month:%Y-%m} {self.hours}h"
