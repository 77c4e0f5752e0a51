"""The state a workflow record carries, and the timeline of its transitions."""

from typing import ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warmhome.core.models.base import OrgScopedModel


class WorkflowRecord(models.Model):
    """A record moved through the states of one workflow (``workflow_key``).

    Only ``core.workflows.services.transition_apply`` changes these fields; ``version`` rises by
    one with each transition so that a decision taken on a stale page is refused.
    """

    workflow_key: ClassVar[str] = ""

    state = models.CharField(_("状态"), max_length=32, db_index=True)
    state_changed_at = models.DateTimeField(_("状态变更时间"), default=timezone.now)
    version = models.PositiveIntegerField(_("版本"), default=0)
    due_at = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True


class TransitionLog(OrgScopedModel):
    """One step of a record's timeline: who took which transition, when, and why."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("记录类型"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.BigIntegerField(_("记录编号"))
    workflow = models.CharField(_("流程"), max_length=64)
    transition = models.CharField(_("操作"), max_length=64)
    from_state = models.CharField(_("原状态"), max_length=32)
    to_state = models.CharField(_("新状态"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("意见"), blank=True)
    fields = models.JSONField(_("填写内容"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="core_translog_record"),
        ]

    def __str__(self) -> str:
        return f"{self.workflow}:{self.object_id} {self.from_state}→{self.to_state}"
