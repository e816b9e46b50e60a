"""Run the account flows with every logger at DEBUG and look for secrets in what was logged."""

from __future__ import annotations

import logging

from tests.conftest import TEST_AUDIT_KEY, TEST_SECRET
from tests.support.accounts import PASSWORD, verification_token


class Grab(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {text}")


async def test_no_secret_in_logs(client, db):
    grab = Grab()
    root = logging.getLogger()
    old = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(grab)
    try:
        await client.post(
            "/api/v1/auth/signup", json={"email": "log@example.jp", "password": PASSWORD, "display_name": "x"}
        )
        token = await verification_token(db, "log@example.jp")
        await client.post("/api/v1/auth/verify-email", json={"token": token, "password": PASSWORD})
        await client.post("/api/v1/auth/login", json={"email": "log@example.jp", "password": "wrong-password-xyz"})
        ok = await client.post("/api/v1/auth/login", json={"email": "log@example.jp", "password": PASSWORD})
        access = ok.json()["access_token"]
        csrf = ok.json()["csrf_token"]
        await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {access}"})
        await client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {access}"})
        await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {access}"})
    finally:
        root.removeHandler(grab)
        root.setLevel(old)
    text = "\n".join(grab.lines)
    found = {
        name: secret in text
        for name, secret in {
            "password": PASSWORD,
            "wrong password": "wrong-password-xyz",
            "access token": access,
            "csrf token": csrf,
            "verification token": token,
            "audit key": TEST_AUDIT_KEY,
            "secret key": TEST_SECRET,
            "argon2 hash": "$argon2",
        }.items()
    }
    print(f"\n{len(grab.lines)} log lines; secrets found: {found}")
    for line in grab.lines:
        if "sqlalchemy" not in line:
            print("  ", line[:200])
    assert not any(found.values())
