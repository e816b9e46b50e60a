"""Impact claims: a project lead claims a figure with evidence; admins audit it.

States: submitted → under_review → verified | rejected | needs_evidence. After needs_evidence
the lead resubmits (→ submitted). The lead may contest a rejection once, with reasons
(→ contested); a *different* admin than the one who rejected decides the contest (→ verified or
rejected, final). Every step carries a reason, is kept as a claim event and appended to the
audit log. Only verified claims count in public figures.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import uuid
from datetime import date
from typing import Any, TypeVar

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import impact
from service.audit import service as audit
from service.auth.principal import Principal
from service.claims.evidence import check_evidence
from service.claims.messages import MESSAGES
from service.claims.schemas import ClaimCreate, ClaimSummary, Decision
from service.claims.storage import EvidenceStore
from service.errors import Conflict, DomainError, Forbidden, Message, NotFound
from service.impact.messages import MESSAGES as IMPACT_MESSAGES
from service.impact.service import computed_value, refresh_metrics
from service.models import ClaimStatus, EvidenceFile, ImpactClaim, ImpactClaimEvent, Project
from service.models.base import utcnow
from service.models.enums import Role
from service.projects.service import ProjectService

C = ClaimStatus
S = TypeVar("S", bound=ClaimSummary)
#: A claim further than this (relative) from the value computed from the project's own inputs
#: is flagged ``differs_from_computed`` for the reviewer.
TOLERANCE = 0.10
#: decision → (statuses it applies to, resulting status)
DECISIONS: dict[str, tuple[frozenset[ClaimStatus], ClaimStatus]] = {
    "review": (frozenset({C.submitted}), C.under_review),
    "verify": (frozenset({C.under_review, C.contested}), C.verified),
    "reject": (frozenset({C.under_review, C.contested}), C.rejected),
    "request_evidence": (frozenset({C.under_review}), C.needs_evidence),
}
EVIDENCE_OPEN = frozenset({C.submitted, C.under_review, C.needs_evidence})


class ClaimNotFound(NotFound):
    """No claim the caller may see."""


class EvidenceUnavailable(DomainError):
    status_code = 500


def _bilingual(text: Message) -> str:
    """A recorded note in both languages, as the review history shows it: ``ja / en``."""
    return f"{text.ja} / {text.en}"


def flags_for(value: float, computed: float | None) -> list[str]:
    """``differs_from_computed`` when |claimed − computed| > TOLERANCE · |computed|."""
    if computed is None:
        return ["no_computed_value"]
    if abs(value - computed) > TOLERANCE * abs(computed):
        return ["differs_from_computed"]
    return []


class ClaimService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ── reading ──────────────────────────────────────────────────────────────────────────────

    @staticmethod
    def _insider(project: Project, principal: Principal | None) -> bool:
        return principal is not None and (principal.is_admin or principal.acts_for(project.organisation_id))

    async def get_visible(
        self, claim_id: uuid.UUID, principal: Principal | None, *, lock: bool = False
    ) -> tuple[ImpactClaim, Project]:
        """A claim the caller may see: verified ones of visible projects, all for the project's
        organisation and admins; anything else is 404, as if it did not exist."""
        claim = await self.session.get(ImpactClaim, claim_id, with_for_update=lock, populate_existing=lock)
        if claim is None:
            raise MESSAGES.error(ClaimNotFound, "impact_claim.not_found")
        try:
            project = await ProjectService(self.session).get_visible(claim.project_id, principal)
        except NotFound:
            raise MESSAGES.error(ClaimNotFound, "impact_claim.not_found") from None
        if claim.status != C.verified and not self._insider(project, principal):
            raise MESSAGES.error(ClaimNotFound, "impact_claim.not_found")
        return claim, project

    async def for_project(self, project_id: uuid.UUID, principal: Principal | None) -> list[ImpactClaim]:
        project = await ProjectService(self.session).get_visible(project_id, principal)
        query = select(ImpactClaim).where(ImpactClaim.project_id == project.id)
        if not self._insider(project, principal):
            query = query.where(ImpactClaim.status == C.verified)
        return list((await self.session.execute(query.order_by(ImpactClaim.created_at.desc()))).scalars())

    async def summaries(self, project_id: uuid.UUID, principal: Principal | None) -> list[ClaimSummary]:
        """The project's claims the caller may see, each with its evidence and event counts."""
        claims = await self.for_project(project_id, principal)
        ids = [c.id for c in claims]
        counts: dict[tuple[str, uuid.UUID], int] = {}
        for label, table in (("evidence", EvidenceFile), ("events", ImpactClaimEvent)):
            rows = await self.session.execute(
                select(table.claim_id, func.count())  # type: ignore[attr-defined]
                .where(table.claim_id.in_(ids))  # type: ignore[attr-defined]
                .group_by(table.claim_id)  # type: ignore[attr-defined]
            )
            counts.update(((label, claim_id), n) for claim_id, n in rows)
        return [
            claim_view(
                ClaimSummary,
                c,
                evidence_count=counts.get(("evidence", c.id), 0),
                event_count=counts.get(("events", c.id), 0),
            )
            for c in claims
        ]

    async def details(self, claim: ImpactClaim) -> tuple[list[EvidenceFile], list[ImpactClaimEvent]]:
        files = (
            await self.session.execute(
                select(EvidenceFile).where(EvidenceFile.claim_id == claim.id).order_by(EvidenceFile.created_at)
            )
        ).scalars()
        events = (
            await self.session.execute(
                select(ImpactClaimEvent)
                .where(ImpactClaimEvent.claim_id == claim.id)
                .order_by(ImpactClaimEvent.at, ImpactClaimEvent.id)
            )
        ).scalars()
        return list(files), list(events)

    async def queue(
        self, statuses: tuple[ClaimStatus, ...], *, limit: int, offset: int
    ) -> tuple[list[ImpactClaim], int]:
        """The admins' claim queue: claims in ``statuses`` (all when empty), oldest first. The
        caller's role is checked by the endpoint's guard."""
        where = ImpactClaim.status.in_(statuses) if statuses else True  # type: ignore[attr-defined]
        total = await self.session.scalar(select(func.count()).select_from(ImpactClaim).where(where))
        rows = await self.session.execute(
            select(ImpactClaim)
            .where(where)
            .order_by(ImpactClaim.created_at, ImpactClaim.id)  # type: ignore[arg-type]
            .limit(limit)
            .offset(offset)
        )
        return list(rows.scalars()), int(total or 0)

    async def details_of(
        self, claims: list[ImpactClaim]
    ) -> dict[uuid.UUID, tuple[list[EvidenceFile], list[ImpactClaimEvent]]]:
        """:meth:`details` for many claims in two queries, so list items carry what details do."""
        ids = [c.id for c in claims]
        found: dict[uuid.UUID, tuple[list[EvidenceFile], list[ImpactClaimEvent]]] = {i: ([], []) for i in ids}
        if not ids:
            return found
        files = await self.session.execute(
            select(EvidenceFile).where(EvidenceFile.claim_id.in_(ids)).order_by(EvidenceFile.created_at)  # type: ignore[attr-defined]
        )
        for f in files.scalars():
            found[f.claim_id][0].append(f)
        events = await self.session.execute(
            select(ImpactClaimEvent)
            .where(ImpactClaimEvent.claim_id.in_(ids))  # type: ignore[attr-defined]
            .order_by(ImpactClaimEvent.at, ImpactClaimEvent.id)
        )
        for e in events.scalars():
            found[e.claim_id][1].append(e)
        return found

    # ── the lead's side ──────────────────────────────────────────────────────────────────────

    @staticmethod
    def _require_lead(project: Project, principal: Principal) -> None:
        if not principal.acts_for(project.organisation_id, Role.project_lead):
            raise MESSAGES.error(Forbidden, "impact_claim.not_lead")

    async def submit(self, principal: Principal, project_id: uuid.UUID, data: ClaimCreate) -> ImpactClaim:
        project = await ProjectService(self.session).get_visible(project_id, principal)
        self._require_lead(project, principal)
        metric = impact.CATALOGUE.get(data.metric_id)
        if metric is None:
            raise IMPACT_MESSAGES.invalid("metric_id", "impact.unknown_metric", metric_id=data.metric_id)
        if data.period_end < data.period_start:
            raise MESSAGES.invalid("period_end", "impact_claim.period_reversed")
        if data.period_end > date.today():
            raise MESSAGES.invalid("period_end", "impact_claim.period_future")
        if not math.isfinite(data.value):
            raise MESSAGES.invalid("value", "validation.range#finite")
        computed = computed_value(data.metric_id, project.impact_inputs or {})
        claim = ImpactClaim(
            project_id=project.id,
            metric_id=data.metric_id,
            value=data.value,
            unit=metric.unit,
            period_start=data.period_start,
            period_end=data.period_end,
            boundary=data.boundary,
            method=data.method,
            baseline=data.baseline,
            status=C.submitted,
            computed_value=computed,
            flags=flags_for(data.value, computed),
            submitted_by=principal.user_id,
        )
        self.session.add(claim)
        await self.session.flush()
        await self._record(
            claim,
            principal,
            "submit",
            None,
            _bilingual(MESSAGES.text("impact_claim.submitted_note")),
            audit_extra={
                "metric_id": claim.metric_id,
                "value": claim.value,
                "period": [claim.period_start.isoformat(), claim.period_end.isoformat()],
                "computed_value": computed,
                "flags": claim.flags,
            },
        )
        return claim

    async def resubmit(self, principal: Principal, claim_id: uuid.UUID, reason: str) -> ImpactClaim:
        claim, project = await self.get_visible(claim_id, principal, lock=True)
        self._require_lead(project, principal)
        self._require_status(claim, frozenset({C.needs_evidence}), "resubmit")
        return await self._move(claim, principal, "resubmit", C.submitted, reason)

    async def contest(self, principal: Principal, claim_id: uuid.UUID, reason: str) -> ImpactClaim:
        claim, project = await self.get_visible(claim_id, principal, lock=True)
        self._require_lead(project, principal)
        self._require_status(claim, frozenset({C.rejected}), "contest")
        if claim.contest_reason is not None:
            raise MESSAGES.error(Conflict, "impact_claim.already_contested")
        claim.contest_reason = reason
        return await self._move(claim, principal, "contest", C.contested, reason)

    async def add_evidence(
        self,
        principal: Principal,
        claim_id: uuid.UUID,
        data: bytes,
        declared_type: str | None,
        filename: str | None,
        store: EvidenceStore,
    ) -> EvidenceFile:
        claim, project = await self.get_visible(claim_id, principal, lock=True)
        self._require_lead(project, principal)
        self._require_status(claim, EVIDENCE_OPEN, "add_evidence")
        media_type, name = check_evidence(data, declared_type, filename)
        key = await asyncio.to_thread(store.put, data)
        record = EvidenceFile(
            claim_id=claim.id,
            filename=name,
            media_type=media_type,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            storage_key=key,
            uploaded_by=principal.user_id,
        )
        self.session.add(record)
        claim.updated_at = utcnow()
        await self.session.flush()
        await audit.append(
            self.session,
            actor_id=principal.user_id,
            action="claim.evidence_add",
            object_type="claim",
            object_id=claim.id,
            payload={
                "evidence_id": str(record.id),
                "sha256": record.sha256,
                "size_bytes": record.size_bytes,
                "media_type": media_type,
            },
        )
        return record

    async def evidence_bytes(
        self, principal: Principal, claim_id: uuid.UUID, evidence_id: uuid.UUID, store: EvidenceStore
    ) -> tuple[EvidenceFile, bytes]:
        """The file and its bytes, for the project's organisation and admins only; the bytes are
        checked against the stored sha256 before they are served."""
        claim, project = await self.get_visible(claim_id, principal)
        record = await self.session.get(EvidenceFile, evidence_id)
        if record is None or record.claim_id != claim.id or not self._insider(project, principal):
            raise MESSAGES.error(NotFound, "evidence.not_found")
        try:
            data = await asyncio.to_thread(store.get, record.storage_key)
        except FileNotFoundError:
            data = b""
        if hashlib.sha256(data).hexdigest() != record.sha256:
            raise MESSAGES.error(EvidenceUnavailable, "evidence.integrity_failed")
        return record, data

    # ── the auditor's side ───────────────────────────────────────────────────────────────────

    async def decide(self, principal: Principal, claim_id: uuid.UUID, decision: Decision, reason: str) -> ImpactClaim:
        principal.require_role(Role.admin)
        claim, project = await self.get_visible(claim_id, principal, lock=True)
        if principal.acts_for(project.organisation_id):
            raise MESSAGES.error(Forbidden, "impact_claim.own_organisation")
        allowed_from, to_status = DECISIONS[decision]
        self._require_status(claim, allowed_from, decision)
        if claim.status == C.contested and claim.rejected_by == principal.user_id:
            raise MESSAGES.error(Forbidden, "impact_claim.same_reviewer")
        if decision == "reject" and claim.status == C.under_review:
            claim.rejected_by = principal.user_id
        moved = await self._move(claim, principal, decision, to_status, reason)
        if to_status == C.verified:
            # A verified figure can change the project's public score: store it as shown.
            await refresh_metrics(self.session, project)
        return moved

    # ── shared ───────────────────────────────────────────────────────────────────────────────

    @staticmethod
    def _require_status(claim: ImpactClaim, allowed: frozenset[ClaimStatus], action: str) -> None:
        if claim.status not in allowed:
            raise MESSAGES.error(Conflict, "impact_claim.invalid_transition", status=claim.status, action=action)

    async def _move(
        self, claim: ImpactClaim, principal: Principal, action: str, to_status: ClaimStatus, reason: str
    ) -> ImpactClaim:
        from_status = claim.status
        claim.status = to_status
        claim.updated_at = utcnow()
        await self.session.flush()
        await self._record(claim, principal, action, from_status, reason)
        return claim

    async def _record(
        self,
        claim: ImpactClaim,
        principal: Principal,
        action: str,
        from_status: str | None,
        reason: str,
        *,
        audit_extra: dict[str, object] | None = None,
    ) -> None:
        self.session.add(
            ImpactClaimEvent(
                claim_id=claim.id,
                action=action,
                from_status=from_status,
                to_status=claim.status,
                actor_id=principal.user_id,
                reason=reason,
            )
        )
        await self.session.flush()
        await audit.append(
            self.session,
            actor_id=principal.user_id,
            action=f"claim.{action}",
            object_type="claim",
            object_id=claim.id,
            payload={
                "project_id": str(claim.project_id),
                "from": from_status,
                "to": claim.status,
                "reason": reason,
                **(audit_extra or {}),
            },
        )


def claim_view(struct: type[S], claim: ImpactClaim, **parts: Any) -> S:
    """A claim as an API shape: its columns by name, ``tolerance``, and ``parts`` (counts, files,
    events as table objects), converted by ``msgspec.convert(..., from_attributes=True)``."""
    values = {name: getattr(claim, name) for name in struct.__struct_fields__ if hasattr(claim, name)}
    return msgspec.convert({**values, "tolerance": TOLERANCE, **parts}, struct, from_attributes=True)
