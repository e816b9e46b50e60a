"""The authorization matrix: for every endpoint under /api/v1 and target object, the status each
kind of caller gets. ``MATRIX`` is the specification the test module checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.models.enums import PUBLIC_STATUSES, ProjectStatus
from tests.service.authz_matrix.deal_room_qa import QA_ROWS
from tests.service.conftest import CALLERS

API = "/api/v1"
PRIVATE_STATUSES = tuple(s.value for s in ProjectStatus if s not in PUBLIC_STATUSES)
PUBLIC = tuple(sorted(s.value for s in PUBLIC_STATUSES))


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    target: str
    expect: dict[str, int]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(CALLERS, status)


def signed_in(status: int) -> dict[str, int]:
    return {**everyone(status), "anonymous": 401}


def admin_only(status: int) -> dict[str, int]:
    return {**signed_in(403), "admin": status}


def only(allowed: dict[str, int], others: int) -> dict[str, int]:
    """Signed-in callers get ``others`` unless named in ``allowed``; anonymous gets 401."""
    return {**signed_in(others), **allowed}


def _project_rows() -> list[Row]:
    p, t = f"{API}/projects/{{project_id}}", f"{API}/projects/{{project_id}}/transitions"
    rows = [
        Row("GET", f"{API}/projects", "-", everyone(200)),
        Row("POST", f"{API}/projects", "-", only({"lead_owner": 201, "lead_other": 201}, 403)),
        # Naming an organisation: only a project lead of that organisation may.
        Row("POST", f"{API}/projects", "for_org_a", only({"lead_owner": 201}, 403)),
        Row("GET", p, "unknown", everyone(404)),
        Row("PATCH", p, "unknown", signed_in(404)),
        Row("GET", t, "unknown", signed_in(404)),
        Row("POST", t, "unknown", signed_in(404)),
        # Editing: the owning lead (and admins) on drafts only; other drafts are unknown (404).
        Row("PATCH", p, "draft", only({"lead_owner": 200, "admin": 200}, 404)),
        Row("PATCH", p, "other_draft", only({"lead_other": 200, "admin": 200}, 404)),
    ]
    for status in PUBLIC:
        rows += [
            Row("GET", p, status, everyone(200)),
            Row("PATCH", p, status, only({"lead_owner": 409, "admin": 409}, 403)),
            Row("GET", t, status, only({"lead_owner": 200, "admin": 200}, 403)),
        ]
    for status in PRIVATE_STATUSES:
        rows += [
            Row("GET", p, status, {**everyone(404), "lead_owner": 200, "admin": 200}),
            Row("GET", t, status, only({"lead_owner": 200, "admin": 200}, 404)),
        ]
        if status != "draft":
            rows.append(Row("PATCH", p, status, only({"lead_owner": 409, "admin": 409}, 404)))
    # Status moves: who may make each one (vetting moves have their own endpoint).
    rows += [
        Row("POST", t, "draft->submitted", only({"lead_owner": 201, "admin": 403}, 404)),
        Row("POST", t, "submitted->draft", only({"lead_owner": 201, "admin": 403}, 404)),
        Row("POST", t, "rejected->draft", only({"lead_owner": 201, "admin": 403}, 404)),
        Row("POST", t, "draft->withdrawn", only({"lead_owner": 201, "admin": 201}, 404)),
        Row("POST", t, "submitted->vetted", only({"lead_owner": 409, "admin": 409}, 404)),
        Row("POST", t, "vetted->funding", only({"lead_owner": 201, "admin": 201}, 403)),
        Row("POST", t, "funding->funded", only({"admin": 201}, 403)),
        Row("POST", t, "funded->closed", only({"lead_owner": 201, "admin": 201}, 403)),
        Row("POST", t, "vetted->withdrawn", only({"lead_owner": 201, "admin": 201}, 403)),
        Row("POST", t, "closed->funding", only({}, 409)),
    ]
    return rows


def _investor_rows() -> list[Row]:
    one = f"{API}/investors/{{profile_id}}"
    rows = [
        Row("GET", f"{API}/investors", "-", signed_in(200)),
        # A personal profile needs an investing role; investor and bank already have one (409).
        Row("POST", f"{API}/investors", "personal", only({"investor": 409, "bank": 409}, 403)),
        Row("POST", f"{API}/investors", "investor_org", only({"investor": 201}, 403)),
        Row("POST", f"{API}/investors", "bank_org", only({"bank": 409}, 403)),
        # Becoming an individual investor: any signed-in caller, for itself (a new personal organisation).
        Row("POST", f"{API}/investors/me", "-", signed_in(201)),
        Row("GET", one, "unknown", signed_in(404)),
        Row("PATCH", one, "unknown", signed_in(404)),
        Row("DELETE", one, "unknown", signed_in(404)),
        Row("GET", one, "public", signed_in(200)),
        Row("PATCH", one, "public", only({"bank": 200, "admin": 200}, 403)),
        Row("DELETE", one, "public", only({"bank": 204, "admin": 204}, 403)),
    ]
    owners = {"hidden_user": "investor", "hidden_org": "bank"}
    for target, owner in owners.items():
        rows += [
            Row("GET", one, target, only({owner: 200, "admin": 200}, 404)),
            Row("PATCH", one, target, only({owner: 200, "admin": 200}, 404)),
            Row("DELETE", one, target, only({owner: 204, "admin": 204}, 404)),
        ]
    return rows


def _matching_rows() -> list[Row]:
    """Events: recorded for a profile the caller owns on a project it may see (else 404), read by
    their owner (admins: all). Matches: an investor profile's for its owner and admins (others 404,
    even for a discoverable profile); a project's for its lead and admins (403 when the project is
    public, 404 when hidden). Model versions: admins only."""
    ev, im = f"{API}/events", f"{API}/investors/{{profile_id}}/matches"
    pm, models = f"{API}/projects/{{project_id}}/matches", f"{API}/admin/models"
    rows = [
        Row("GET", ev, "-", signed_in(200)),
        Row("POST", ev, "hidden_user:funding", only({"investor": 201}, 404)),
        Row("POST", ev, "public:vetted", only({"bank": 201}, 404)),
        Row("POST", ev, "hidden_org:draft", signed_in(404)),
        Row("GET", im, "unknown", signed_in(404)),
        Row("GET", im, "public", only({"bank": 200, "admin": 200}, 404)),
        Row("GET", im, "hidden_user", only({"investor": 200, "admin": 200}, 404)),
        Row("GET", im, "hidden_org", only({"bank": 200, "admin": 200}, 404)),
        Row("GET", pm, "unknown", signed_in(404)),
        Row("GET", pm, "other_draft", only({"lead_other": 200, "admin": 200}, 404)),
        Row("GET", models, "-", admin_only(200)),
        Row("POST", f"{models}/{{version_id}}/activate", "unknown", {**admin_only(403), "admin": 404}),
        Row("POST", f"{models}/rollback", "-", {**admin_only(403), "admin": 409}),
    ]
    rows += [Row("GET", pm, status, only({"lead_owner": 200, "admin": 200}, 403)) for status in PUBLIC]
    rows += [Row("GET", pm, status, only({"lead_owner": 200, "admin": 200}, 404)) for status in PRIVATE_STATUSES]
    return rows


# ── impact, claims and audit (issue 3) ───────────────────────────────────────────────────────
# Requests for these rows are sent by tests/service/authz_matrix/impact.py (multipart upload, query
# parameters, claims arranged per row). Claim targets are "<project status>:<claim status>".


def _impact_rows() -> list[Row]:
    pc, el = f"{API}/projects/{{project_id}}/public-contribution", f"{API}/projects/{{project_id}}/eligibility"
    pcl, one = f"{API}/projects/{{project_id}}/claims", f"{API}/claims/{{claim_id}}"
    ev = f"{one}/evidence/{{evidence_id}}"
    insiders = only({"lead_owner": 200, "admin": 200}, 404)
    hidden = {**everyone(404), "lead_owner": 200, "admin": 200}
    rows = [
        Row("GET", f"{API}/impact/metrics", "-", everyone(200)),
        Row("GET", f"{API}/impact/metrics/{{metric_id}}", "KY-LM3", everyone(200)),
        Row("GET", f"{API}/impact/metrics/{{metric_id}}", "unknown", everyone(404)),
        Row("POST", f"{API}/impact/calculate", "-", everyone(200)),
        Row("GET", pc, "unknown", everyone(404)),
        Row("GET", el, "unknown", everyone(404)),
        Row("GET", pcl, "unknown", everyone(404)),
        # Only the project's own lead submits claims; hidden projects stay unknown (404).
        Row("POST", pcl, "vetted", only({"lead_owner": 201}, 403)),
        Row("POST", pcl, "draft", only({"lead_owner": 201, "admin": 403}, 404)),
        Row("POST", pcl, "unknown", signed_in(404)),
        # A claim is public once verified; before that only the project's organisation and admins see it.
        Row("GET", one, "vetted:verified", everyone(200)),
        Row("GET", one, "vetted:submitted", hidden),
        Row("GET", one, "unknown", everyone(404)),
        # Decisions: admins only (others 403 whatever the claim).
        Row("POST", f"{one}/decisions", "vetted:submitted", admin_only(200)),
        Row("POST", f"{one}/decisions", "draft:submitted", admin_only(200)),
        Row("POST", f"{one}/decisions", "unknown", {**admin_only(403), "admin": 404}),
        # The lead's moves: admins see the claim but may not act as its lead (403); others 404.
        Row("POST", f"{one}/resubmit", "vetted:needs_evidence", only({"lead_owner": 200, "admin": 403}, 404)),
        Row("POST", f"{one}/contest", "vetted:rejected", only({"lead_owner": 200, "admin": 403}, 404)),
        Row("POST", f"{one}/evidence", "vetted:submitted", only({"lead_owner": 201, "admin": 403}, 404)),
        Row("POST", f"{one}/resubmit", "unknown", signed_in(404)),
        Row("POST", f"{one}/contest", "unknown", signed_in(404)),
        Row("POST", f"{one}/evidence", "unknown", signed_in(404)),
        # Evidence files: the project's organisation and admins, even when the claim is public.
        Row("GET", ev, "vetted:submitted", insiders),
        Row("GET", ev, "vetted:verified", insiders),
        Row("GET", ev, "unknown", signed_in(404)),
        # The claim queue: admins only.
        Row("GET", f"{API}/claims", "-", admin_only(200)),
        Row("GET", f"{API}/admin/audit", "-", admin_only(200)),
        Row("GET", f"{API}/admin/audit/verify", "-", admin_only(200)),
    ]
    for status in PUBLIC:
        rows += [Row("GET", path, status, everyone(200)) for path in (pc, el, pcl)]
    for status in PRIVATE_STATUSES:
        rows += [Row("GET", path, status, hidden) for path in (pc, el, pcl)]
    return rows


MATRIX: list[Row] = [
    Row("POST", f"{API}/auth/signup", "-", everyone(202)),
    Row("POST", f"{API}/auth/signup", "with_org_as_investor", everyone(202)),
    # Bank and admin roles are never self-service.
    Row("POST", f"{API}/auth/signup", "with_org_as_bank", everyone(403)),
    Row("POST", f"{API}/auth/signup", "with_org_as_admin", everyone(403)),
    Row("POST", f"{API}/auth/login", "-", everyone(200)),
    Row("POST", f"{API}/auth/logout", "-", signed_in(204)),
    Row("GET", f"{API}/auth/me", "-", signed_in(200)),
    # No identity provider is configured in tests: the OIDC endpoints say so to everyone.
    Row("GET", f"{API}/auth/oidc/login", "-", everyone(404)),
    Row("GET", f"{API}/auth/oidc/callback", "-", everyone(404)),
    # Linking needs the session the link was offered to; no link is pending in these sessions.
    Row("GET", f"{API}/auth/oidc/link", "-", signed_in(404)),
    Row("POST", f"{API}/auth/oidc/link", "-", signed_in(404)),
    Row("DELETE", f"{API}/auth/oidc/link", "-", signed_in(404)),
    # Anyone holding a token may verify; an unknown token is refused alike for every caller.
    Row("POST", f"{API}/auth/verify-email", "unknown_token", everyone(422)),
    Row("GET", f"{API}/organisations", "-", everyone(200)),
    Row("POST", f"{API}/organisations", "-", admin_only(201)),
    Row("GET", f"{API}/organisations/{{organisation_id}}", "org_a", everyone(200)),
    Row("GET", f"{API}/organisations/{{organisation_id}}", "unknown", everyone(404)),
    Row("PATCH", f"{API}/organisations/{{organisation_id}}", "org_a", only({"lead_owner": 200, "admin": 200}, 403)),
    Row("PATCH", f"{API}/organisations/{{organisation_id}}", "unknown", signed_in(404)),
    Row(
        "GET", f"{API}/organisations/{{organisation_id}}/members", "org_a", only({"lead_owner": 200, "admin": 200}, 403)
    ),
    Row("GET", f"{API}/organisations/{{organisation_id}}/members", "unknown", signed_in(404)),
    Row("POST", f"{API}/organisations/{{organisation_id}}/members", "org_a", admin_only(201)),
    Row("POST", f"{API}/organisations/{{organisation_id}}/members", "unknown", {**admin_only(403), "admin": 404}),
    Row("GET", f"{API}/regions/prefectures", "-", everyone(200)),
    Row("GET", f"{API}/regions/municipalities", "-", everyone(200)),
    Row("GET", f"{API}/regions/living-spheres", "-", everyone(200)),
    Row("POST", f"{API}/regions/living-spheres", "-", admin_only(201)),
    Row("GET", f"{API}/regions/living-spheres/{{sphere_id}}", "sphere", everyone(200)),
    Row("GET", f"{API}/regions/living-spheres/{{sphere_id}}", "unknown", everyone(404)),
    *_project_rows(),
    Row("GET", f"{API}/vetting/queue", "-", admin_only(200)),
    Row("POST", f"{API}/vetting/{{project_id}}/decision", "submitted", admin_only(201)),
    Row("POST", f"{API}/vetting/{{project_id}}/decision", "draft", admin_only(409)),
    Row("POST", f"{API}/vetting/{{project_id}}/decision", "unknown", admin_only(404)),
    *_investor_rows(),
    *_matching_rows(),
    *_impact_rows(),
]


# ── deal rooms (issue 8) ─────────────────────────────────────────────────────────────────────
# Requests for these rows are sent by tests/service/authz_matrix/deal_rooms.py, which opens and
# seats a fresh room per row (its docstring lists the targets).

R = f"{API}/deal-rooms/{{room_id}}"
ROOM_OPEN = f"{API}/projects/{{project_id}}/deal-room"
ROOM_ASK = f"{ROOM_OPEN}/access-requests"
ROOM_PARTICIPANT = f"{R}/participants/{{participant_id}}"
ROOM_DECISION = f"{R}/access-requests/{{request_id}}/decision"


def _room(lead: int, bank: int, *, admin: int = 404, investor: int = 404) -> dict[str, int]:
    """A room endpoint: non-participants (and admins who are not observers) get 404."""
    return only({"lead_owner": lead, "bank": bank, "admin": admin, "investor": investor}, 404)


def _rows_for(path: str, method: str, lead: int, bank: int, pre_nda: int, observer: int) -> list[Row]:
    return [
        Row(method, path, "room", _room(lead, bank)),
        Row(method, path, "room:pre_nda", _room(lead, pre_nda)),
        Row(method, path, "room:observer", _room(lead, bank, admin=observer)),
        Row(method, path, "unknown", signed_in(404)),
    ]


def _deal_room_rows() -> list[Row]:
    leads = {"lead_owner": 201, "lead_other": 201}
    rows = [
        # Opening: project leads only (role checked first); the owner, on a vetted project; hidden projects 404.
        Row("POST", ROOM_OPEN, "vetted", only({"lead_owner": 201}, 403)),
        Row("POST", ROOM_OPEN, "draft", only({"lead_owner": 409, "lead_other": 404}, 403)),
        Row("POST", ROOM_OPEN, "unknown", only({k: 404 for k in leads}, 403)),
        # Asking for access: investors and banks (a participant already: 409); no open room: 404.
        Row("POST", ROOM_ASK, "room", only({"investor": 201, "bank": 409}, 403)),
        Row("POST", ROOM_ASK, "no_room", only({"investor": 404, "bank": 404}, 403)),
        Row("GET", f"{API}/deal-rooms", "-", signed_in(200)),
        *_rows_for(R, "GET", 200, 200, 200, 200),
        *_rows_for(f"{R}/nda", "GET", 200, 200, 200, 200),
        *_rows_for(f"{R}/nda/acceptance", "POST", 201, 201, 201, 201),
        *_rows_for(f"{R}/participants", "GET", 200, 200, 403, 200),
        *_rows_for(f"{R}/transitions", "GET", 200, 200, 403, 200),
        *_rows_for(f"{R}/transitions", "POST", 201, 403, 403, 403),
        *_rows_for(f"{R}/participants", "POST", 201, 403, 403, 403),
        *_rows_for(ROOM_PARTICIPANT, "DELETE", 204, 403, 403, 403),
        *_rows_for(f"{R}/access-requests", "GET", 200, 403, 403, 403),
        *_rows_for(ROOM_DECISION, "POST", 200, 403, 403, 403),
        *_rows_for(f"{R}/nda", "POST", 201, 403, 403, 403),
        # Leaving: anyone taking part, except the room's last lead-team member (409).
        *_rows_for(f"{R}/leave", "POST", 409, 204, 204, 204),
    ]
    return rows


DEAL_ROOM_ROWS = _deal_room_rows()
MATRIX += DEAL_ROOM_ROWS


# ── notifications (issue 8 §5) ───────────────────────────────────────────────────────────────
# Requests for these rows are sent by tests/service/authz_matrix/notifications.py. Targets of a
# read mark: ``own`` (a notification of the caller), ``other`` (of another user: unknown, 404),
# ``unknown``; the list, the count and read-all only ever touch the caller's own rows.

N = f"{API}/notifications"
NOTIFICATION_ROWS = [
    Row("GET", N, "-", signed_in(200)),
    Row("GET", f"{N}/unread-count", "-", signed_in(200)),
    Row("POST", f"{N}/read-all", "-", signed_in(200)),
    Row("POST", f"{N}/{{notification_id}}/read", "own", signed_in(200)),
    Row("POST", f"{N}/{{notification_id}}/read", "other", signed_in(404)),
    Row("POST", f"{N}/{{notification_id}}/read", "unknown", signed_in(404)),
]
MATRIX += NOTIFICATION_ROWS
# ── deal-room Q&A (issue 8, §3) ──────────────────────────────────────────────────────────────
# Rows and their requests are in tests/service/authz_matrix/deal_room_qa.py (targets in its docstring).
MATRIX += [Row(r.method, r.path, r.target, r.expect) for r in QA_ROWS]
# ── deal rooms: the live feed (issue 8 §4), rows in deal_room_live.py ──────────────────────────
from tests.service.authz_matrix.deal_room_live import LIVE_ROWS  # noqa: E402

_LIVE = [row for method, suffix, *statuses in LIVE_ROWS for row in _rows_for(f"{R}{suffix}", method, *statuses)]
DEAL_ROOM_ROWS += _LIVE
MATRIX += _LIVE
