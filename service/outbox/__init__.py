"""The shared outbox: what leaves the transaction (mail, later Stripe calls and notifications)
is written with :func:`enqueue` in the request's transaction and delivered after commit by the
:class:`OutboxDrainer` (started by the app) or :func:`drain_once` (tests, scripts)."""

from service.outbox.drainer import OutboxDrainer
from service.outbox.mail import MAIL, MailSender, mail_payload
from service.outbox.store import MAX_ATTEMPTS, Handler, drain_once, enqueue, retry_delay

__all__ = [
    "MAIL",
    "MAX_ATTEMPTS",
    "Handler",
    "MailSender",
    "OutboxDrainer",
    "drain_once",
    "enqueue",
    "mail_payload",
    "retry_delay",
]
