"""Message catalogues: every ja/en text the service shows, under a stable code, once.

Each domain keeps one :class:`Catalogue` in its ``messages.py``; errors (and, later, pages) name
a code and its parameters instead of carrying an inline Japanese/English pair::

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
``invalid(field, code)`` is that for the usual 422. A domain raising another domain's code
imports that domain's catalogue (organisations raises ``region.unknown_municipality`` through
``service.regions.messages``).

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

from service.errors import DomainError, FieldError, InvalidInput, Message, TooManyRequests

Lang = Literal["ja", "en"]
_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
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
        """Both languages with ``params`` filled in; exactly the placeholders must be given."""
        wanted = self.placeholders("ja") | self.placeholders("en")
        if wanted != params.keys():
            missing, extra = sorted(wanted - params.keys()), sorted(params.keys() - wanted)
            raise MessageParameterError(f"missing parameters {missing}, unexpected {extra} for {self.en!r}")
        return Message(ja=self.ja.format(**params), en=self.en.format(**params))


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

    def error(self, cls: type[E], code: str, /, **params: object) -> E:
        """A ``cls`` error (``Conflict``, ``NotFound``, …) with this code's message."""
        return _build(cls, code, self.text(code, **params), [])

    def field_error(self, cls: type[E], field: str, code: str, /, **params: object) -> E:
        """A ``cls`` error that names the request ``field`` that is wrong."""
        message = self.text(code, **params)
        return _build(cls, code, message, [FieldError(field=field, code=code, message=message)])

    def invalid(self, field: str, code: str, /, **params: object) -> InvalidInput:
        """The usual field error: a 422 :class:`~service.errors.InvalidInput` on ``field``."""
        return self.field_error(InvalidInput, field, code, **params)


def _build(cls: type[E], code: str, message: Message, errors: list[FieldError]) -> E:
    # Subclasses keep convenience constructors for unconverted call sites (NotFound(what, ja_what),
    # Forbidden() with defaults), so build through the base constructor every subclass shares.
    if issubclass(cls, TooManyRequests):
        raise TypeError("TooManyRequests needs retry_after, which catalogue errors do not carry yet (#7)")
    error = cls.__new__(cls)
    DomainError.__init__(error, code, message.ja, message.en, errors=errors)
    return error


def message(code: str, lang: str, /, **params: object) -> str:
    """The text of any registered ``code`` in ``lang`` ("ja" or "en", as
    :func:`service.errors.preferred_language` answers) for pages, reports and emails."""
    if lang not in ("ja", "en"):
        raise ValueError(f"no messages in language {lang!r}")
    formatted = REGISTRY[code].format(**params)
    return formatted.ja if lang == "ja" else formatted.en


#: Request-shape messages that belong to no single domain.
COMMON = Catalogue(
    "common",
    {
        "validation.cursor": Text(ja="カーソルが不正です。", en="The cursor is invalid."),
        "validation.timezone": Text(ja="タイムゾーン付きで指定してください。", en="Give a timezone (e.g. Z)."),
    },
)

__all__ = [
    "COMMON",
    "REGISTRY",
    "Catalogue",
    "Lang",
    "MessageParameterError",
    "Registry",
    "Text",
    "message",
]
