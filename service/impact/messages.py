"""The impact domain's messages (metrics, calculations, impact input documents), ja and en.

The pure ``impact`` library refuses inputs with texts of its own (``ImpactInputError``); those
are passed through as they are, under the library's codes.
"""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "impact",
    {
        "metric.not_found": Text(ja="指標が見つかりません。", en="Metric not found."),
        "impact.unknown_metric": Text(ja="不明な指標 ID です: {metric_id}", en="Unknown metric id: {metric_id}"),
        "impact.unknown_metric#not_computable": Text(
            ja="計算できる指標ではありません: {metric_id}", en="Not a computable metric id: {metric_id}"
        ),
        "impact.invalid_input": Text(ja="影響指標の入力に誤りがあります。", en="An impact input is invalid."),
        "impact.value_out_of_range#at_least": Text(
            ja="{name}（単位: {unit}）の値は {lo} 以上にしてください。",
            en="{name} (unit: {unit}) must be at least {lo}.",
        ),
        "impact.value_out_of_range#within": Text(
            ja="{name}（単位: {unit}）の値は {lo}〜{hi}にしてください。",
            en="{name} (unit: {unit}) must be within {lo}–{hi}.",
        ),
        # --- an inputs document's bounds (service/impact/validation.py) -----------------------
        "validation.too_large": Text(ja="入力が大きすぎます。", en="The input is too large."),
        "validation.too_long": Text(
            ja="文字列は {max} 文字以内にしてください。", en="Strings must be at most {max} characters."
        ),
        "validation.too_many_keys": Text(ja="項目は {max} 個以内にしてください。", en="At most {max} keys."),
        "validation.bad_key": Text(ja="項目名が不正です。", en="Invalid key."),
        "validation.too_many_items": Text(ja="要素は {max} 個以内にしてください。", en="At most {max} items."),
    },
)

__all__ = ["MESSAGES"]
