from warmhome.core.models.audit import AuditChainHead, AuditEntry
from warmhome.core.models.base import AuditedModel, OrgScopedModel, TimeStampedModel
from warmhome.core.models.daily import DailyRun
from warmhome.core.models.imports import ImportBatch, ImportRowResult
from warmhome.core.models.jobs import Job
from warmhome.core.models.workflows import TransitionLog, WorkflowRecord

__all__ = [
    "AuditChainHead",
    "AuditEntry",
    "AuditedModel",
    "DailyRun",
    "ImportBatch",
    "ImportRowResult",
    "Job",
    "OrgScopedModel",
    "TimeStampedModel",
    "TransitionLog",
    "WorkflowRecord",
]
