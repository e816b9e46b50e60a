"""The write endpoints under test: how each is called, and which tables it must leave untouched."""

from __future__ import annotations

from typing import Any

from service.models import (
    AuditEntry,
    DealRoom,
    DealRoomAccessRequest,
    DealRoomAnswer,
    DealRoomDocument,
    DealRoomDocumentAccess,
    DealRoomDocumentVersion,
    DealRoomFeedHead,
    DealRoomFolder,
    DealRoomMessage,
    DealRoomNda,
    DealRoomNdaAcceptance,
    DealRoomPageView,
    DealRoomParticipant,
    DealRoomPermission,
    DealRoomQuestion,
    DealRoomStageMove,
    EvidenceFile,
    ImpactClaim,
    ImpactClaimEvent,
    InteractionEvent,
    InvestorProfile,
    LivingSphere,
    Membership,
    ModelVersion,
    Notification,
    Organisation,
    OutboxMessage,
    Project,
    ProjectTransition,
    RateCounter,
    SignupRequest,
    User,
)

_ROOM_TABLES = (
    DealRoom,
    DealRoomParticipant,
    DealRoomAccessRequest,
    DealRoomStageMove,
    DealRoomNda,
    DealRoomNdaAcceptance,
    AuditEntry,
)
#: Tables whose row counts must not change, per endpoint.
TABLES: dict[str, tuple[Any, ...]] = {
    "signup": (User, Organisation, Membership, SignupRequest, OutboxMessage),
    "login": (RateCounter,),
    "verify_email": (User, SignupRequest),
    "org_create": (Organisation,),
    "org_patch": (Organisation,),
    "members": (Membership,),
    "sphere": (LivingSphere,),
    "project_create": (Project,),
    "project_patch": (Project,),
    "transition": (ProjectTransition,),
    "decision": (ProjectTransition,),
    "investor_create": (InvestorProfile,),
    "investor_patch": (InvestorProfile,),
    "investor_delete": (InvestorProfile,),
    "event": (InteractionEvent,),
    "model_activate": (ModelVersion,),
    "model_rollback": (ModelVersion,),
    # ── impact, claims and audit (issue 3) ──
    "calculate": (AuditEntry,),
    "claim_submit": (ImpactClaim, ImpactClaimEvent, AuditEntry),
    "claim_decide": (ImpactClaimEvent, AuditEntry),
    "claim_resubmit": (ImpactClaimEvent, AuditEntry),
    "claim_contest": (ImpactClaimEvent, AuditEntry),
    "claim_evidence": (EvidenceFile, AuditEntry),
    # ── deal rooms (issue 8) ──
    **dict.fromkeys(
        ("room_open", "room_ask", "room_invite", "room_remove", "room_leave", "room_decide", "room_move"),
        _ROOM_TABLES,
    ),
    "room_nda": _ROOM_TABLES,
    "room_accept": _ROOM_TABLES,
    # ── notifications (issue 8 §5) ──
    "notification_read": (Notification, OutboxMessage),
    # ── deal-room Q&A (issue 8, §3) ──
    **dict.fromkeys(
        ("qa_ask", "qa_assign", "qa_answer", "qa_publish", "qa_unpublish"),
        (DealRoomQuestion, DealRoomAnswer, *_ROOM_TABLES),
    ),
    # ── the data room (issue 8 §2) ──
    **dict.fromkeys(
        (
            "folder_create",
            "folder_update",
            "folder_delete",
            "folder_permission",
            "document_upload",
            "document_version",
            "page_view",
            "document_permission",
        ),
        (
            DealRoomFolder,
            DealRoomDocument,
            DealRoomDocumentVersion,
            DealRoomPermission,
            DealRoomDocumentAccess,
            DealRoomPageView,
            AuditEntry,
        ),
    ),
    "room_message": (*_ROOM_TABLES, DealRoomMessage, DealRoomFeedHead),
}

ENDPOINTS: dict[str, tuple[str, str, str]] = {
    # key: (method, path, caller)
    "signup": ("POST", "/auth/signup", "anonymous"),
    "login": ("POST", "/auth/login", "anonymous"),
    "verify_email": ("POST", "/auth/verify-email", "anonymous"),
    "org_create": ("POST", "/organisations", "admin"),
    "org_patch": ("PATCH", "/organisations/{org_a}", "lead_owner"),
    "members": ("POST", "/organisations/{org_a}/members", "admin"),
    "sphere": ("POST", "/regions/living-spheres", "admin"),
    "project_create": ("POST", "/projects", "lead_owner"),
    "project_patch": ("PATCH", "/projects/{draft}", "lead_owner"),
    "transition": ("POST", "/projects/{draft}/transitions", "lead_owner"),
    "decision": ("POST", "/vetting/{submitted}/decision", "admin"),
    "investor_create": ("POST", "/investors", "investor"),
    "investor_patch": ("PATCH", "/investors/{hidden_user}", "investor"),
    "investor_delete": ("DELETE", "/investors/{hidden_user}", "investor"),
    "event": ("POST", "/events", "investor"),
    # No model version exists in the shared world: every case names an unknown one.
    "model_activate": ("POST", "/admin/models/{version_id}/activate", "admin"),
    "model_rollback": ("POST", "/admin/models/rollback", "admin"),
    # ── impact, claims and audit (issue 3): no claim exists in the shared world, so claim cases
    # name an unknown one (body errors are found before the claim is looked up); the claim cycle,
    # evidence types and sizes are in test_claims.py.
    "calculate": ("POST", "/impact/calculate", "anonymous"),
    "claim_submit": ("POST", "/projects/{draft}/claims", "lead_owner"),
    "claim_decide": ("POST", "/claims/{claim_id}/decisions", "admin"),
    "claim_resubmit": ("POST", "/claims/{claim_id}/resubmit", "lead_owner"),
    "claim_contest": ("POST", "/claims/{claim_id}/contest", "lead_owner"),
    "claim_evidence": ("POST", "/claims/{claim_id}/evidence", "lead_owner"),
    # ── deal rooms (issue 8): no room exists in the shared world (see cases_deal_rooms.py) ──
    "room_open": ("POST", "/projects/{vetted}/deal-room", "lead_owner"),
    "room_ask": ("POST", "/projects/{vetted}/deal-room/access-requests", "investor"),
    "room_invite": ("POST", "/deal-rooms/{room_id}/participants", "lead_owner"),
    "room_remove": ("DELETE", "/deal-rooms/{room_id}/participants/{participant_id}", "lead_owner"),
    "room_leave": ("POST", "/deal-rooms/{room_id}/leave", "bank"),
    "room_decide": ("POST", "/deal-rooms/{room_id}/access-requests/{request_id}/decision", "lead_owner"),
    "room_move": ("POST", "/deal-rooms/{room_id}/transitions", "lead_owner"),
    "room_nda": ("POST", "/deal-rooms/{room_id}/nda", "lead_owner"),
    "room_accept": ("POST", "/deal-rooms/{room_id}/nda/acceptance", "bank"),
    "notification_read": ("POST", "/notifications/{notification_id}/read", "investor"),
    # ── deal-room Q&A (issue 8, §3): no room exists in the shared world (see cases_deal_room_qa.py) ──
    "qa_ask": ("POST", "/deal-rooms/{room_id}/questions", "bank"),
    "qa_assign": ("POST", "/deal-rooms/{room_id}/questions/{question_id}/assignment", "lead_owner"),
    "qa_answer": ("POST", "/deal-rooms/{room_id}/questions/{question_id}/answers", "lead_owner"),
    "qa_publish": ("POST", "/deal-rooms/{room_id}/questions/{question_id}/publication", "lead_owner"),
    "qa_unpublish": ("DELETE", "/deal-rooms/{room_id}/questions/{question_id}/publication", "lead_owner"),
    # ── the data room (issue 8 §2): no room exists in the shared world (see cases_deal_room_documents.py) ──
    "folder_create": ("POST", "/deal-rooms/{room_id}/folders", "lead_owner"),
    "folder_update": ("PATCH", "/deal-rooms/{room_id}/folders/{folder_id}", "lead_owner"),
    "folder_delete": ("DELETE", "/deal-rooms/{room_id}/folders/{folder_id}", "lead_owner"),
    "folder_permission": ("PUT", "/deal-rooms/{room_id}/folders/{folder_id}/permissions", "lead_owner"),
    "document_upload": ("POST", "/deal-rooms/{room_id}/folders/{folder_id}/documents", "lead_owner"),
    "document_version": ("POST", "/deal-rooms/{room_id}/documents/{document_id}/versions", "lead_owner"),
    "page_view": ("POST", "/deal-rooms/{room_id}/documents/{document_id}/page-views", "bank"),
    "document_permission": ("PUT", "/deal-rooms/{room_id}/documents/{document_id}/permissions", "lead_owner"),
    "room_message": ("POST", "/deal-rooms/{room_id}/messages", "bank"),
}
