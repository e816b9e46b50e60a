"""The audit domain's ja/en messages (see :mod:`service.messages`): why a chain check failed."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "audit",
    {
        "audit.sequence_gap": Text(
            ja="seq {seq}: 連番が飛んでいます（{expected_seq} のはず）",
            en="seq {seq}: sequence gap (expected {expected_seq})",
        ),
        "audit.prev_hash_mismatch": Text(
            ja="seq {seq}: 直前のエントリのハッシュと一致しません",
            en="seq {seq}: prev_hash does not match the previous entry",
        ),
        "audit.hash_mismatch": Text(
            ja="seq {seq}: 内容がハッシュと一致しません（改ざん）",
            en="seq {seq}: the content does not match its hash (tampered)",
        ),
    },
)
