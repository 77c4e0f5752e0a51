"""Certificates the federation issues (honours, training, volunteer hours), verifiable in public.

The facts printed on a certificate are kept as issued and signed (see ``signing.py``); the QR
code on the paper carries the number and the signature, so the public page can tell a genuine
certificate from an altered one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from warmhome.core.models import OrgScopedModel


class Certificate(OrgScopedModel):
    number = models.CharField(_("证书编号"), max_length=40, unique=True)
    kind = models.CharField(_("证书类别"), max_length=100)
    #: as printed: already masked where the holder's name must not be public in full
    holder_display = models.CharField(_("持证人"), max_length=100)
    issuer = models.CharField(_("颁发单位"), max_length=100)
    issued_on = models.DateField(_("颁发日期"))
    #: key facts as (label, value) pairs, in printed order
    facts = models.JSONField(_("证书事项"), default=list, blank=True)
    signature = models.CharField(_("验证码"), max_length=64)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
