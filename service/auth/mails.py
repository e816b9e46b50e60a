"""The accounts domain's mails in the recipient's preferred language (texts: service/auth/messages.py)."""

from __future__ import annotations

from typing import Any

from service.auth.messages import MESSAGES
from service.messages import Lang
from service.outbox import mail_payload


def _lang(lang: str) -> Lang:
    return "en" if lang == "en" else "ja"


def verification_mail(*, to: str, lang: str, token: str, public_url: str, hours: int) -> dict[str, Any]:
    link = f"{public_url}/verify-email?token={token}"
    subject = MESSAGES.text("mail.verify_email.subject")
    body = MESSAGES.text("mail.verify_email.body", link=link, token=token, hours=hours)
    pick = _lang(lang)
    return mail_payload(to=to, subject=getattr(subject, pick), text=getattr(body, pick), secret=True)


def already_registered_mail(*, to: str, lang: str, public_url: str) -> dict[str, Any]:
    subject = MESSAGES.text("mail.already_registered.subject")
    body = MESSAGES.text("mail.already_registered.body", login=f"{public_url}/login")
    pick = _lang(lang)
    return mail_payload(to=to, subject=getattr(subject, pick), text=getattr(body, pick))
