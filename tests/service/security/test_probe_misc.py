"""Used, expired and unknown verification tokens, and a good token with the wrong password,
answer exactly alike."""

from datetime import timedelta

from sqlalchemy import update

from service.models import SignupRequest
from service.models.base import utcnow
from tests.support.accounts import PASSWORD, verification_token


async def test_probe_verify_codes(client, db):
    await client.post("/api/v1/auth/signup", json={"email": "v1@example.jp", "password": PASSWORD, "display_name": "x"})
    t1 = await verification_token(db, "v1@example.jp")
    await client.post("/api/v1/auth/signup", json={"email": "v2@example.jp", "password": PASSWORD, "display_name": "x"})
    t2 = await verification_token(db, "v2@example.jp")
    await db.execute(
        update(SignupRequest)
        .where(SignupRequest.email == "v2@example.jp")
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    await db.commit()
    ok = await client.post("/api/v1/auth/verify-email", json={"token": t1, "password": PASSWORD})
    used = await client.post("/api/v1/auth/verify-email", json={"token": t1, "password": PASSWORD})
    expired = await client.post("/api/v1/auth/verify-email", json={"token": t2, "password": PASSWORD})
    unknown = await client.post("/api/v1/auth/verify-email", json={"token": "A" * 43, "password": PASSWORD})
    await client.post("/api/v1/auth/signup", json={"email": "v3@example.jp", "password": PASSWORD, "display_name": "x"})
    t3 = await verification_token(db, "v3@example.jp")
    wrong_password = await client.post("/api/v1/auth/verify-email", json={"token": t3, "password": "A" * 12})
    assert ok.status_code == 201
    assert used.status_code == 422
    assert used.text == expired.text == unknown.text == wrong_password.text
