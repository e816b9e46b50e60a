"""Bad input to the notification endpoints. Marking one read takes no body (a malformed one is
not read): an id that is not the caller's — unknown, or not a UUID — is 404. ``read-all`` takes no
input at all (see test_write_endpoints_match_the_app); its rule (only the caller's rows) is in
the authorization matrix and tests/service/notifications/."""

from __future__ import annotations

from tests.service.bad_input.common import MALFORMED, Bad

NOTIFICATION_CASES: list[Bad] = [
    Bad("notification_read", "malformed_json", MALFORMED, 404, None, "notification.not_found"),
    Bad("notification_read", "unknown", None, 404, None, "notification.not_found"),
    Bad("notification_read", "not_a_uuid", None, 404, None, None, path="/notifications/latest/read"),
    Bad("notification_read", "all_as_id", None, 404, None, None, path="/notifications/all/read"),
]

#: List parameters of ``GET /notifications`` beyond the shared limit/cursor cases.
NOTIFICATION_LIST_PARAMS = [
    ("notifications", {"unread": "maybe"}, "unread"),
    ("notifications", {"unread": "2"}, "unread"),
]
