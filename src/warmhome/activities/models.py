"""Activities: one engine for every module's events, their sign-ups and their attendance.

An ``Activity`` belongs to its organiser (``org``); ``SignUp`` and ``Attendance`` carry the
activity's organisation too, so that they are scoped by one indexed predicate like everything
else. A sign-up names a registry ``Person`` when one matched, or keeps the name and phone a
resident typed on the public page (a *guest*): the public page never tells which.
"""

import secrets
from typing import ClassVar

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from warmhome.core.fields import BlindIndexField, EncryptedTextField
from warmhome.core.models import OrgScopedModel, TimeStampedModel, WorkflowRecord
from warmhome.core.models.base import OrgScopedManager
from warmhome.core.scoping import ScopedQuerySet

COVER_EXTENSIONS = ("jpg", "jpeg", "png", "webp")


class ActivityKind(TimeStampedModel):
    """A managed kind of activity (志愿服务, 学习交流 …); a global list, not org-owned."""

    SALON = "salon"

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    is_active = models.BooleanField(_("有效"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")

    def __str__(self) -> str:
        return self.name


def _public_code() -> str:
    return secrets.token_urlsafe(9)


class ActivityQuerySet(ScopedQuerySet["Activity"]):
    def open_for_signup(self) -> "ActivityQuerySet":
        return self.filter(state__in=("published", "under_way"))


class ActivityManager(OrgScopedManager.from_queryset(ActivityQuerySet)):  # type: ignore[misc]
    pass


class Activity(WorkflowRecord, OrgScopedModel):
    """An activity organised by ``org`` (the organiser unit), moved by the ``activity`` workflow."""

    workflow_key = "activity"

    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("活动类型"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("活动名称"), max_length=100)
    co_organisers = models.ManyToManyField(
        "orgs.OrgUnit",
        verbose_name=_("协办组织"),
        blank=True,
        related_name="co_organised_activities",
    )
    venue = models.CharField(_("活动地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"), default=0, help_text=_("0 表示不限名额。"))
    audience = models.CharField(_("参加对象"), max_length=200, blank=True)
    signup_opens_at = models.DateTimeField(_("报名开始时间"), null=True, blank=True)
    signup_closes_at = models.DateTimeField(_("报名截止时间"), null=True, blank=True)
    description = models.TextField(_("活动内容"), blank=True)
    cover = models.ImageField(
        _("封面图片"),
        upload_to="activities/covers/%Y/",
        blank=True,
        validators=[FileExtensionValidator(COVER_EXTENSIONS)],
    )
    topic = models.CharField(_("沙龙主题"), max_length=200, blank=True)
    minutes = models.TextField(_("沙龙纪要"), blank=True)
    summary = models.TextField(_("活动总结"), blank=True)
    public_code = models.CharField(
        _("公开报名码"), max_length=16, unique=True, default=_public_code, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[ActivityManager] = ActivityManager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        indexes = [models.Index(fields=["org", "starts_at"], name="activities_org_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activities_activity_ends_after_start",
                violation_error_message=_("结束时间应晚于开始时间。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_salon(self) -> bool:
        return self.kind.code == ActivityKind.SALON


class ActivityPhoto(OrgScopedModel):
    """A photo of the activity's summary."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        _("照片"),
        upload_to="activities/photos/%Y/",
        validators=[FileExtensionValidator(COVER_EXTENSIONS)],
    )
    caption = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def __str__(self) -> str:
        return self.caption or str(self.image.name)


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITING = "waiting", _("候补")
    CANCELLED = "cancelled", _("已取消")


class SignUpChannel(models.TextChoices):
    STAFF = "staff", _("工作人员代报")
    SELF = "self", _("本人报名")
    WALK_IN = "walk_in", _("现场签到")


ACTIVE_SIGNUP = Q(status__in=(SignUpStatus.CONFIRMED, SignUpStatus.WAITING))


class SignUp(OrgScopedModel):
    """One person's place (or place on the waiting list) in one activity."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="signups"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_signups",
    )
    #: what a resident typed on the public page when no registry person matched
    guest_name = models.CharField(_("报名姓名"), max_length=50, blank=True)
    guest_phone = EncryptedTextField(_("报名电话"), blank=True)
    guest_phone_index = BlindIndexField(source="guest_phone", purpose="phone")
    status = models.CharField(
        _("报名状态"), max_length=12, choices=SignUpStatus.choices, default=SignUpStatus.CONFIRMED
    )
    channel = models.CharField(_("报名方式"), max_length=12, choices=SignUpChannel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    promoted_at = models.DateTimeField(_("递补时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    audit_exclude = ("guest_phone", "guest_phone_index")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        indexes = [
            models.Index(fields=["activity", "status"], name="activities_signup_status"),
            # The check-in's look-up of a guest by phone. The partial unique constraint below
            # holds the same columns, but SQLite uses a partial index only when the query
            # repeats its condition in literals, and Django binds them as parameters: without
            # this it read the activity's sign-ups in order, longer with each check-in.
            models.Index(fields=["activity", "guest_phone_index"], name="activities_signup_phone"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=ACTIVE_SIGNUP & Q(person__isnull=False),
                name="activities_signup_one_per_person",
                violation_error_message=_("该人员已报名本活动。"),
            ),
            models.UniqueConstraint(
                fields=["activity", "guest_phone_index"],
                condition=ACTIVE_SIGNUP & Q(person__isnull=True),
                name="activities_signup_one_per_guest_phone",
                violation_error_message=_("该手机号已报名本活动。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.person_id or self.guest_name}"

    @property
    def is_guest(self) -> bool:
        return self.person_id is None


class AttendanceStatus(models.TextChoices):
    CHECKED_IN = "checked_in", _("已签到")
    CHECKED_OUT = "checked_out", _("已签退")


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    LIST = "list", _("工作人员勾选")


class Attendance(OrgScopedModel):
    """Presence at an activity: checked in (and later out) once per sign-up.

    What other modules read (see ``activities.hooks``): ``activity``, ``person`` (``None`` for a
    guest not matched in the registry), ``checked_in_at``, ``checked_out_at``, ``status``, ``org``.
    """

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="attendances"
    )
    signup = models.OneToOneField(
        SignUp, verbose_name=_("报名"), on_delete=models.PROTECT, related_name="attendance"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_attendances",
    )
    checked_in_at = models.DateTimeField(_("签到时间"))
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    status = models.CharField(
        _("签到状态"),
        max_length=12,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.CHECKED_IN,
    )
    method = models.CharField(_("签到方式"), max_length=8, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["checked_in_at", "pk"]
        verbose_name = _("签到记录")
        verbose_name_plural = _("签到记录")
        indexes = [models.Index(fields=["person", "checked_in_at"], name="activities_att_person")]
        constraints = [
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gt=F("checked_in_at")),
                name="activities_attendance_out_after_in",
                violation_error_message=_("签退时间应晚于签到时间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.signup_id}"
