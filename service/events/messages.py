"""The events domain's ja/en messages (see :mod:`service.messages`)."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "events",
    {
        "event.in_future": Text(ja="未来の日時は指定できません。", en="An event cannot happen in the future."),
        "event.id_reused": Text(
            ja="このイベント ID は別の内容ですでに使われています。",
            en="This event id was already used for different content.",
        ),
    },
)
