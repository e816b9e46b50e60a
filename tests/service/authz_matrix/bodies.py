"""What a matrix row sends: the ids filling its path and its request body (objects it needs, such
as a user to log in as, are arranged here)."""

from __future__ import annotations

import uuid
from typing import Any

from service.auth.passwords import hash_password
from service.models import User
from tests.service.authz_matrix.rows import API, Row
from tests.service.conftest import World
from tests.service.helpers import project_payload, vetting_payload

LOGIN_PASSWORD = "correct horse battery staple"


def uuid_for(world: World, path: str, target: str) -> dict[str, str]:
    unknown = str(uuid.uuid4())
    if "{project_id}" in path:
        status = target.split("->")[0]
        pid = world.other_draft if target == "other_draft" else world.projects.get(status)
        return {"project_id": str(pid) if pid else unknown}
    if "{profile_id}" in path:
        return {"profile_id": str(world.profiles[target]) if target in world.profiles else unknown}
    if "{organisation_id}" in path:
        return {"organisation_id": str(world.org_a.id) if target == "org_a" else unknown}
    if "{sphere_id}" in path:
        return {"sphere_id": str(world.sphere) if target == "sphere" else unknown}
    if "{version_id}" in path:
        return {"version_id": unknown}
    return {}


def _profile_payload(**overrides: Any) -> dict[str, Any]:
    return {
        "display_name_ja": "新しい投資家",
        "display_name_en": "New investor",
        "investor_type": "fund",
        "ticket_min_yen": 1_000_000,
        "ticket_max_yen": 10_000_000,
        "risk_tolerance": "low",
        **overrides,
    }


async def request_body(row: Row, world: World, db: Any) -> dict[str, Any] | None:
    path = row.path.removeprefix(API)
    if path == "/auth/signup":
        body: dict[str, Any] = {
            "email": f"new-{uuid.uuid4().hex[:8]}@example.jp",
            "password": LOGIN_PASSWORD,
            "display_name": "新規 ユーザー",
        }
        if row.target.startswith("with_org_as_"):
            organisation = {"kind": "company", "name_ja": "新会社", "name_en": "New company"}
            body["organisation"] = {"organisation": organisation, "role": row.target.removeprefix("with_org_as_")}
        return body
    if path == "/auth/verify-email":
        return {"token": "unknown-token-" + uuid.uuid4().hex, "password": LOGIN_PASSWORD}
    if path == "/auth/login":
        email = f"login-{uuid.uuid4().hex[:8]}@example.jp"
        db.add(User(email=email, display_name="ログイン ユーザー", password_hash=_login_hash()))
        await db.commit()
        return {"email": email, "password": LOGIN_PASSWORD}
    if (
        row.method in ("GET", "DELETE")
        or path in ("/auth/logout", "/auth/oidc/link", "/investors/me")
        or path.startswith("/admin/models")
    ):
        return None
    if path == "/events":
        profile, status = row.target.split(":")
        return {
            "id": str(uuid.uuid4()),
            "investor_id": str(world.profiles[profile]),
            "project_id": str(world.projects[status]),
            "kind": "bookmark",
        }
    if path == "/organisations":
        return {"kind": "company", "name_ja": "新しい組織", "name_en": "New organisation"}
    if path == "/organisations/{organisation_id}":
        return {"name_en": "Renamed"}
    if path == "/organisations/{organisation_id}/members":
        return {"user_id": str(world.spare_user), "role": "investor"}
    if path == "/regions/living-spheres":
        return {
            "name_ja": f"新生活圏 {uuid.uuid4().hex[:6]}",
            "name_en": "New sphere",
            "core_municipality_code": "31202",
            "member_codes": ["31204"],
        }
    if path == "/projects":
        return project_payload(**({"organisation_id": str(world.org_a.id)} if row.target == "for_org_a" else {}))
    if path == "/projects/{project_id}":
        return {"title_en": "Edited"}
    if path == "/projects/{project_id}/transitions":
        to_status = target_to(row.target) or "submitted"
        return {"to_status": to_status, "reason": "テストのための変更"}
    if path == "/vetting/{project_id}/decision":
        return vetting_payload()
    if path == "/investors":
        org = {"investor_org": world.investor_org.id, "bank_org": world.bank_org.id}.get(row.target)
        return _profile_payload(**({"organisation_id": str(org)} if org else {}))
    if path == "/investors/{profile_id}":
        return {"display_name_en": "Edited"}
    raise AssertionError(f"no body for {row.method} {row.path}")


def target_to(target: str) -> str | None:
    return target.split("->")[1] if "->" in target else None


_HASH: list[str] = []


def _login_hash() -> str:
    if not _HASH:
        _HASH.append(hash_password(LOGIN_PASSWORD))
    return _HASH[0]
