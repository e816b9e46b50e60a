"""The one error type of the library: an impossible input, named, with a stable code."""

from __future__ import annotations

from typing import Any

# One template per code, so the service can show the same sentence for the same fault
# whichever metric raised it. ``{field}`` is the input's name; ``{detail}`` adds context.
_MESSAGES: dict[str, tuple[str, str]] = {
    "impact.wrong_type": ("{field} の型が不正です（{detail}）", "{field} has the wrong type ({detail})"),
    "impact.not_finite": ("{field} は有限の数でなければなりません", "{field} must be a finite number"),
    "impact.negative_money": ("{field} は 0 円以上でなければなりません", "{field} must be zero yen or more"),
    "impact.negative_value": ("{field} は 0 以上でなければなりません", "{field} must be zero or more"),
    "impact.not_positive": ("{field} は 0 より大きくなければなりません", "{field} must be greater than zero"),
    "impact.share_out_of_range": (
        "{field} は 0 以上 1 以下の割合でなければなりません",
        "{field} must be a share between 0 and 1",
    ),
    "impact.out_of_range": ("{field} が範囲外です（{detail}）", "{field} is out of range ({detail})"),
    "impact.round_increases": (
        "{field} は前のラウンドより大きくできません（{detail}）",
        "{field} cannot be larger than the round before it ({detail})",
    ),
    "impact.shares_exceed_one": (
        "{field} の割合の合計が 1 を超えています（{detail}）",
        "{field}: shares add up to more than 1 ({detail})",
    ),
    "impact.shape_mismatch": ("{field} の形状が合いません（{detail}）", "{field} has a mismatched shape ({detail})"),
    "impact.singular_matrix": ("{field}: I − A が特異行列です", "{field}: I − A is singular"),
    "impact.non_productive": (
        "{field}: 生産的でない投入係数行列です（{detail}）",
        "{field}: the input coefficients are not productive ({detail})",
    ),
    "impact.non_convergent": ("{field}: 乗数が発散します（{detail}）", "{field}: the multiplier diverges ({detail})"),
    "impact.empty": ("{field} が空です", "{field} is empty"),
    "impact.missing_input": ("必須入力 {field} がありません", "required input {field} is missing"),
    "impact.unknown_input": ("不明な入力 {field} です", "unknown input {field}"),
    "impact.unknown_metric": ("不明な指標 ID {detail} です", "unknown metric id {detail}"),
    "impact.invalid_rule": ("ルール {field} が不正です（{detail}）", "rule {field} is invalid ({detail})"),
}


class ImpactInputError(ValueError):
    """An input no metric can be computed from.

    ``field`` names the input, ``code`` is stable (``impact.negative_money``, ...),
    ``message_ja``/``message_en`` are for people. ``to_dict()`` gives the
    ``{field, code, message: {ja, en}}`` item of the API's problem-details ``errors`` list::

        try:
            impact.lm3(-1, 0, 0)
        except impact.ImpactInputError as e:
            e.field, e.code        # ("r1", "impact.not_positive")
    """

    def __init__(self, field: str, code: str, detail: str = "") -> None:
        ja, en = _MESSAGES.get(code, ("{field} が不正です（{detail}）", "{field} is invalid ({detail})"))
        self.field = field
        self.code = code
        self.detail = detail
        self.message_ja = ja.format(field=field, detail=detail)
        self.message_en = en.format(field=field, detail=detail)
        super().__init__(self.message_en)

    def to_dict(self) -> dict[str, Any]:
        """The error as one item of an RFC 9457 ``errors`` list."""
        return {"field": self.field, "code": self.code, "message": {"ja": self.message_ja, "en": self.message_en}}
