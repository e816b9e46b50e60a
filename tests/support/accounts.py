"""Sign-up through the API as a user does it: request, read the mail the outbox holds, verify."""

from __future__ import annotations

import re
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.models import OutboxMessage

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r"token=([A-Za-z0-9_-]{16,})")


async def mails_to(db: AsyncSession, address: str) -> list[OutboxMessage]:
    """Mails enqueued for ``address``, oldest first."""
    rows = await db.execute(
        select(OutboxMessage)
        .where(OutboxMessage.kind == "mail", OutboxMessage.payload["to"].astext == address)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return list(rows.scalars())


def token_in(text: str) -> str:
    found = _TOKEN.search(text)
    assert found is not None, f"no verification token in: {text!r}"
    return found.group(1)


async def verification_token(db: AsyncSession, address: str) -> str:
    mails = await mails_to(db, address)
    assert mails, f"no mail to {address}"
    return token_in(mails[-1].payload["text"])


async def signup(client: httpx.AsyncClient, email: str = "hanako@example.jp", **extra: Any) -> httpx.Response:
    body = {"email": email, "password": PASSWORD, "display_name": "山田 花子", **extra}
    return await client.post("/api/v1/auth/signup", json=body)


async def signup_verified(
    client: httpx.AsyncClient, db: AsyncSession, email: str = "hanako@example.jp", **extra: Any
) -> httpx.Response:
    """Sign up and verify; returns the verification's answer (201 with the account)."""
    requested = await signup(client, email, **extra)
    assert requested.status_code == 202, requested.text
    token = await verification_token(db, requested.json()["email"])
    password = extra.get("password", PASSWORD)
    verified = await client.post("/api/v1/auth/verify-email", json={"token": token, "password": password})
    assert verified.status_code == 201, verified.text
    return verified
