"""The investors domain's messages, ja and en, by stable code."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "investors",
    {
        "investor_profile.not_found": Text(ja="投資家プロフィールが見つかりません。", en="Investor profile not found."),
        "investor.individual_organisation": Text(ja="個人投資家", en="Individual investor"),
        "investor.ticket_range_reversed": Text(
            ja="投資額の下限が上限を超えています。", en="ticket_min_yen is above ticket_max_yen."
        ),
        "investor.profile_exists": Text(
            ja="この所有者のプロフィールはすでにあります。",
            en="This owner already has an investor profile; edit it instead.",
        ),
        "investor.not_owner": Text(
            ja="このプロフィールを編集する権限がありません。", en="Only the profile's owner (or an admin) may edit it."
        ),
        "investor.not_owner#delete": Text(
            ja="このプロフィールを削除する権限がありません。",
            en="Only the profile's owner (or an admin) may delete it.",
        ),
        "investor.not_investor_of_organisation": Text(
            ja="この組織の投資担当ではありません。", en="You do not act for that organisation as investor or bank."
        ),
    },
)

__all__ = ["MESSAGES"]
