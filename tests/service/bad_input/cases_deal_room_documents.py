"""Bad input to the data-room endpoints. No room exists in the shared world: body errors are found
before the room is looked up, and a well-formed request names an unknown room (404). Uploads take
only multipart (415 naming ``content-type``); refused files (empty, wrong type, too large, broken
PDF: no row, no file left) and the rules that need a room (cycles, non-empty folders, pages beyond
a version's end) are tested in tests/service/deal_rooms/test_documents*.py."""

from __future__ import annotations

from tests.service.bad_input.common import MALFORMED, Bad

PERMISSION = {"group": "investor", "level": "view"}
BEACON = {"version": 1, "page": 1, "seconds": 3.5}

DEAL_ROOM_DOCUMENT_CASES: list[Bad] = [
    Bad("folder_create", "malformed_json", MALFORMED, 400, "body"),
    Bad("folder_create", "missing_name", {}, 400, "name"),
    Bad("folder_create", "empty_name", {"name": ""}, 400, "name"),
    Bad("folder_create", "invisible_name", {"name": "\u200b\u200b"}, 422, "name"),
    Bad("folder_create", "name_too_long", {"name": "あ" * 201}, 400, "name"),
    Bad("folder_create", "parent_not_uuid", {"name": "資料", "parent_id": "root"}, 400, "parent_id"),
    Bad("folder_create", "unknown_field", {"name": "資料", "level": "download"}, 400, "level"),
    Bad("folder_create", "unknown_room", {"name": "資料"}, 404, None, "deal_room.not_found"),
    Bad("folder_update", "malformed_json", MALFORMED, 400, "body"),
    Bad("folder_update", "empty_name", {"name": ""}, 400, "name"),
    Bad("folder_update", "name_with_control", {"name": "資料\u0007"}, 422, "name"),
    Bad("folder_update", "parent_not_uuid", {"parent_id": 5}, 400, "parent_id"),
    Bad("folder_update", "unknown_field", {"room_id": "x"}, 400, "room_id"),
    Bad("folder_update", "unknown_room", {"name": "改名"}, 404, None, "deal_room.not_found"),
    Bad("folder_delete", "unknown_room", None, 404, None, "deal_room.not_found"),
    Bad("folder_delete", "folder_not_uuid", None, 404, None, None, path="/deal-rooms/{room_id}/folders/top"),
    Bad("folder_permission", "malformed_json", MALFORMED, 400, "body"),
    Bad("folder_permission", "lead_team_is_not_a_group", {**PERMISSION, "group": "lead_team"}, 400, "group"),
    Bad("folder_permission", "level_not_allowed", {**PERMISSION, "level": "edit"}, 400, "level"),
    Bad("folder_permission", "missing_level", {"group": "bank"}, 400, "level"),
    Bad("folder_permission", "unknown_room", PERMISSION, 404, None, "deal_room.not_found"),
    Bad("document_upload", "malformed_json", MALFORMED, 415, "content-type"),
    Bad("document_upload", "json_instead_of_a_file", {"file": "plan.pdf"}, 415, "content-type"),
    Bad("document_version", "malformed_json", MALFORMED, 415, "content-type"),
    Bad("document_version", "json_instead_of_a_file", {"file": "plan-v2.pdf"}, 415, "content-type"),
    Bad("page_view", "malformed_json", MALFORMED, 400, "body"),
    Bad("page_view", "page_zero", {**BEACON, "page": 0}, 400, "page"),
    Bad("page_view", "negative_seconds", {**BEACON, "seconds": -1}, 400, "seconds"),
    Bad("page_view", "a_day_and_more", {**BEACON, "seconds": 86_401}, 400, "seconds"),
    Bad("page_view", "version_text", {**BEACON, "version": "latest"}, 400, "version"),
    Bad("page_view", "missing_page", {"version": 1, "seconds": 1}, 400, "page"),
    Bad("page_view", "unknown_room", BEACON, 404, None, "deal_room.not_found"),
    Bad("document_permission", "malformed_json", MALFORMED, 400, "body"),
    Bad("document_permission", "group_unknown", {**PERMISSION, "group": "everyone"}, 400, "group"),
    Bad("document_permission", "unknown_field", {**PERMISSION, "folder_id": "x"}, 400, "folder_id"),
    Bad("document_permission", "unknown_room", PERMISSION, 404, None, "deal_room.not_found"),
]
