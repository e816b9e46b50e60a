"""The matching domain's ja/en messages (see :mod:`service.messages`)."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "matching",
    {
        "matching.not_lead": Text(
            ja="投資家とのマッチはプロジェクトの責任者と管理者のみが閲覧できます。",
            en="Only the project's lead (and admins) see its investor matches.",
        ),
        "model_version.not_found": Text(ja="モデルバージョンが見つかりません。", en="Model version not found."),
        "model.content_ranker_fallback": Text(
            ja="コンテンツベースのランキングで提供を続けます", en="matches keep using the content ranker"
        ),
        "model.no_previous_version": Text(
            ja="戻せる以前の有効なモデルがありません。",
            en="There is no previously active model version to roll back to.",
        ),
    },
)
