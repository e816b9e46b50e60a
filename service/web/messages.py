"""The landing page's texts, ja and en (the page shows Japanese first, English second)."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "web",
    {
        "page.title": Text(
            ja="共創 Kyoso — 地方創生ファンドプラットフォーム", en="Kyoso — the regional-revitalisation fund platform"
        ),
        "page.heading": Text(ja="共創 Kyoso", en="Kyoso"),
        "page.lead": Text(
            ja="地域生活圏を支える事業と、社会的インパクト投資をつなぐ地方創生ファンドプラットフォームです。",
            en="The regional-revitalisation fund platform: social-impact capital meets the projects that keep "
            "Japan's regional living spheres alive.",
        ),
        "page.api_docs": Text(ja="API ドキュメント", en="API docs"),
        "page.listed_projects": Text(ja="掲載中のプロジェクト", en="Listed projects"),
    },
)

__all__ = ["MESSAGES"]
