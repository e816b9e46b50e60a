"""Notification mails over real SMTP on 127.0.0.1 (aiosmtpd), against a scratch database whose
commits are real: a committed notification's mail arrives once, a rolled-back one never leaves,
an SMTP failure is retried and then delivered once; the app's own worker delivers a room
invitation made through the API; ``KYOSO_SMTP_URL``'s login, STARTTLS and smtps:// work."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from service.app import create_app
from service.auth.tokens import TokenCodec
from service.db import create_engine, session_factory
from service.models import AuthSession, Membership, Notification, Organisation, OutboxMessage, User
from service.models.base import utcnow
from service.models.enums import OrgKind, Role
from service.notifications import MAIL_INFO_KEY, notify
from service.outbox import MAIL, MailSender, drain_once
from service.settings import parse_smtp_url
from tests.conftest import TEST_SECRET
from tests.service.deal_rooms.support import NDA
from tests.service.helpers import project_row
from tests.service.notifications.tls import LocalTLS, local_tls
from tests.support.scratch_db import scratch_database
from tests.support.smtp import SMTPSink

ROOM = {"room_ja": "米子ディール", "room_en": "Yonago deal"}
PARAMS = {**ROOM, "from_stage": "open", "to_stage": "nda"}


@pytest.fixture(scope="module")
async def scratch(database_url: str) -> AsyncIterator[tuple[str, AsyncEngine]]:
    async with scratch_database(database_url) as url:
        engine = create_engine(url, pool_size=4)
        try:
            yield url, engine
        finally:
            await engine.dispose()


@pytest.fixture
async def maker(scratch: tuple[str, AsyncEngine]) -> async_sessionmaker[AsyncSession]:
    """Sessions as the app makes them with mail configured; the outbox emptied of earlier tests'."""
    maker = session_factory(scratch[1], info={MAIL_INFO_KEY: "https://kyoso.example.jp"})
    async with maker() as session, session.begin():
        await session.execute(OutboxMessage.__table__.delete())  # type: ignore[attr-defined]
    return maker


@pytest.fixture
def sink() -> Iterator[SMTPSink]:
    with SMTPSink() as s:
        yield s


async def _user(maker: async_sessionmaker[AsyncSession], email: str | None = None) -> User:
    async with maker() as session, session.begin():
        user = User(
            email=email or f"{uuid.uuid4().hex[:10]}@example.jp", display_name="通知 テスト", email_verified_at=utcnow()
        )
        session.add(user)
    return user


def _sender(url: str, tls: LocalTLS | None = None) -> MailSender:
    sender = MailSender.for_target(parse_smtp_url(url), sender="Kyoso <no-reply@kyoso.example>")
    if tls is not None:
        sender.tls_context = tls.client
    return sender


async def test_a_committed_notification_mail_arrives_once(maker, sink):
    user = await _user(maker)
    async with maker() as session, session.begin():
        await notify(session, [user.id], "stage_changed", PARAMS)
    sender = _sender(f"smtp://{sink.host}:{sink.port}")

    assert await drain_once(maker, {MAIL: sender}) == 1
    assert await drain_once(maker, {MAIL: sender}) == 0

    [message] = sink.messages
    assert message["To"] == user.email
    assert message["Subject"] == (
        "【Kyoso】ディールルーム「米子ディール」の段階が「nda」になりました / "
        "The deal room 'Yonago deal' moved to the stage 'nda'"
    )
    body = message.get_content()
    assert "「open」から「nda」に移りました" in body
    assert "moved from the stage 'open' to 'nda'" in body


async def test_a_rolled_back_notification_sends_nothing(maker, sink):
    user = await _user(maker)
    async with maker() as session:
        await session.begin()
        await notify(session, [user.id], "stage_changed", PARAMS)
        await session.rollback()

    assert await drain_once(maker, {MAIL: _sender(f"smtp://{sink.host}:{sink.port}")}) == 0
    assert sink.messages == []
    async with maker() as session:
        assert (await session.scalars(select(Notification).where(Notification.user_id == user.id))).all() == []


async def test_an_smtp_failure_is_retried_and_then_delivered_once(maker, sink):
    user = await _user(maker)
    async with maker() as session, session.begin():
        await notify(session, [user.id], "access_declined", {**ROOM, "reason": "時期尚早"})
    with SMTPSink() as closed:
        down = f"smtp://{closed.host}:{closed.port}"
    # Nothing listens there any more: the send fails and is kept for later.
    assert await drain_once(maker, {MAIL: _sender(down)}) == 0
    async with maker() as session:
        row = (await session.scalars(select(OutboxMessage))).one()
    assert (row.attempts, row.sent_at) == (1, None)
    assert row.last_error
    assert row.available_at > utcnow() + timedelta(seconds=20)
    up = _sender(f"smtp://{sink.host}:{sink.port}")
    assert await drain_once(maker, {MAIL: up}) == 0  # not before its time
    async with maker() as session, session.begin():
        await session.execute(update(OutboxMessage).values(available_at=utcnow()))

    assert await drain_once(maker, {MAIL: up}) == 1
    assert await drain_once(maker, {MAIL: up}) == 0
    assert [m["To"] for m in sink.messages] == [user.email]


def _login(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"kyoso", b"p@ss:w/rd")
    return AuthResult(success=ok)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
async def test_the_url_signs_in_and_a_wrong_password_is_a_failure_kept_for_retry(maker):
    user = await _user(maker)
    async with maker() as session, session.begin():
        await notify(session, [user.id], "stage_changed", PARAMS)
    with SMTPSink(authenticator=_login, auth_require_tls=False, auth_required=True) as sink:
        wrong = _sender(f"smtp://kyoso:nope@{sink.host}:{sink.port}")
        # smtplib tries the next mechanism after a refusal, which this server leaves unanswered:
        # a short timeout keeps the test quick; refused or timed out, the mail is kept for retry.
        wrong.timeout = 2.0
        assert await drain_once(maker, {MAIL: wrong}) == 0
        assert sink.messages == []
        async with maker() as session:
            assert (await session.scalars(select(OutboxMessage))).one().last_error
        async with maker() as session, session.begin():
            await session.execute(update(OutboxMessage).values(available_at=utcnow()))
        right = _sender(f"smtp://kyoso:p%40ss%3Aw%2Frd@{sink.host}:{sink.port}")
        assert await drain_once(maker, {MAIL: right}) == 1
    assert [m["To"] for m in sink.messages] == [user.email]


@pytest.mark.parametrize("scheme", ["starttls", "smtps"])
async def test_mail_goes_over_tls_with_the_certificate_checked(maker, tmp_path: Path, scheme):
    user = await _user(maker)
    async with maker() as session, session.begin():
        await notify(session, [user.id], "stage_changed", PARAMS)
    tls = local_tls(tmp_path)
    server = (
        {"tls_context": tls.server, "require_starttls": True} if scheme == "starttls" else {"ssl_context": tls.server}
    )
    with SMTPSink(**server) as sink:
        url = (
            f"smtp://{sink.host}:{sink.port}?starttls=1" if scheme == "starttls" else f"smtps://{sink.host}:{sink.port}"
        )
        # A client that does not trust the certificate sends nothing.
        assert await drain_once(maker, {MAIL: _sender(url)}) == 0
        async with maker() as session, session.begin():
            await session.execute(update(OutboxMessage).values(available_at=utcnow()))
        assert await drain_once(maker, {MAIL: _sender(url, tls)}) == 1
    assert [m["To"] for m in sink.messages] == [user.email]


async def test_the_apps_worker_mails_an_invitation_made_through_the_api_once(scratch, maker, settings, sink):
    invitee = await _user(maker, f"invitee-{uuid.uuid4().hex[:6]}@example.jp")
    codec = TokenCodec(TEST_SECRET)
    async with maker() as session, session.begin():
        lead = User(email=f"lead-{uuid.uuid4().hex[:6]}@example.jp", display_name="リード 太郎")
        org = Organisation(kind=OrgKind.local_management_corp, name_ja="米子まちづくり", name_en="Yonago MC")
        bank_org = Organisation(kind=OrgKind.regional_bank, name_ja="山陰銀行", name_en="San'in Bank")
        session.add_all([lead, org, bank_org])
        await session.flush()
        auth = AuthSession(user_id=lead.id, method="test", expires_at=utcnow() + timedelta(hours=1))
        project = project_row(org.id, lead.id, "vetted")
        session.add_all(
            [
                Membership(user_id=lead.id, organisation_id=org.id, role=Role.project_lead),
                Membership(user_id=invitee.id, organisation_id=bank_org.id, role=Role.bank),
                auth,
                project,
            ]
        )
    token = codec.issue(lead.id, auth.id, issued_at=utcnow(), expires_at=auth.expires_at)
    headers = {"Authorization": f"Bearer {token}"}
    configured = dataclasses.replace(
        settings, smtp_url=parse_smtp_url(f"smtp://{sink.host}:{sink.port}"), database_url=scratch[0]
    )
    async with AsyncTestClient(app=create_app(configured), base_url="https://testserver.local") as client:
        opened = await client.post(f"/api/v1/projects/{project.id}/deal-room", json=NDA, headers=headers)
        assert opened.status_code == 201, opened.text
        body = {"user_id": str(invitee.id), "organisation_id": str(bank_org.id), "role": "bank"}
        invited = await client.post(
            f"/api/v1/deal-rooms/{opened.json()['id']}/participants", json=body, headers=headers
        )
        assert invited.status_code == 201, invited.text
        for _ in range(100):
            if sink.to(invitee.email):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(2.5)  # another round of the worker (every 2 s) sends nothing again
    [message] = sink.to(invitee.email)
    assert "リード 太郎 さんが、あなたをディールルーム" in message.get_content()
    assert sink.to(lead.email) == []
