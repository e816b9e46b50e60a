"""Email through the outbox: a payload shape and the sender that delivers it over SMTP.

    await enqueue(session, MAIL, mail_payload(to="hanako@example.jp", subject="...", text="..."))

With no SMTP host configured (development), the sender logs each mail at INFO on the
``kyoso.mail`` logger instead, so the developer can copy a link from the log.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

_log = logging.getLogger("kyoso.mail")

MAIL = "mail"


def mail_payload(*, to: str, subject: str, text: str, secret: bool = False) -> dict[str, Any]:
    """An outbox payload for one plain-text mail; ``secret`` drops the text once it is sent."""
    payload: dict[str, Any] = {"to": to, "subject": subject, "text": text}
    if secret:
        payload["redact_after_send"] = ["text"]
    return payload


class MailSender:
    """The outbox handler for :data:`MAIL`. ``host`` None logs instead of sending."""

    def __init__(self, *, host: str | None, port: int, sender: str, timeout: float = 10.0) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.timeout = timeout

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

    def _send(self, message: EmailMessage) -> None:
        assert self.host is not None
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.send_message(message)

    async def __call__(self, message_id: uuid.UUID, payload: dict[str, Any]) -> None:
        message = self.build(message_id, payload)
        if self.host is None:
            _log.info(
                "mail not sent (KYOSO_SMTP_HOST is not set) to=%s subject=%s\n%s",
                payload["to"],
                payload["subject"],
                payload["text"],
            )
            return
        await asyncio.to_thread(self._send, message)
