"""Sign-up end to end through a real SMTP server on 127.0.0.1: the mail arrives after commit with
its token, the token verifies the address, the account signs in; the token leaves the outbox."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from service.models import OutboxMessage
from service.outbox import MAIL, MailSender, drain_once
from service.settings import Settings, SettingsError
from tests.support.accounts import PASSWORD, signup, token_in
from tests.support.smtp import SMTPSink


@pytest.fixture
def sink() -> Iterator[SMTPSink]:
    with SMTPSink() as s:
        yield s


async def test_the_verification_mail_arrives_and_its_token_signs_the_account_up(client, db, session_maker, sink):
    assert (await signup(client, "hanako@example.jp", preferred_language="en")).status_code == 202
    assert sink.messages == []  # nothing leaves inside the request
    sender = MailSender(host=sink.host, port=sink.port, sender="Kyoso <no-reply@kyoso.example>")
    assert await drain_once(session_maker, {MAIL: sender}) == 1
    [message] = sink.to("hanako@example.jp")
    assert message["Subject"] == "[Kyoso] Confirm your email address"
    assert message["From"] == "Kyoso <no-reply@kyoso.example>"
    assert message["Message-ID"].endswith("@outbox.kyoso>")
    assert sink.envelopes[0][1] == ["hanako@example.jp"]
    token = token_in(message.get_content())
    verified = await client.post("/api/v1/auth/verify-email", json={"token": token, "password": PASSWORD})
    assert verified.status_code == 201, verified.text
    login = await client.post("/api/v1/auth/login", json={"email": "hanako@example.jp", "password": PASSWORD})
    assert login.status_code == 200
    # Sent once; the one-time token is not kept in the outbox after sending.
    assert await drain_once(session_maker, {MAIL: sender}) == 0
    row = (await db.execute(select(OutboxMessage))).scalar_one()
    assert row.sent_at is not None
    assert "text" not in row.payload


async def test_a_japanese_mail_to_a_japanese_address_arrives_intact(client, session_maker, sink):
    await signup(client, "はなこ@例え.jp")
    sender = MailSender(host=sink.host, port=sink.port, sender="Kyoso <no-reply@kyoso.example>")
    assert await drain_once(session_maker, {MAIL: sender}) == 1
    [message] = sink.messages
    assert message["Subject"] == "【Kyoso】メールアドレスの確認"
    assert "メールアドレスを確認してください" in message.get_content()
    assert message["To"] == "はなこ@xn--r8jz45g.jp"


async def test_without_an_smtp_host_the_mail_is_logged_for_the_developer(client, db, session_maker, caplog):
    await signup(client)
    with caplog.at_level(logging.INFO, logger="kyoso.mail"):
        assert await drain_once(session_maker, {MAIL: MailSender(host=None, port=25, sender="k@example.jp")}) == 1
    [record] = [r for r in caplog.records if r.name == "kyoso.mail"]
    assert record.levelno == logging.INFO
    assert "hanako@example.jp" in record.getMessage()
    assert token_in(record.getMessage())


def test_mail_and_sign_up_settings_come_from_the_environment():
    env = {
        "KYOSO_SECRET_KEY": "k" * 40,
        "KYOSO_SMTP_HOST": "smtp.example.jp",
        "KYOSO_SMTP_PORT": "2525",
        "KYOSO_MAIL_FROM": "Kyoso <no-reply@example.jp>",
        "KYOSO_PUBLIC_URL": "https://kyoso.example.jp/",
        "KYOSO_SIGNUP_MAX_PER_IP": "3",
    }
    settings = Settings.from_env(env)
    assert (settings.smtp_host, settings.smtp_port, settings.mail_from) == (
        "smtp.example.jp",
        2525,
        "Kyoso <no-reply@example.jp>",
    )
    assert settings.public_url == "https://kyoso.example.jp"
    assert settings.signup_max_per_ip == 3
    assert Settings.from_env({"KYOSO_SECRET_KEY": "k" * 40}).smtp_host is None  # mails are logged
    with pytest.raises(SettingsError, match="KYOSO_PUBLIC_URL"):
        Settings.from_env({**env, "KYOSO_PUBLIC_URL": "kyoso.example.jp"})
