"""The append-only, hash-chained audit trail.

Each entry's ``entry_hash`` is an HMAC (key ``AUDIT_HMAC_KEY``) over its own canonical content and
the previous entry's hash, so that altering, deleting or inserting a row breaks the chain at that
row. ``AuditChainHead`` holds the last sequence number and hash; writers lock it, which makes the
sequence gap-free under concurrency. Nothing in the application updates or deletes entries.
"""

from typing import Any, Self

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from warmhome.core.scoping import ScopedQuerySet, paths_for


def _is_root_path(path: str) -> bool:
    # Looked up by name: the org tree lives in a layer above core.
    return len(path) == apps.get_model("orgs", "OrgUnit").steplen


class AuditEntryQuerySet(ScopedQuerySet["AuditEntry"]):
    org_path_lookup = "org_path"

    def visible_to(self, user: Any, action: str = "view") -> Self:
        """Entries under the organisations where ``user`` holds ``action``.

        Entries without an organisation (sign-ins, users, roles: system-wide) are kept only for
        a user whose granting post is at a root organisation.
        """
        code = action if "." in action else f"{AuditEntry.scope_action_prefix}.{action}"
        prefixes = paths_for(user, code)
        condition = Q(pk__in=[])
        for prefix in prefixes:
            condition |= Q(org_path__startswith=prefix)
        if any(_is_root_path(prefix) for prefix in prefixes):
            condition |= Q(org_path="")
        scoped = self.filter(condition) if prefixes else self.none()
        scoped._warmhome_scoped = True
        return scoped


class AuditEntry(models.Model):
    class Kind(models.TextChoices):
        CREATE = "create", _("新建")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        READ = "read", _("查阅敏感信息")
        SECURITY = "security", _("安全事件")

    seq = models.BigIntegerField(_("序号"), unique=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    # No foreign key: deleting or renaming a user must not rewrite the trail.
    actor_id = models.BigIntegerField(_("操作人编号"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("操作人"), max_length=150, blank=True)
    client_ip = models.GenericIPAddressField(_("客户端地址"), null=True, blank=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, db_index=True)
    event = models.CharField(_("事件"), max_length=64, blank=True, db_index=True)
    outcome = models.CharField(_("结果"), max_length=16, blank=True)
    model_label = models.CharField(_("数据类型"), max_length=100, blank=True, db_index=True)
    object_pk = models.CharField(_("记录编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("记录"), max_length=200, blank=True)
    org_path = models.CharField(_("组织路径"), max_length=255, blank=True, db_index=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    #: ``visible_to(user, "view")`` checks ``audit.view``
    scope_action_prefix = "audit"

    objects = models.Manager.from_queryset(AuditEntryQuerySet)()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.event or self.model_label}"


class AuditChainHead(models.Model):
    """The single row that writers lock to append to the chain.

    It also holds the checkpoint where the kept chain starts once old entries have been pruned:
    the first kept entry must have seq ``first_seq`` and carry ``first_prev_hash``.
    ``checkpoint_mac`` authenticates that pair, so that nobody without the key can cut entries
    off the start of the chain and move the checkpoint to hide it.
    """

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    first_seq = models.BigIntegerField(default=1)
    first_prev_hash = models.CharField(max_length=64, default="0" * 64)
    checkpoint_mac = models.CharField(max_length=64, blank=True, default="")
    pruned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.first_seq}…#{self.last_seq}"
