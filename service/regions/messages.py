"""The regions domain's ja/en messages (see :mod:`service.messages`)."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "regions",
    {
        "living_sphere.not_found": Text(ja="地域生活圏が見つかりません。", en="Living sphere not found."),
        "living_sphere.name_taken": Text(
            ja="同じ名前の地域生活圏があります。", en="A living sphere with that name exists."
        ),
        # Other domains that take a municipality code (organisations, projects) raise this one too.
        "region.unknown_municipality": Text(
            ja="存在しない市区町村コードです: {codes}", en="Unknown municipality codes: {codes}"
        ),
        "region.municipality_outside_prefecture": Text(
            ja="市区町村が指定の都道府県にありません。", en="The municipality is not in the given prefecture."
        ),
    },
)
