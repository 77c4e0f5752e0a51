"""Evidence attachments of relief applications: only the file kinds a scan or photo comes in,
checked by their content, not by their name."""

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.assistance.models import Evidence, ReliefApplication
from warmhome.core.audit.services import attributed_service
from warmhome.rules.selectors import policy_value

#: extension → (content type, the bytes a file of that kind starts with)
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
CLOSED_STATES = ("rejected", "cancelled", "returned")


def check_evidence_file(file_name: str, data: bytes) -> tuple[str, str]:
    """The extension and content type of an acceptable file; a Chinese refusal otherwise."""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            {"file": [_("只能上传 PDF、JPG 或 PNG 格式的证明材料。")]}, code="file_type"
        )
    content_type, signatures = ALLOWED[extension]
    if not data:
        raise ValidationError({"file": [_("上传的文件是空的。")]})
    limit_mb = int(policy_value("relief.evidence_max_mb"))
    if len(data) > limit_mb * 1024 * 1024:
        raise ValidationError(
            {"file": [_("文件超过 %(limit)s MB，请压缩后再上传。") % {"limit": limit_mb}]}
        )
    if not any(data.startswith(signature) for signature in signatures):
        raise ValidationError(
            {"file": [_("文件内容与扩展名不符，请上传真实的 PDF、JPG 或 PNG 文件。")]}
        )
    return extension, content_type


@attributed_service
@transaction.atomic
def evidence_attach(
    *, actor: Any, application: ReliefApplication, file_name: str, data: bytes
) -> Evidence:
    """Store a checked evidence file with the application."""
    if not (
        actor.has_action("assistance.apply", application.org)
        or actor.has_action("assistance.review", application.org)
    ):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))
    if application.state in CLOSED_STATES:
        raise ValidationError(_("该申请已办结，不能再补充材料。"))
    extension, content_type = check_evidence_file(file_name, data)
    stored = default_storage.save(
        f"assistance/evidence/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}",
        ContentFile(data),
    )
    return Evidence.objects.create(
        application=application,
        file_name=file_name[:255],
        file_path=stored,
        content_type=content_type,
        size=len(data),
        uploaded_by=actor,
    )
