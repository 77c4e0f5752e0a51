"""Spreadsheet imports: one uploaded file (a batch) and the outcome of each of its rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warmhome.core.models.base import OrgScopedModel
from warmhome.core.scoping import ScopedQuerySet


class ImportBatch(OrgScopedModel):
    """An uploaded .xlsx on its way through validation and commit."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("已上传")
        VALIDATING = "validating", _("校验中")
        VALIDATED = "validated", _("已校验")
        COMMITTING = "committing", _("导入中")
        COMMITTED = "committed", _("已导入")
        FAILED = "failed", _("失败")
        CANCELLED = "cancelled", _("已取消")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("全部正确才导入")
        VALID_ONLY = "valid", _("只导入正确的行")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    spec_key = models.CharField(_("导入类型"), max_length=100, db_index=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_path = models.CharField(_("存储路径"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.UPLOADED, db_index=True
    )
    mode = models.CharField(_("导入方式"), max_length=8, choices=Mode.choices, blank=True)
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("后台任务"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    valid_rows = models.PositiveIntegerField(_("正确行数"), default=0)
    error_rows = models.PositiveIntegerField(_("错误行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    skipped_count = models.PositiveIntegerField(_("已存在跳过"), default=0)
    failed_count = models.PositiveIntegerField(_("失败"), default=0)
    error_message = models.TextField(_("错误信息"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")

    def __str__(self) -> str:
        return self.file_name


class ImportRowResultQuerySet(ScopedQuerySet["ImportRowResult"]):
    org_path_lookup = "batch__org__path"


class ImportRowResult(models.Model):
    """What validation and commit made of one data row of a batch."""

    class Status(models.TextChoices):
        VALID = "valid", _("正确")
        INVALID = "invalid", _("有错误")
        CREATED = "created", _("已新增")
        SKIPPED = "skipped", _("已存在，跳过")
        FAILED = "failed", _("导入失败")

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("导入批次"), on_delete=models.CASCADE, related_name="rows"
    )
    row_number = models.PositiveIntegerField(_("行号"))
    natural_key = models.CharField(_("唯一标识"), max_length=255, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices)
    values = models.JSONField(_("原始值"), default=dict, blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True)

    objects = models.Manager.from_queryset(ImportRowResultQuerySet)()

    #: the personal columns of ``values`` are tokens (``ImportSpec.stored_texts``), which
    #: ``warmhome crypto rotate`` re-encrypts
    encrypted_json_fields = ("values",)

    class Meta:
        ordering = ["batch", "row_number"]
        verbose_name = _("导入行结果")
        verbose_name_plural = _("导入行结果")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "row_number"], name="core_importrowresult_batch_row_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}#{self.row_number}"
