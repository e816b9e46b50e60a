"""The API docs render in a real browser with every request off this machine blocked.

The app runs behind granian on 127.0.0.1; Chromium (Debian's, never a downloaded one) loads
``/schema`` and ``/schema/swagger``; every request not to 127.0.0.1 is aborted and recorded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import TEST_SECRET
from tests.support.live_server import LiveServer
from tests.support.waits import START_TIMEOUT

CHROMIUM = Path("/usr/bin/chromium")
#: Rendering the spec takes a second or two; a minute allows for a loaded machine.
RENDER_TIMEOUT = min(START_TIMEOUT, 60.0)
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="module")
def live_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(database_url, data_dir=tmp_path_factory.mktemp("live"), secret_key=TEST_SECRET) as server:
        yield server


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger"])
async def test_swagger_ui_renders_every_operation_without_leaving_the_machine(
    chromium: Path, live_server: LiveServer, path: str
) -> None:
    from playwright.async_api import Route, async_playwright
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    blocked: list[str] = []
    failed: list[str] = []

    async def only_local(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort()

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context()
            await context.route("**/*", only_local)
            page = await context.new_page()
            page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            await page.goto(f"{live_server.url}{path}", timeout=START_TIMEOUT * 1000)
            try:
                await page.wait_for_selector(".opblock", timeout=RENDER_TIMEOUT * 1000)
            except PlaywrightTimeout:
                pytest.fail(f"Swagger UI rendered no operation in {RENDER_TIMEOUT:.0f} s; blocked: {blocked}")
            operations = await page.locator(".opblock").count()
            title = await page.locator(".info .title").inner_text()
        finally:
            await browser.close()

    assert blocked == [], f"the page tried to leave the machine: {blocked}"
    assert failed == [], f"local requests failed: {failed}"
    assert "Kyoso API" in title
    assert operations >= 40, f"only {operations} operations rendered"


async def test_vendored_assets_are_served_with_long_cache_headers(client) -> None:
    from service.web.assets import SWAGGER_UI

    response = await client.get(f"{SWAGGER_UI}/swagger-ui-bundle.js")
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["cache-control"]
    assert "immutable" in response.headers["cache-control"]
    assert b"SwaggerUIBundle" in response.content
    for name in ("LICENSE", "swagger-ui.css", "swagger-ui-standalone-preset.js"):
        assert (await client.get(f"{SWAGGER_UI}/{name}")).status_code == 200


async def test_docs_pages_reference_no_outside_url(client) -> None:
    for path in ("/schema", "/schema/swagger"):
        page = (await client.get(path)).text
        assets = re.findall(r"""(?:src|href)=["']([^"']+)""", page)
        assert len(assets) == 4, assets  # bundle, preset, stylesheet, icon
        assert all(a.startswith("/static/vendor/swagger-ui-dist-") for a in assets), assets
