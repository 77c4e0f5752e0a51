"""The rights app's models, one module per concept: ``cases`` (anti-domestic-violence casework),
``requests`` (help requests and legal consultations)."""

from warmhome.rights.models.cases import (
    PROTECTION_FLAGS,
    AbuserRelationship,
    Addendum,
    BreakGlassAccess,
    CaseStatus,
    DvCase,
    RiskAssessment,
    RiskBand,
)
from warmhome.rights.models.requests import (
    Channel,
    EscalationStage,
    HelpRequest,
    LegalConsultation,
    OpinionTopic,
    Outcome,
    PetitionCategory,
    ReferralSource,
    ReplyChannel,
    RequestEscalation,
    RequestTransfer,
    Satisfaction,
)

__all__ = [
    "PROTECTION_FLAGS",
    "AbuserRelationship",
    "Addendum",
    "BreakGlassAccess",
    "CaseStatus",
    # help requests
    "Channel",
    "DvCase",
    "EscalationStage",
    "HelpRequest",
    "LegalConsultation",
    "OpinionTopic",
    "Outcome",
    "PetitionCategory",
    "ReferralSource",
    "ReplyChannel",
    "RequestEscalation",
    "RequestTransfer",
    "RiskAssessment",
    "RiskBand",
    "Satisfaction",
]
