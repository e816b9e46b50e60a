"""API shapes for the admin vetting queue and decisions."""

from __future__ import annotations

from typing import Literal

import msgspec

from service.types import Reason, ShortText


class VettingChecklist(msgspec.Struct, forbid_unknown_fields=True):
    """What an admin confirmed. Approval needs every item true."""

    identity_verified: bool
    financials_reviewed: bool
    impact_model_reviewed: bool
    legal_structure_reviewed: bool
    regional_benefit_confirmed: bool
    notes: ShortText = ""


class VettingDecision(msgspec.Struct, forbid_unknown_fields=True):
    decision: Literal["approve", "reject"]
    reason: Reason
    checklist: VettingChecklist
