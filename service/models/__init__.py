"""SQLModel tables: the one layer shared by every domain."""

from service.models.account import (
    AuthSession,
    LoginAttempt,
    Membership,
    OIDCIdentity,
    OIDCPending,
    Organisation,
    User,
)
from service.models.base import SQLModel
from service.models.idempotency import IdempotencyKey
from service.models.impact import AuditEntry, ClaimStatus, EvidenceFile, ImpactClaim, ImpactClaimEvent
from service.models.investor import InvestorProfile
from service.models.matching import InteractionEvent, ModelVersion
from service.models.project import Project, ProjectTransition
from service.models.region import LivingSphere, LivingSphereMember, Municipality, Prefecture

metadata = SQLModel.metadata

__all__ = [
    "AuditEntry",
    "AuthSession",
    "ClaimStatus",
    "EvidenceFile",
    "IdempotencyKey",
    "ImpactClaim",
    "ImpactClaimEvent",
    "InteractionEvent",
    "InvestorProfile",
    "LivingSphere",
    "LivingSphereMember",
    "LoginAttempt",
    "Membership",
    "ModelVersion",
    "Municipality",
    "OIDCIdentity",
    "OIDCPending",
    "Organisation",
    "Prefecture",
    "Project",
    "ProjectTransition",
    "User",
    "metadata",
]
