"""Static assets served by the app itself, so nothing a page needs comes from a CDN.

Third-party files live under ``static/vendor/<package>-<version>/`` with their licence, as
fetched from the npm registry (``npm pack swagger-ui-dist@5.35.0``); a new version gets a new
directory, so a file's URL never changes its content and can be cached for a year.
"""

from __future__ import annotations

from pathlib import Path

from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router

STATIC_DIR = Path(__file__).with_name("static")
STATIC_PATH = "/static"
SWAGGER_UI = f"{STATIC_PATH}/vendor/swagger-ui-dist-5.35.0"

#: A year, and ``immutable``: every vendored file's URL carries its version.
_LONG_CACHE = CacheControlHeader(public=True, max_age=365 * 24 * 3600, immutable=True)


def static_files_router() -> Router:
    """``GET /static/...`` from ``service/web/static`` (not in the OpenAPI document)."""
    return create_static_files_router(
        path=STATIC_PATH, directories=[STATIC_DIR], cache_control=_LONG_CACHE, include_in_schema=False
    )


def swagger_ui(path: str = "/swagger") -> SwaggerRenderPlugin:
    """Swagger UI from the vendored files: the API docs work without internet access.

    Scalar is not offered: its bundle fetches fonts from its own CDN, so it is not usable offline.
    """
    return SwaggerRenderPlugin(
        path=path,
        js_url=f"{SWAGGER_UI}/swagger-ui-bundle.js",
        css_url=f"{SWAGGER_UI}/swagger-ui.css",
        standalone_preset_js_url=f"{SWAGGER_UI}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{SWAGGER_UI}/favicon-32x32.png'>",
    )
