"""The landing page: what Kyoso is, the listed projects, and where the API lives (ja first, en second)."""

from __future__ import annotations

from html import escape

from litestar import Controller, MediaType, Router, get
from sqlalchemy.ext.asyncio import AsyncSession

from service.projects.queries import ProjectFilters
from service.projects.service import ProjectService
from service.web.assets import static_files_router

_PAGE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>共創 Kyoso — 地方創生ファンドプラットフォーム</title>
<style>body{{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6}}
li{{margin:.6rem 0}} small{{color:#555}}</style></head>
<body><h1>共創 Kyoso</h1>
<p>地域生活圏を支える事業と、社会的インパクト投資をつなぐ地方創生ファンドプラットフォームです。<br>
<small>The regional-revitalisation fund platform: social-impact capital meets the projects that keep Japan's regional living spheres alive.</small></p>
<p><a href="/schema">API ドキュメント / API docs</a> · <a href="/schema/swagger">Swagger UI</a> · <a href="/health">health</a></p>
<h2>掲載中のプロジェクト <small>Listed projects ({total})</small></h2><ul>{items}</ul></body></html>"""


class WebController(Controller):
    path = "/"
    include_in_schema = False

    @get("/", media_type=MediaType.HTML)
    async def index(self, db_read: AsyncSession) -> str:
        rows, total = await ProjectService(db_read).page(ProjectFilters(), None, limit=50, offset=0)
        items = "".join(
            f'<li><a href="/api/v1/projects/{r.id}">{escape(r.title_ja)}</a> <small>{escape(r.title_en)} — '
            f"{escape(r.organisation.name_ja)} · ¥{r.funding_target_yen:,}</small></li>"
            for r in rows
        )
        return _PAGE.format(items=items or "<li>—</li>", total=total)


router = Router(path="/", route_handlers=[WebController, static_files_router()])
