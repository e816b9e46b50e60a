"""``KYOSO_SMTP_URL`` and how it sits with the older ``KYOSO_SMTP_HOST``/``PORT``: the URL is where
every mail goes; the host and port alone mean ``smtp://HOST:PORT``; both at once stop start-up;
neither logs mails and keeps notifications in-app."""

from __future__ import annotations

import pytest

from service.app import create_app
from service.notifications import MAIL_INFO_KEY
from service.outbox import MailSender
from service.settings import Settings, SettingsError, SmtpTarget, parse_smtp_url

SECRET = {"KYOSO_SECRET_KEY": "k" * 40, "KYOSO_AUDIT_KEY": "a" * 40}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.jp", SmtpTarget("mail.example.jp", 25)),
        ("smtp://127.0.0.1:2525", SmtpTarget("127.0.0.1", 2525)),
        ("smtp://mail.example.jp:587?starttls=1", SmtpTarget("mail.example.jp", 587, "starttls")),
        ("smtps://mail.example.jp", SmtpTarget("mail.example.jp", 465, "implicit")),
        (
            "smtps://kyoso%40example.jp:p%40ss%3Aw%2Frd@mail.example.jp:4650",
            SmtpTarget("mail.example.jp", 4650, "implicit", "kyoso@example.jp", "p@ss:w/rd"),
        ),
        ("smtp://user:@mail.example.jp", SmtpTarget("mail.example.jp", 25, "none", "user", "")),
    ],
)
def test_the_url_names_server_port_security_and_login(tmp_path, url, expected):
    assert parse_smtp_url(url) == expected
    settings = Settings.from_env({**SECRET, "KYOSO_DATA_DIR": str(tmp_path), "KYOSO_SMTP_URL": url})
    assert settings.smtp == expected


@pytest.mark.parametrize(
    "url",
    [
        "mail.example.jp",
        "http://mail.example.jp",
        "smtp://",
        "smtp://mail.example.jp:0",
        "smtp://mail.example.jp:70000",
        "smtp://mail.example.jp/inbox",
        "smtp://mail.example.jp?tls=1",
        "smtp://mail.example.jp?starttls=yes-please",
        "smtps://mail.example.jp?starttls=1",
        "smtp://:secret@mail.example.jp",
    ],
)
def test_a_bad_url_stops_start_up_naming_the_variable_without_echoing_it(tmp_path, url):
    with pytest.raises(SettingsError, match=r"^KYOSO_SMTP_URL") as refused:
        Settings.from_env({**SECRET, "KYOSO_DATA_DIR": str(tmp_path), "KYOSO_SMTP_URL": url})
    assert "secret" not in str(refused.value)


def test_the_password_stays_out_of_repr(tmp_path):
    settings = Settings.from_env(
        {**SECRET, "KYOSO_DATA_DIR": str(tmp_path), "KYOSO_SMTP_URL": "smtp://kyoso:hunter22@mail.example.jp"}
    )
    assert "hunter22" not in repr(settings)
    assert settings.smtp is not None
    assert settings.smtp.password == "hunter22"


def test_host_and_port_alone_mean_plain_smtp_and_both_forms_at_once_are_refused(tmp_path):
    env = {**SECRET, "KYOSO_DATA_DIR": str(tmp_path), "KYOSO_SMTP_HOST": "mail.example.jp", "KYOSO_SMTP_PORT": "2525"}
    assert Settings.from_env(env).smtp == SmtpTarget("mail.example.jp", 2525)
    with pytest.raises(SettingsError, match="KYOSO_SMTP_URL and KYOSO_SMTP_HOST"):
        Settings.from_env({**env, "KYOSO_SMTP_URL": "smtp://other.example.jp"})
    assert Settings.from_env({**SECRET, "KYOSO_DATA_DIR": str(tmp_path)}).smtp is None


def test_the_sender_follows_the_target():
    sender = MailSender.for_target(parse_smtp_url("smtps://u:p@mail.example.jp"), sender="k@example.jp")
    assert (sender.host, sender.port, sender.security, sender.username, sender.password) == (
        "mail.example.jp",
        465,
        "implicit",
        "u",
        "p",
    )
    assert MailSender.for_target(None, sender="k@example.jp").host is None  # logged, not sent


@pytest.mark.parametrize(
    ("env", "queued"),
    [({}, False), ({"KYOSO_SMTP_URL": "smtp://127.0.0.1:2525"}, True), ({"KYOSO_SMTP_HOST": "127.0.0.1"}, True)],
)
def test_notification_mails_are_queued_only_with_a_mail_server(tmp_path, env, queued):
    app = create_app(Settings.from_env({**SECRET, "KYOSO_DATA_DIR": str(tmp_path), **env}))
    assert (MAIL_INFO_KEY in (app.state.get("session_info") or {})) is queued
