"""The expected failures a domain raises, framework-neutral (msgspec only).

:class:`DomainError` carries a stable ``code`` and its message in Japanese and English; each
subclass fixes the HTTP status. Domains build them from their message catalogue
(``MESSAGES.error(Conflict, "project.not_editable", status=...)``, see service/messages.py);
service/errors.py re-exports them and turns them into problem responses. They live apart from
the handlers so the catalogues, which build them, and the handlers, which read the common
catalogue, import each other in one direction only: domain_errors ← messages ← errors.
"""

from __future__ import annotations

import msgspec


class Message(msgspec.Struct, frozen=True):
    ja: str
    en: str


class FieldError(msgspec.Struct, frozen=True):
    field: str
    code: str
    message: Message


class DomainError(Exception):
    """Base of every expected failure; subclasses fix the HTTP status.

    ``retry_after`` (seconds) becomes the response's ``Retry-After`` header. The ja/en texts come
    from a catalogue; only a pure library's own refusal (``impact.ImpactInputError``) is passed
    through as it is.
    """

    status_code = 400

    def __init__(
        self,
        code: str,
        ja: str,
        en: str,
        *,
        errors: list[FieldError] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(en)
        self.code = code
        self.message = Message(ja=ja, en=en)
        self.errors = errors or []
        self.retry_after = retry_after

    @classmethod
    def for_field(cls, field: str, code: str, ja: str, en: str) -> DomainError:
        """A pure library's refusal of ``field``, its texts passed through."""
        return cls(code, ja, en, errors=[FieldError(field=field, code=code, message=Message(ja=ja, en=en))])

    def nested_in(self, prefix: str) -> DomainError:
        """This error with its fields named inside ``prefix``, for an object nested in a request body."""
        self.errors = [FieldError(field=f"{prefix}.{e.field}", code=e.code, message=e.message) for e in self.errors]
        return self


class InvalidInput(DomainError):
    status_code = 422


class Unauthenticated(DomainError):
    status_code = 401


class Forbidden(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class UnsupportedMediaType(DomainError):
    status_code = 415


class TooManyRequests(DomainError):
    """A 429; always says how long to wait (``retry_after``, seconds)."""

    status_code = 429


__all__ = [
    "Conflict",
    "DomainError",
    "FieldError",
    "Forbidden",
    "InvalidInput",
    "Message",
    "NotFound",
    "TooManyRequests",
    "Unauthenticated",
    "UnsupportedMediaType",
]
