"""Message catalogues: every ja/en text the service shows, under a stable code, once.

Each domain keeps one :class:`Catalogue` in its ``messages.py`` (texts that belong to no domain:
``COMMON`` in service/common_messages.py); errors, pages and mails name a code and its
parameters instead of carrying an inline Japanese/English pair::

    # service/regions/messages.py
    MESSAGES = Catalogue(
        "regions",
        {
            "living_sphere.name_taken": Text(
                ja="同じ名前の地域生活圏があります。", en="A living sphere with that name exists."
            ),
            "region.unknown_municipality": Text(
                ja="存在しない市区町村コードです: {codes}", en="Unknown municipality codes: {codes}"
            ),
        },
    )

    # service/regions/service.py
    raise MESSAGES.error(Conflict, "living_sphere.name_taken")
    raise MESSAGES.invalid("member_codes", "region.unknown_municipality", codes="01100, 01101")

    # anywhere (a page, a report): one language, or both
    message("living_sphere.name_taken", "en")      # 'A living sphere with that name exists.'
    MESSAGES.text("region.unknown_municipality", codes="01100")  # Message(ja=..., en=...)

``error(Cls, code)`` builds any :class:`~service.errors.DomainError` subclass (the class fixes
the HTTP status); ``field_error(Cls, field, code)`` also names the request field, and
``invalid(field, code)`` is that for the usual 422. Two keyword arguments of ``error`` are
attributes of the error, never text parameters (:data:`RESERVED`, refused as placeholders):
``retry_after=`` seconds for the ``Retry-After`` header (required for ``TooManyRequests``) and
``errors=[MESSAGES.field(field, code)]`` when a field's text differs from the error's::

    raise MESSAGES.error(TooManyRequests, "auth.too_many_attempts", retry_after=decision.retry_after)
    raise MESSAGES.error(TooLarge, "evidence.too_large", errors=[MESSAGES.field("file", "evidence.too_large#field")])

A key ``code#variant`` is another text of the client-visible ``code`` (``investor.not_owner`` and
``investor.not_owner#delete`` both answer ``"code": "investor.not_owner"``). A parameter that is
itself a :class:`~service.errors.Message` fills each language with its own text
(``name=Message(ja=metric.name_ja, en=metric.name_en)``, or another code's ``MESSAGES.text(...)``).
A domain raising another domain's code imports that domain's catalogue (organisations raises
``region.unknown_municipality`` through ``service.regions.messages``).

This module and its catalogues import msgspec and service/domain_errors.py only, never the web
framework: service/errors.py's handlers read the common catalogue, and service/auth/oidc.py (a
framework-neutral client) reads the auth catalogue.

A code is registered once for the whole process (:data:`REGISTRY`): a second catalogue that
names an existing code fails at import. Both languages of a text must use the same
``{placeholders}``, and formatting demands exactly those parameters — a missing or unexpected
one raises :class:`MessageParameterError`, so a typo fails in the first test that reaches it
(and ``tests/service/test_messages.py`` reads every call site and checks that its code is a
literal of that catalogue, given exactly its parameters by name, without running it).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from typing import Literal, TypeVar

import msgspec

from service.domain_errors import DomainError, FieldError, InvalidInput, Message, TooManyRequests

Lang = Literal["ja", "en"]
_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+(#[a-z0-9_]+)?")
#: Keyword arguments of :meth:`Catalogue.error` that are attributes of the error, not text parameters.
RESERVED = frozenset({"errors", "retry_after"})
E = TypeVar("E", bound=DomainError)


class MessageParameterError(TypeError):
    """A message was formatted with missing or unexpected parameters (a bug at the call site)."""


class Text(msgspec.Struct, frozen=True):
    """One message in both languages; ``{name}`` placeholders are filled by :meth:`format`."""

    ja: str
    en: str

    def placeholders(self, lang: Lang) -> frozenset[str]:
        """The parameter names one language's template uses."""
        names: set[str] = set()
        for _, name, spec, _ in string.Formatter().parse(self.ja if lang == "ja" else self.en):
            if name is None:
                continue
            if not name.isidentifier():
                raise ValueError(f"placeholder {{{name}}} is not a plain name")
            if spec and "{" in spec:
                raise ValueError(f"placeholder {{{name}}} has a nested format spec")
            names.add(name)
        return frozenset(names)

    def format(self, **params: object) -> Message:
        """Both languages with ``params`` filled in; exactly the placeholders must be given.

        A parameter that is itself a :class:`Message` (a name with ``name_ja``/``name_en``, another
        code's text) fills each language with its own text."""
        wanted = self.placeholders("ja") | self.placeholders("en")
        if wanted != params.keys():
            missing, extra = sorted(wanted - params.keys()), sorted(params.keys() - wanted)
            raise MessageParameterError(f"missing parameters {missing}, unexpected {extra} for {self.en!r}")
        ja = {k: v.ja if isinstance(v, Message) else v for k, v in params.items()}
        en = {k: v.en if isinstance(v, Message) else v for k, v in params.items()}
        return Message(ja=self.ja.format(**ja), en=self.en.format(**en))


class Registry:
    """Code → text for the whole process; refuses a code that another catalogue already has."""

    def __init__(self) -> None:
        self._texts: dict[str, Text] = {}
        self._owners: dict[str, str] = {}

    def add(self, domain: str, texts: Mapping[str, Text]) -> None:
        for code, text in texts.items():
            if code in self._owners:
                raise ValueError(f"message code {code!r} of {domain!r} is already registered by {self._owners[code]!r}")
            if not _CODE.fullmatch(code):
                raise ValueError(f"message code {code!r} of {domain!r} is not like 'domain.what_happened'")
            if text.placeholders("ja") & RESERVED:
                raise ValueError(f"message code {code!r} of {domain!r} uses a reserved placeholder name")
            if not (text.ja.strip() and text.en.strip()):
                raise ValueError(f"message code {code!r} of {domain!r} lacks a language")
            if text.placeholders("ja") != text.placeholders("en"):
                raise ValueError(f"message code {code!r} of {domain!r} has different placeholders in ja and en")
        for code, text in texts.items():
            self._texts[code] = text
            self._owners[code] = domain

    def __getitem__(self, code: str) -> Text:
        return self._texts[code]

    def __contains__(self, code: object) -> bool:
        return code in self._texts

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def owner(self, code: str) -> str:
        """The domain whose catalogue defines ``code``."""
        return self._owners[code]


#: Every code of every imported catalogue.
REGISTRY = Registry()


class Catalogue:
    """One domain's messages; registers them in ``registry`` (the process-wide one by default)."""

    def __init__(self, domain: str, texts: Mapping[str, Text], *, registry: Registry = REGISTRY) -> None:
        registry.add(domain, texts)
        self.domain = domain
        self.texts: Mapping[str, Text] = dict(texts)

    def __contains__(self, code: object) -> bool:
        return code in self.texts

    def text(self, code: str, /, **params: object) -> Message:
        """The message ``code`` of this catalogue in both languages, ``params`` filled in."""
        try:
            template = self.texts[code]
        except KeyError:
            raise KeyError(f"{code!r} is not in the {self.domain!r} message catalogue") from None
        return template.format(**params)

    def error(
        self,
        cls: type[E],
        code: str,
        /,
        *,
        errors: list[FieldError] | None = None,
        retry_after: int | None = None,
        **params: object,
    ) -> E:
        """A ``cls`` error (``Conflict``, ``NotFound``, …) with this code's message; ``errors`` are
        its field errors (see :meth:`field`), ``retry_after`` its Retry-After seconds (required for
        :class:`~service.errors.TooManyRequests`)."""
        return _build(cls, code, self.text(code, **params), errors or [], retry_after)

    def field(self, field: str, code: str, /, **params: object) -> FieldError:
        """One field error naming the request ``field``, for :meth:`error`'s ``errors``."""
        return FieldError(field=field, code=error_code(code), message=self.text(code, **params))

    def field_error(self, cls: type[E], field: str, code: str, /, **params: object) -> E:
        """A ``cls`` error that names the request ``field`` that is wrong (one text for both)."""
        error = self.field(field, code, **params)
        return _build(cls, code, error.message, [error], None)

    def invalid(self, field: str, code: str, /, **params: object) -> InvalidInput:
        """The usual field error: a 422 :class:`~service.errors.InvalidInput` on ``field``."""
        return self.field_error(InvalidInput, field, code, **params)


def error_code(key: str) -> str:
    """The code a client sees for the catalogue key ``key``: ``project.not_lead#delete`` is one
    of the texts of ``project.not_lead``."""
    return key.split("#", 1)[0]


def _build(cls: type[E], key: str, message: Message, errors: list[FieldError], retry_after: int | None) -> E:
    if issubclass(cls, TooManyRequests) and retry_after is None:
        raise TypeError(f"{cls.__name__} needs retry_after (seconds)")
    # A subclass may keep a constructor of its own, so build through the one of the base.
    error = cls.__new__(cls)
    DomainError.__init__(error, error_code(key), message.ja, message.en, errors=errors, retry_after=retry_after)
    return error


def message(code: str, lang: str, /, **params: object) -> str:
    """The text of any registered ``code`` in ``lang`` ("ja" or "en", as
    :func:`service.errors.preferred_language` answers) for pages, reports and emails."""
    if lang not in ("ja", "en"):
        raise ValueError(f"no messages in language {lang!r}")
    formatted = REGISTRY[code].format(**params)
    return formatted.ja if lang == "ja" else formatted.en


__all__ = [
    "REGISTRY",
    "RESERVED",
    "Catalogue",
    "Lang",
    "MessageParameterError",
    "Registry",
    "Text",
    "error_code",
    "message",
]
