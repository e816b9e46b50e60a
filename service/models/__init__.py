"""SQLModel tables: the one layer shared by every domain."""

from service.models.account import (
    AuthSession,
    Membership,
    OIDCIdentity,
    OIDCLinkPending,
    OIDCPending,
    Organisation,
    RateCounter,
    SignupRequest,
    User,
)
from service.models.base import SQLModel
from service.models.deal_room import (
    DealRoom,
    DealRoomAccessRequest,
    DealRoomNda,
    DealRoomNdaAcceptance,
    DealRoomParticipant,
    DealRoomStageMove,
)
from service.models.deal_room_documents import (
    DealRoomDocument,
    DealRoomDocumentAccess,
    DealRoomDocumentVersion,
    DealRoomFolder,
    DealRoomPageView,
    DealRoomPermission,
)
from service.models.deal_room_messages import DealRoomFeedHead, DealRoomMessage
from service.models.deal_room_qa import DealRoomAnswer, DealRoomQuestion
from service.models.idempotency import IdempotencyKey
from service.models.impact import AuditEntry, ClaimStatus, EvidenceFile, ImpactClaim, ImpactClaimEvent
from service.models.investor import InvestorProfile
from service.models.matching import InteractionEvent, ModelVersion
from service.models.notification import Notification
from service.models.outbox import OutboxMessage
from service.models.project import Project, ProjectTransition
from service.models.region import LivingSphere, LivingSphereMember, Municipality, Prefecture

metadata = SQLModel.metadata

__all__ = [
    "AuditEntry",
    "AuthSession",
    "ClaimStatus",
    "DealRoom",
    "DealRoomAccessRequest",
    "DealRoomAnswer",
    "DealRoomDocument",
    "DealRoomDocumentAccess",
    "DealRoomDocumentVersion",
    "DealRoomFeedHead",
    "DealRoomFolder",
    "DealRoomMessage",
    "DealRoomNda",
    "DealRoomNdaAcceptance",
    "DealRoomPageView",
    "DealRoomParticipant",
    "DealRoomPermission",
    "DealRoomQuestion",
    "DealRoomStageMove",
    "EvidenceFile",
    "IdempotencyKey",
    "ImpactClaim",
    "ImpactClaimEvent",
    "InteractionEvent",
    "InvestorProfile",
    "LivingSphere",
    "LivingSphereMember",
    "Membership",
    "ModelVersion",
    "Municipality",
    "Notification",
    "OIDCIdentity",
    "OIDCLinkPending",
    "OIDCPending",
    "Organisation",
    "OutboxMessage",
    "Prefecture",
    "Project",
    "ProjectTransition",
    "RateCounter",
    "SignupRequest",
    "User",
    "metadata",
]
