"""Checked fine: used, expired and unknown verification tokens answer exactly alike."""

from datetime import timedelta

from sqlalchemy import update

from service.models import SignupRequest
from service.models.base import utcnow
from tests.support.accounts import PASSWORD, verification_token


async def test_probe_verify_codes(client, db):
    r = await client.post(
        "/api/v1/auth/signup", json={"email": "v1@example.jp", "password": PASSWORD, "display_name": "x"}
    )
    t1 = await verification_token(db, "v1@example.jp")
    r = await client.post(
        "/api/v1/auth/signup", json={"email": "v2@example.jp", "password": PASSWORD, "display_name": "x"}
    )
    t2 = await verification_token(db, "v2@example.jp")
    await db.execute(
        update(SignupRequest)
        .where(SignupRequest.email == "v2@example.jp")
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    await db.commit()
    ok = await client.post("/api/v1/auth/verify-email", json={"token": t1})
    used = await client.post("/api/v1/auth/verify-email", json={"token": t1})
    expired = await client.post("/api/v1/auth/verify-email", json={"token": t2})
    unknown = await client.post("/api/v1/auth/verify-email", json={"token": "A" * 43})
    print("\nok", ok.status_code)
    for name, r in (("used", used), ("expired", expired), ("unknown", unknown)):
        print(name, r.status_code, r.text)
    assert used.text == expired.text == unknown.text
