"""The audit domain's ja/en messages (see :mod:`service.messages`): why a chain check failed.

The chain report puts ``seq N:`` in front of each text.
"""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "audit",
    {
        "audit.sequence_gap": Text(
            ja="連番が飛んでいます（{expected_seq} のはず）",
            en="sequence gap (expected {expected_seq})",
        ),
        "audit.prev_hash_mismatch": Text(
            ja="直前のエントリのハッシュと一致しません",
            en="prev_hash does not match the previous entry",
        ),
        "audit.hash_mismatch": Text(
            ja="内容がハッシュと一致しません（改ざん）",
            en="the content does not match its hash (tampered)",
        ),
        "audit.unsigned": Text(
            ja="鍵で署名されていないエントリです（鍵の導入前の行、または改ざん）。"
            "`kyoso audit rekey` で署名し直してください",
            en="the entry is not signed with the audit key (written before the key, or tampered); "
            "run `kyoso audit rekey`",
        ),
        "audit.unknown_key": Text(
            ja="鍵 {key_id} で署名されていますが、この検証にはその鍵がありません（KYOSO_AUDIT_KEY の誤り？）",
            en="signed with audit key {key_id}, which this verifier does not have (wrong KYOSO_AUDIT_KEY?)",
        ),
        "audit.truncated": Text(
            ja="最新のエントリが削除されています"
            "（記録された先頭は seq {expected_seq}、チェーンは seq {head_seq} で終わっています）",
            en="the newest entries are missing "
            "(the recorded head is seq {expected_seq}, the chain ends at seq {head_seq})",
        ),
        "audit.head_mismatch": Text(
            ja="記録された先頭（seq {expected_seq}）とハッシュが一致しません（末尾が削除されて書き直されています）",
            en="the entry at the recorded head (seq {expected_seq}) has another hash "
            "(the tail was removed and rewritten)",
        ),
        "audit.keyed_hash_mismatch": Text(
            ja="内容が鍵付きハッシュと一致しません（改ざん）",
            en="the content does not match its keyed hash (tampered)",
        ),
    },
)
