"""What a notification can be about, and its texts rendered from the catalogue.

A kind's texts use ``{placeholders}``; a notification's ``params`` fill them, and a pair
``name_ja``/``name_en`` fills ``{name}`` in each language with its own text (the room's name)::

    title, text = render("stage_changed", {"room_ja": "…", "room_en": "…", "from_stage": "open", "to_stage": "nda"})
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from service.domain_errors import Message
from service.notifications.messages import MESSAGES


class NotificationKind(StrEnum):
    room_invitation = "room_invitation"
    access_requested = "access_requested"
    access_accepted = "access_accepted"
    access_declined = "access_declined"
    stage_changed = "stage_changed"
    question_asked = "question_asked"
    question_assigned = "question_assigned"
    question_answered = "question_answered"
    document_version = "document_version"


def _fill(template_code: str, params: Mapping[str, str]) -> Message:
    template = MESSAGES.texts[template_code]
    wanted = template.placeholders("ja") | template.placeholders("en")
    filled: dict[str, object] = {}
    for name in wanted:
        if name in params:
            filled[name] = params[name]
        elif f"{name}_ja" in params and f"{name}_en" in params:
            filled[name] = Message(ja=params[f"{name}_ja"], en=params[f"{name}_en"])
        else:
            raise ValueError(f"notification {template_code!r} needs the parameter {name!r}")
    return template.format(**filled)


def render(kind: str, params: Mapping[str, str]) -> tuple[Message, Message]:
    """(title, mail text) of a notification in both languages; a ValueError names what is missing."""
    kind = NotificationKind(kind)
    return _fill(f"notification.{kind.value}", params), _fill(f"notification.{kind.value}#mail", params)
