"""Bad input to the deal-room endpoints. No room exists in the shared world: body errors are found
before the room is looked up, and a well-formed request names an unknown room (404); the rules
that need a room (stale NDA versions, invitees outside their organisation, moves the stage
machine has not) are tested in tests/service/deal_rooms/."""

from __future__ import annotations

from tests.service.bad_input.common import MALFORMED, UNKNOWN, Bad

ROOM = f"/deal-rooms/{UNKNOWN}"
NDA = {"nda_ja": "秘密保持契約", "nda_en": "NDA"}
INVITE = {"user_id": "{spare_user}", "organisation_id": "{org_a}", "role": "advisor"}

DEAL_ROOM_CASES: list[Bad] = [
    Bad("room_open", "malformed_json", MALFORMED, 400, "body"),
    Bad("room_open", "missing_nda_en", {"nda_ja": "契約"}, 400, "nda_en"),
    Bad("room_open", "empty_nda", {**NDA, "nda_ja": ""}, 400, "nda_ja"),
    Bad("room_open", "nda_with_nul", {**NDA, "nda_en": "NDA\u0000"}, 400, "nda_en"),
    Bad("room_open", "nda_too_long", {**NDA, "nda_ja": "あ" * 50_001}, 400, "nda_ja"),
    Bad("room_open", "unknown_field", {**NDA, "stage": "closed"}, 400, "stage"),
    Bad(
        "room_open", "draft_project", NDA, 409, None, "deal_room.project_not_ready", path="/projects/{draft}/deal-room"
    ),
    Bad("room_open", "unknown_project", NDA, 404, None, "project.not_found", path=f"/projects/{UNKNOWN}/deal-room"),
    Bad("room_ask", "malformed_json", MALFORMED, 400, "body"),
    Bad("room_ask", "missing_note", {}, 400, "note"),
    Bad("room_ask", "empty_note", {"note": ""}, 400, "note"),
    Bad("room_ask", "note_too_long", {"note": "あ" * 2001}, 400, "note"),
    Bad("room_ask", "organisation_not_uuid", {"note": "検討中", "organisation_id": "mine"}, 400, "organisation_id"),
    Bad(
        "room_ask",
        "someone_elses_organisation",
        {"note": "検討中", "organisation_id": "{org_a}"},
        422,
        "organisation_id",
        "deal_room.no_investing_organisation",
    ),
    Bad("room_ask", "no_room", {"note": "検討中"}, 404, None, "deal_room.not_found"),
    Bad("room_invite", "malformed_json", MALFORMED, 400, "body"),
    Bad("room_invite", "role_not_allowed", {**INVITE, "role": "owner"}, 400, "role"),
    Bad("room_invite", "user_not_uuid", {**INVITE, "user_id": "bank"}, 400, "user_id"),
    Bad("room_invite", "missing_organisation", {"user_id": "{spare_user}", "role": "bank"}, 400, "organisation_id"),
    Bad("room_invite", "unknown_field", {**INVITE, "status": "active"}, 400, "status"),
    Bad("room_invite", "unknown_room", INVITE, 404, None, "deal_room.not_found"),
    Bad("room_remove", "unknown_room", None, 404, None, "deal_room.not_found"),
    Bad("room_remove", "participant_not_uuid", None, 404, None, None, path=f"{ROOM}/participants/bank"),
    Bad("room_leave", "malformed_json", MALFORMED, 404, None, "deal_room.not_found"),
    Bad("room_decide", "malformed_json", MALFORMED, 400, "body"),
    Bad("room_decide", "decision_not_allowed", {"decision": "maybe", "reason": "検討"}, 400, "decision"),
    Bad("room_decide", "missing_reason", {"decision": "accept"}, 400, "reason"),
    Bad("room_decide", "role_lead_team", {"decision": "accept", "reason": "歓迎", "role": "lead_team"}, 400, "role"),
    Bad("room_decide", "unknown_room", {"decision": "accept", "reason": "歓迎"}, 404, None, "deal_room.not_found"),
    Bad("room_move", "malformed_json", MALFORMED, 400, "body"),
    Bad("room_move", "stage_not_allowed", {"to_stage": "signed", "reason": "進める"}, 400, "to_stage"),
    Bad("room_move", "missing_reason", {"to_stage": "nda"}, 400, "reason"),
    Bad("room_move", "empty_reason", {"to_stage": "nda", "reason": ""}, 400, "reason"),
    Bad("room_move", "reason_too_long", {"to_stage": "nda", "reason": "あ" * 2001}, 400, "reason"),
    Bad("room_move", "unknown_room", {"to_stage": "nda", "reason": "進める"}, 404, None, "deal_room.not_found"),
    Bad("room_nda", "malformed_json", MALFORMED, 400, "body"),
    Bad("room_nda", "missing_text_en", {"text_ja": "第二版"}, 400, "text_en"),
    Bad("room_nda", "text_with_nul", {"text_ja": "第二版\u0000", "text_en": "v2"}, 400, "text_ja"),
    Bad("room_nda", "unknown_room", {"text_ja": "第二版", "text_en": "v2"}, 404, None, "deal_room.not_found"),
    Bad("room_accept", "malformed_json", MALFORMED, 400, "body"),
    Bad("room_accept", "version_zero", {"version": 0}, 400, "version"),
    Bad("room_accept", "version_text", {"version": "latest"}, 400, "version"),
    Bad("room_accept", "missing_version", {}, 400, "version"),
    Bad("room_accept", "unknown_room", {"version": 1}, 404, None, "deal_room.not_found"),
]
