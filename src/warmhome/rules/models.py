"""Installation-wide business rules: dated policy values and the working-day calendar.

Neither belongs to an organisation: one district federation runs one installation, and every
module reads the same deadlines, limits and holidays.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warmhome.core.models import AuditedModel, TimeStampedModel


class Policy(AuditedModel, TimeStampedModel):
    """One value of one rule, in force from ``valid_from`` until the next row of the same key."""

    key = models.CharField(_("参数代码"), max_length=64, db_index=True)
    value = models.JSONField(_("取值"))
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    valid_from = models.DateField(_("生效日期"))
    basis = models.TextField(_("依据"))
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["key", "-valid_from"]
        verbose_name = _("政策参数")
        verbose_name_plural = _("政策参数")
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="rules_policy_key_date")
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.valid_from:%Y-%m-%d}"


class CalendarDay(AuditedModel, TimeStampedModel):
    """A day that breaks the Monday-to-Friday rule: a statutory holiday or a make-up workday."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("节假日")
        MAKEUP_WORKDAY = "makeup_workday", _("调休上班日")

    class Source(models.TextChoices):
        PACKAGE = "chinese-calendar", _("chinese-calendar 数据包")
        ADMIN = "admin", _("管理员录入")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=50)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
