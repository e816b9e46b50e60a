"""Bad input to the live feed's HTTP write (issue 8 §4). No room exists in the shared world: body
errors are found before the room is looked up; a well-formed message names an unknown room (404).
Bad WebSocket frames are in tests/service/deal_rooms/test_live_replicas.py."""

from __future__ import annotations

from tests.service.bad_input.common import MALFORMED, Bad

DEAL_ROOM_LIVE_CASES: list[Bad] = [
    Bad("room_message", "malformed_json", MALFORMED, 400, "body"),
    Bad("room_message", "missing_body", {}, 400, "body"),
    Bad("room_message", "empty_body", {"body": ""}, 400, "body"),
    Bad("room_message", "body_not_text", {"body": 42}, 400, "body"),
    Bad("room_message", "body_with_nul", {"body": "こんにちは\u0000"}, 400, "body"),
    Bad("room_message", "body_too_long", {"body": "あ" * 4001}, 400, "body"),
    Bad("room_message", "blank_body", {"body": " \u3000\n"}, 422, "body", "deal_room.message_blank"),
    Bad("room_message", "unknown_field", {"body": "こんにちは", "seq": 7}, 400, "seq"),
    Bad("room_message", "unknown_room", {"body": "こんにちは"}, 404, None, "deal_room.not_found"),
]
