"""The landing page: what Kyoso is, the listed projects, and where the API lives (ja first, en second)."""

from __future__ import annotations

from html import escape

from litestar import Controller, MediaType, Router, get
from sqlalchemy.ext.asyncio import AsyncSession

from service.projects.queries import ProjectFilters
from service.projects.service import ProjectService
from service.web.assets import static_files_router
from service.web.messages import MESSAGES

_PAGE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6}}
li{{margin:.6rem 0}} small{{color:#555}}</style></head>
<body><h1>{heading}</h1>
<p>{lead_ja}<br>
<small>{lead_en}</small></p>
<p><a href="/schema">{docs_ja} / {docs_en}</a> · <a href="/schema/swagger">Swagger UI</a> · <a href="/health">health</a></p>
<h2>{listed_ja} <small>{listed_en} ({total})</small></h2><ul>{items}</ul></body></html>"""


def _texts() -> dict[str, str]:
    """The page's fixed texts from the web catalogue, HTML-escaped."""
    lead, docs, listed = (
        MESSAGES.text("page.lead"),
        MESSAGES.text("page.api_docs"),
        MESSAGES.text("page.listed_projects"),
    )
    texts = {
        "title": MESSAGES.text("page.title").ja,
        "heading": MESSAGES.text("page.heading").ja,
        "lead_ja": lead.ja,
        "lead_en": lead.en,
        "docs_ja": docs.ja,
        "docs_en": docs.en,
        "listed_ja": listed.ja,
        "listed_en": listed.en,
    }
    return {name: escape(text, quote=False) for name, text in texts.items()}


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
        return _PAGE.format(items=items or "<li>—</li>", total=total, **_texts())


router = Router(path="/", route_handlers=[WebController, static_files_router()])
