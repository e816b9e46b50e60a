"""The library's errors. Each carries a stable ``code`` and a ja/en message."""

from __future__ import annotations


class MatchingError(Exception):
    """Base class: ``code`` is stable, ``message_ja``/``message_en`` are for people."""

    code = "matching.error"

    def __init__(self, message_en: str, message_ja: str = "") -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_ja = message_ja or message_en


class NotEnoughData(MatchingError):
    """Too few interactions to learn from; fall back to :class:`matching.ContentRanker`.

    ``counts`` says what was found and ``required`` what was needed, e.g.
    ``{"events": 12, "positive_events": 3, "investors_with_events": 2}``.
    """

    code = "matching.not_enough_data"

    def __init__(self, counts: dict[str, int], required: dict[str, int]) -> None:
        found = ", ".join(f"{k}={v}" for k, v in counts.items())
        need = ", ".join(f"{k}>={v}" for k, v in required.items())
        super().__init__(
            f"not enough interaction data to train a matching model ({found}; need {need}); use ContentRanker instead",
            f"マッチングモデルの学習に必要なデータが不足しています（{found}、必要: {need}）。"
            "ContentRanker を使ってください",
        )
        self.counts = counts
        self.required = required


class ArtifactError(MatchingError):
    """A saved model is missing, of an unknown format or version, or has been altered."""

    code = "matching.bad_artifact"


class UnknownEntity(MatchingError, KeyError):
    """An investor or project id the model's catalogue does not hold."""

    code = "matching.unknown_entity"


class InvalidRecord(MatchingError, ValueError):
    """A record holds a value outside the library's vocabulary or range; ``field`` names it.

    Raised when the record is built, so a bad value never reaches ranking (where it would
    otherwise be a bare ``KeyError``, an investor silently left with no matches, or
    prefecture 0 read as Okinawa)::

        try:
            ProjectRecord(..., prefecture=0, ...)
        except InvalidRecord as e:
            e.field, e.value      # ("prefecture", 0)
    """

    code = "matching.invalid_record"

    def __init__(self, record: str, field: str, value: object, allowed: str, allowed_ja: str = "") -> None:
        super().__init__(
            f"{record}.{field}: {value!r} is not allowed (expected {allowed})",
            f"{record}.{field} の値 {value!r} は使用できません（{allowed_ja or allowed}）",
        )
        self.record, self.field, self.value = record, field, value
