"""The idempotency messages, ja and en, by stable code."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "idempotency",
    {
        "idempotency.key_invalid": Text(
            ja="Idempotency-Key ヘッダーは 1〜255 文字の表示可能な ASCII 文字（空白を除く）で指定してください。",
            en="The Idempotency-Key header must be 1 to 255 visible ASCII characters (no spaces).",
        ),
        "idempotency.key_reused": Text(
            ja="この Idempotency-Key は別のリクエストに使われています。新しいキーを使ってください。",
            en="This Idempotency-Key was used for a different request; use a new key.",
        ),
        "idempotency.in_progress": Text(
            ja="同じ Idempotency-Key のリクエストを処理中です。少し待ってから再送してください。",
            en="A request with this Idempotency-Key is still being processed; retry shortly.",
        ),
    },
)

__all__ = ["MESSAGES"]
