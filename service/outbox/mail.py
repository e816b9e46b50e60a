"""Email through the outbox: a payload shape and the sender that delivers it over SMTP.

    await enqueue(session, MAIL, mail_payload(to="hanako@example.jp", subject="...", text="..."))

With no SMTP server configured (development), the sender logs each mail at INFO on the
``kyoso.mail`` logger instead, so the developer can copy a link from the log. The server comes
from ``KYOSO_SMTP_URL`` (``smtp://[user:pass@]host[:port][?starttls=1]``, ``smtps://`` for TLS
from the first byte) or ``KYOSO_SMTP_HOST``/``PORT`` (plain SMTP): :meth:`MailSender.for_target`.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from service.settings import SmtpTarget

_log = logging.getLogger("kyoso.mail")

MAIL = "mail"


def mail_payload(*, to: str, subject: str, text: str, secret: bool = False) -> dict[str, Any]:
    """An outbox payload for one plain-text mail; ``secret`` drops the text once it is sent."""
    payload: dict[str, Any] = {"to": to, "subject": subject, "text": text}
    if secret:
        payload["redact_after_send"] = ["text"]
    return payload


class MailSender:
    """The outbox handler for :data:`MAIL`. ``host`` None logs instead of sending.

    ``security`` is ``none``, ``starttls`` (upgrade a plain connection, certificate checked) or
    ``implicit`` (TLS from the start, ``smtps://``); a ``username`` signs in (AUTH) before sending.
    """

    def __init__(
        self,
        *,
        host: str | None,
        port: int,
        sender: str,
        timeout: float = 10.0,
        security: str = "none",
        username: str | None = None,
        password: str | None = None,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.timeout = timeout
        self.security = security
        self.username = username
        self.password = password
        self.tls_context = tls_context

    @classmethod
    def for_target(cls, target: SmtpTarget | None, *, sender: str) -> MailSender:
        if target is None:
            return cls(host=None, port=25, sender=sender)
        return cls(
            host=target.host,
            port=target.port,
            sender=sender,
            security=target.security,
            username=target.username,
            password=target.password,
        )

    def build(self, message_id: uuid.UUID, payload: dict[str, Any]) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = payload["to"]
        message["Subject"] = payload["subject"]
        message["Date"] = formatdate(usegmt=True)
        # The outbox id makes the Message-ID: a retried send is recognisably the same mail.
        message["Message-ID"] = f"<{message_id}@outbox.kyoso>"
        message.set_content(payload["text"])
        return message

    def _connect(self) -> smtplib.SMTP:
        assert self.host is not None
        context = self.tls_context or ssl.create_default_context()
        if self.security == "implicit":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            try:
                smtp.starttls(context=context)
            except BaseException:
                smtp.close()
                raise
        return smtp

    def _send(self, message: EmailMessage) -> None:
        with self._connect() as smtp:
            if self.username is not None:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)

    async def __call__(self, message_id: uuid.UUID, payload: dict[str, Any]) -> None:
        message = self.build(message_id, payload)
        if self.host is None:
            _log.info(
                "mail not sent (no KYOSO_SMTP_URL or KYOSO_SMTP_HOST) to=%s subject=%s\n%s",
                payload["to"],
                payload["subject"],
                payload["text"],
            )
            return
        await asyncio.to_thread(self._send, message)
