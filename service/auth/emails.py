"""One normal form for email addresses, used by sign-up, login and OIDC alike.

Two addresses that look the same must be the same account, and an address that only looks
like another must be refused::

    normalise_email(" Hanako@Example.JP ")   # "hanako@example.jp"
    normalise_email("ＡＤＭＩＮ@demo.kyoso.jp")  # "admin@demo.kyoso.jp" (NFKC folds full-width)
    normalise_email("аdmin@demo.kyoso.jp")   # EmailRefused("email.mixed_scripts"): Cyrillic а

The form is NFKC, then case-folded, then NFKC again (Unicode's NFKC_Casefold, closely); the
domain is stored in its IDNA ASCII form. Refused: zero-width and bidi control characters (any
"format" character), control characters and spaces, letters from more than one script in a
part of the address (the combinations Unicode TS #39 calls "highly restrictive" are allowed,
such as Japanese Han + kana + Latin), and anything that is not ``local@domain.tld``.
"""

from __future__ import annotations

import re
import unicodedata

from service.auth.messages import MESSAGES
from service.errors import InvalidInput

__all__ = ["EmailRefused", "normalise_email", "valid_email"]

_LOCAL_ASCII = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Script sets a single identifier may combine (UTS #39, "highly restrictive").
_ALLOWED_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)


class EmailRefused(ValueError):
    """``code`` is ``email.invalid``, ``email.invisible_characters`` or ``email.mixed_scripts``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def as_input_error(self, field: str = "email") -> InvalidInput:
        if self.code == "email.invisible_characters":
            return MESSAGES.invalid(field, "email.invisible_characters")
        if self.code == "email.mixed_scripts":
            return MESSAGES.invalid(field, "email.mixed_scripts")
        return MESSAGES.invalid(field, "email.invalid")


def _script(char: str) -> str | None:
    """The script of a letter, from its Unicode name; None for digits, marks and punctuation."""
    if not unicodedata.category(char).startswith("L"):
        return None
    name = unicodedata.name(char, "")
    if name.startswith(("CJK ", "IDEOGRAPHIC")):
        return "HAN"
    if name.startswith("KATAKANA-HIRAGANA"):  # ー, shared by both kana
        return "KATAKANA"
    if name.startswith("HALFWIDTH KATAKANA"):
        return "KATAKANA"
    return name.split(" ", 1)[0] or "UNKNOWN"


def _single_script(text: str) -> bool:
    scripts = {s for s in map(_script, text) if s is not None}
    return len(scripts) <= 1 or any(scripts <= mix for mix in _ALLOWED_MIXES)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def normalise_email(raw: str) -> str:
    """The normal form of ``raw``; raises :class:`EmailRefused` (see the module docstring)."""
    text = raw.strip()
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf":
            raise EmailRefused("email.invisible_characters")
        if category in ("Cc", "Zs", "Zl", "Zp", "Co", "Cs", "Cn") or char.isspace():
            raise EmailRefused("email.invalid")
    folded = _fold(text)
    if folded.count("@") != 1:
        raise EmailRefused("email.invalid")
    local, domain = folded.split("@")
    if not 1 <= len(local) <= 64 or local.startswith(".") or local.endswith(".") or ".." in local:
        raise EmailRefused("email.invalid")
    if local.isascii() and not _LOCAL_ASCII.match(local):
        raise EmailRefused("email.invalid")
    if not local.isascii() and any(c in '"(),:;<>@[\\]' for c in local):
        raise EmailRefused("email.invalid")
    labels = domain.split(".")
    if not _single_script(local) or not all(_single_script(label) for label in labels):
        raise EmailRefused("email.mixed_scripts")
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise EmailRefused("email.invalid") from None
    ascii_labels = ascii_domain.split(".")
    if (
        len(ascii_labels) < 2
        or not all(_LABEL.match(label) for label in ascii_labels)
        or ascii_labels[-1].isdigit()
        # RFC 2606 reserves .invalid; synthetic addresses of OIDC-only accounts live there.
        or ascii_labels[-1] == "invalid"
    ):
        raise EmailRefused("email.invalid")
    address = f"{local}@{ascii_domain}"
    if len(address) > 254:
        raise EmailRefused("email.invalid")
    return address


def valid_email(raw: str, *, field: str = "email") -> str:
    """:func:`normalise_email` for request handlers: a refusal is a 422 naming ``field``."""
    try:
        return normalise_email(raw)
    except EmailRefused as exc:
        raise exc.as_input_error(field) from None
