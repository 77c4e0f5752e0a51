"""The rights app's models, one module per concept: ``cases`` (anti-domestic-violence casework)."""

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

__all__ = [
    "PROTECTION_FLAGS",
    "AbuserRelationship",
    "Addendum",
    "BreakGlassAccess",
    "CaseStatus",
    "DvCase",
    "RiskAssessment",
    "RiskBand",
]
