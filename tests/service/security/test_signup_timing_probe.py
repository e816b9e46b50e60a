"""Probe (not a finding unless it fails): sign-up answers alike, in body, headers and time."""

from __future__ import annotations

import statistics
import time

import httpx

from service.auth.passwords import hash_password
from service.models import User


def browser(app, ip: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(ip, 5000)), base_url="https://testserver")


async def test_signup_taken_vs_new_alike(app, db):
    db.add(User(email="taken@example.jp", display_name="x", password_hash=hash_password("p" * 12)))
    await db.commit()
    times = {"taken": [], "new": []}
    bodies = {}
    for i in range(16):
        for kind in ("taken", "new"):
            email = "taken@example.jp" if kind == "taken" else f"new{i}@example.jp"
            async with browser(app, f"198.51.100.{i * 2 + (kind == 'new') + 1}") as c:
                t0 = time.perf_counter()
                r = await c.post(
                    "/api/v1/auth/signup", json={"email": email, "password": "q" * 12, "display_name": "名"}
                )
                times[kind].append(time.perf_counter() - t0)
            assert r.status_code == 202
            body = r.json()
            body.pop("email")
            bodies.setdefault(kind, (body, sorted(k for k in r.headers if k != "content-length")))
    print({k: (round(statistics.median(v) * 1000, 1), round(min(v) * 1000, 1)) for k, v in times.items()})
    assert bodies["taken"] == bodies["new"]
