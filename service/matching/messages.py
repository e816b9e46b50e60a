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
        "model.gate.passed": Text(
            ja="保留データで学習モデルの NDCG@{k} は {learned}。"
            "コンテンツベース（{content}）と人気順（{popularity}）を {margin} 以上上回りました。",
            en="On the held-out split the learned model's NDCG@{k} is {learned}: it beat content ranking ({content})"
            " and popularity ({popularity}) by at least {margin}.",
        ),
        "model.gate.loses_to_content": Text(
            ja="保留データで学習モデルの NDCG@{k} は {learned} で、"
            "コンテンツベース（{content}）を {margin} 以上上回りませんでした（人気順 {popularity}）。",
            en="On the held-out split the learned model's NDCG@{k} is {learned}: it did not beat content ranking"
            " ({content}) by at least {margin} (popularity {popularity}).",
        ),
        "model.gate.loses_to_popularity": Text(
            ja="保留データで学習モデルの NDCG@{k} は {learned} で、"
            "人気順（{popularity}）を {margin} 以上上回りませんでした（コンテンツベース {content}）。",
            en="On the held-out split the learned model's NDCG@{k} is {learned}: it did not beat popularity"
            " ({popularity}) by at least {margin} (content ranking {content}).",
        ),
        "model.gate.no_held_out": Text(
            ja="保留データに評価できる投資家がいないため、学習モデルを検証できませんでした。",
            en="The held-out split has no investors to evaluate on, so the learned model could not be checked.",
        ),
        "model.gate.overridden": Text(
            ja="管理者が基準を満たさないモデルを明示的に有効化しました。{gate}",
            en="An admin activated this version although it failed the gate. {gate}",
        ),
        "model.gate_failed": Text(
            ja="このモデルバージョンは有効化の基準を満たしていません。{gate}"
            " それでも提供するには override=true を指定してください。",
            en="This model version failed the activation gate. {gate} Pass override=true to serve it anyway.",
        ),
        "model.serving.learned": Text(
            ja="学習モデル {version} を提供しています。{gate}",
            en="Serving the learned model {version}. {gate}",
        ),
        "model.serving.no_model": Text(
            ja="学習済みモデルがないため、コンテンツベースのランキング（表明された希望とプロジェクト内容の類似度）で提供しています。",
            en="No trained model is active: matches use content ranking (stated preferences against project content).",
        ),
        "model.serving.content_over_rejected": Text(
            ja="最新のモデル {latest} は有効化されませんでした。{gate} コンテンツベースのランキングで提供しています。",
            en="The newest model {latest} was not activated. {gate} Matches use content ranking.",
        ),
        "model.serving.previous_over_rejected": Text(
            ja="最新のモデル {latest} は有効化されませんでした。{gate} 以前のモデル {version} を提供し続けています。",
            en="The newest model {latest} was not activated. {gate} The previous model {version} keeps serving.",
        ),
        "model.serving.unloadable": Text(
            ja="有効なモデル {version} を読み込めないため、コンテンツベースのランキングで提供しています。",
            en="The active model {version} cannot be loaded: matches use content ranking.",
        ),
        "model.no_previous_version": Text(
            ja="戻せる以前の有効なモデルがありません。",
            en="There is no previously active model version to roll back to.",
        ),
    },
)
