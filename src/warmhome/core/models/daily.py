from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyRun(models.Model):
    """One day's run of one daily job: the unique row is how two processes agree who runs it."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("运行中")
        DONE = "done", _("完成")
        FAILED = "failed", _("失败")

    name = models.CharField(_("任务"), max_length=80)
    day = models.DateField(_("日期"))
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING
    )
    detail = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("每日任务记录")
        verbose_name_plural = _("每日任务记录")
        constraints = [
            models.UniqueConstraint(fields=["name", "day"], name="core_dailyrun_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"
