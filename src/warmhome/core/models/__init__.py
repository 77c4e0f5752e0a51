from warmhome.core.models.audit import AuditChainHead, AuditEntry
from warmhome.core.models.base import AuditedModel, OrgScopedModel, TimeStampedModel
from warmhome.core.models.jobs import Job

__all__ = [
    "AuditChainHead",
    "AuditEntry",
    "AuditedModel",
    "Job",
    "OrgScopedModel",
    "TimeStampedModel",
]
