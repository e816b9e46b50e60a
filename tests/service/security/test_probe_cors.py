"""Not security: with KYOSO_ALLOWED_ORIGINS set, a browser client cannot send Idempotency-Key
(CORS allow_headers in service/app.py lacks it), so the preflight is refused with 400."""

import dataclasses

import httpx

from service.app import create_app


async def test_probe_cors_preflight_idempotency_key(settings, session_maker):
    app = create_app(
        dataclasses.replace(settings, allowed_origins=("https://app.example",)), session_maker=session_maker
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as c:
        r = await c.options(
            "/api/v1/projects",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
            },
        )
    print("\npreflight", r.status_code, r.text[:200], dict(r.headers))
    assert r.status_code == 204 or r.status_code == 200
