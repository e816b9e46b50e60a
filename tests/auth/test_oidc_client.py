"""OIDCClient against a real OIDC provider over HTTP on 127.0.0.1 (no database)."""

from __future__ import annotations

import dataclasses
import secrets
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt

from service.auth.oidc import AuthRequest, OIDCClient, OIDCConfig, OIDCError, OIDCIdentity
from tests.support.oidc_provider import OIDCProvider

REDIRECT_URI = "http://testserver/auth/callback"


@pytest.fixture
def provider() -> Iterator[OIDCProvider]:
    with OIDCProvider() as running:
        running.register_client(REDIRECT_URI)
        running.login_as(sub="user-1", email="hanako@example.jp", name="山田 花子")
        yield running


def make_client(provider: OIDCProvider, **overrides: object) -> OIDCClient:
    config = OIDCConfig(
        issuer=provider.issuer,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        redirect_uri=REDIRECT_URI,
    )
    return OIDCClient(dataclasses.replace(config, **overrides))


async def follow_to_callback(url: str) -> dict[str, str]:
    """Play the browser: GET the authorize URL, stop at the redirect to our callback."""
    async with httpx.AsyncClient(follow_redirects=False) as browser:
        response = await browser.get(url)
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def login(client: OIDCClient) -> tuple[AuthRequest, dict[str, str]]:
    pending = await client.begin()
    return pending, await follow_to_callback(pending.url)


async def test_full_login_yields_the_verified_identity(provider: OIDCProvider) -> None:
    client = make_client(provider)
    pending, callback = await login(client)

    identity = await client.complete(pending=pending, code=callback["code"], state=callback["state"])

    assert identity == OIDCIdentity(
        issuer=provider.issuer,
        subject="user-1",
        email="hanako@example.jp",
        email_verified=True,
        name="山田 花子",
        claims=identity.claims,
    )
    assert identity.claims["aud"] == [provider.client_id]
    assert identity.claims["nonce"] == pending.nonce


async def test_authorization_url_carries_s256_challenge_nonce_and_state(provider: OIDCProvider) -> None:
    pending = await make_client(provider).begin()

    query = {k: v[0] for k, v in parse_qs(urlsplit(pending.url).query).items()}
    assert query["code_challenge"] == create_s256_code_challenge(pending.code_verifier)
    assert query["code_challenge_method"] == "S256"
    assert query["nonce"] == pending.nonce
    assert query["state"] == pending.state
    assert query["scope"] == "openid email profile"
    assert query["response_type"] == "code"


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
async def test_both_client_authentication_methods_work(provider: OIDCProvider, method: str) -> None:
    client = make_client(provider, token_endpoint_auth_method=method)
    pending, callback = await login(client)

    identity = await client.complete(pending=pending, code=callback["code"], state=callback["state"])

    assert identity.subject == "user-1"


async def test_replayed_code_is_refused(provider: OIDCProvider) -> None:
    client = make_client(provider)
    pending, callback = await login(client)
    await client.complete(pending=pending, code=callback["code"], state=callback["state"])

    with pytest.raises(OIDCError) as refused:
        await client.complete(pending=pending, code=callback["code"], state=callback["state"])

    assert refused.value.code == "oidc.token_exchange_failed"
    assert "invalid_grant" in str(refused.value)


async def test_forged_state_is_refused_before_the_code_is_spent(provider: OIDCProvider) -> None:
    client = make_client(provider)
    pending, callback = await login(client)

    with pytest.raises(OIDCError) as refused:
        await client.complete(pending=pending, code=callback["code"], state=secrets.token_urlsafe(32))
    assert refused.value.code == "oidc.state_mismatch"
    assert refused.value.message_ja
    assert refused.value.message_en

    with pytest.raises(OIDCError) as missing:
        await client.complete(pending=pending, code=callback["code"], state=None)
    assert missing.value.code == "oidc.state_mismatch"
    assert ("POST", "/token") not in provider.requests


async def test_provider_refuses_authorize_without_code_challenge(provider: OIDCProvider) -> None:
    client = make_client(provider)
    pending = await client.begin()
    parts = urlsplit(pending.url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if not k.startswith("code_challenge")}

    async with httpx.AsyncClient(follow_redirects=False) as browser:
        response = await browser.get(parts._replace(query="").geturl(), params=query)

    assert response.status_code == 302
    callback = {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}
    assert callback["error"] == "invalid_request"
    assert "code" not in callback
    with pytest.raises(OIDCError) as refused:
        await client.complete(pending=pending, code=None, state=callback["state"], error=callback["error"])
    assert refused.value.code == "oidc.provider_error"


async def test_provider_refuses_plain_pkce(provider: OIDCProvider) -> None:
    pending = await make_client(provider).begin()
    url = pending.url.replace("code_challenge_method=S256", "code_challenge_method=plain")

    async with httpx.AsyncClient(follow_redirects=False) as browser:
        response = await browser.get(url)

    assert "error=invalid_request" in response.headers["location"]


async def test_provider_refuses_token_request_with_wrong_verifier(provider: OIDCProvider) -> None:
    client = make_client(provider)
    pending, callback = await login(client)

    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{provider.issuer}/token",
            data={
                "grant_type": "authorization_code",
                "code": callback["code"],
                "redirect_uri": REDIRECT_URI,
                "code_verifier": secrets.token_urlsafe(64),
                "client_id": provider.client_id,
                "client_secret": provider.client_secret,
            },
        )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"

    wrong = dataclasses.replace(pending, code_verifier=secrets.token_urlsafe(64))
    with pytest.raises(OIDCError) as refused:
        await client.complete(pending=wrong, code=callback["code"], state=callback["state"])
    assert refused.value.code == "oidc.token_exchange_failed"


async def test_provider_refuses_token_request_without_verifier(provider: OIDCProvider) -> None:
    _, callback = await login(make_client(provider))

    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{provider.issuer}/token",
            data={"grant_type": "authorization_code", "code": callback["code"], "redirect_uri": REDIRECT_URI},
            auth=(provider.client_id, provider.client_secret),
        )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_wrong_nonce_is_refused(provider: OIDCProvider) -> None:
    provider.override_nonce = secrets.token_urlsafe(32)
    client = make_client(provider)
    pending, callback = await login(client)

    with pytest.raises(OIDCError) as refused:
        await client.complete(pending=pending, code=callback["code"], state=callback["state"])

    assert refused.value.code == "oidc.nonce_mismatch"


async def test_token_signed_with_a_foreign_key_is_refused(provider: OIDCProvider) -> None:
    provider.sign_with_foreign_key = True
    client = make_client(provider)
    pending, callback = await login(client)

    with pytest.raises(OIDCError) as refused:
        await client.complete(pending=pending, code=callback["code"], state=callback["state"])

    assert refused.value.code == "oidc.invalid_id_token"


@pytest.mark.parametrize("alg", ["none", "HS256"])
@pytest.mark.filterwarnings('ignore:JWS algorithm "none" is deprecated')
async def test_unsigned_or_symmetric_token_is_refused(provider: OIDCProvider, alg: str) -> None:
    provider.id_token_alg = alg
    client = make_client(provider)
    pending, callback = await login(client)

    with pytest.raises(OIDCError) as refused:
        await client.complete(pending=pending, code=callback["code"], state=callback["state"])

    assert refused.value.code == "oidc.invalid_id_token"
    assert "not allowed" in str(refused.value)


async def test_unknown_kid_refetches_the_jwks_once(provider: OIDCProvider) -> None:
    client = make_client(provider)
    pending, callback = await login(client)
    await client.complete(pending=pending, code=callback["code"], state=callback["state"])
    old_key = provider.signing_key
    provider.signing_key = type(old_key).generate_key(2048, {"kid": "rotated", "use": "sig", "alg": "RS256"})

    pending, callback = await login(client)
    identity = await client.complete(pending=pending, code=callback["code"], state=callback["state"])

    assert identity.subject == "user-1"
    assert provider.requests.count(("GET", "/jwks")) == 2
    assert provider.requests.count(("GET", "/.well-known/openid-configuration")) == 1


async def test_token_for_another_audience_is_refused(provider: OIDCProvider) -> None:
    client = make_client(provider)
    pending, callback = await login(client)
    other = OIDCClient(dataclasses.replace(client.config, client_id="someone-else"))

    with pytest.raises(OIDCError) as refused:
        await other.verify_id_token(await _raw_id_token(provider, pending, callback), nonce=pending.nonce)

    assert refused.value.code == "oidc.invalid_id_token"


async def _raw_id_token(provider: OIDCProvider, pending: AuthRequest, callback: dict[str, str]) -> str:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{provider.issuer}/token",
            data={
                "grant_type": "authorization_code",
                "code": callback["code"],
                "redirect_uri": REDIRECT_URI,
                "code_verifier": pending.code_verifier,
            },
            auth=(provider.client_id, provider.client_secret),
        )
    response.raise_for_status()
    return response.json()["id_token"]


async def test_discovery_of_an_impostor_issuer_is_refused(provider: OIDCProvider) -> None:
    client = make_client(provider, issuer=provider.issuer + "/other")

    with pytest.raises(OIDCError) as refused:
        await client.begin()

    assert refused.value.code == "oidc.discovery_failed"


def test_config_refuses_symmetric_or_unsigned_algorithms() -> None:
    for algs in [("none",), ("RS256", "HS256"), ()]:
        with pytest.raises(ValueError, match="allowed_algs"):
            OIDCConfig(
                issuer="https://op",
                client_id="c",
                client_secret="s",
                redirect_uri="https://rp/cb",
                allowed_algs=algs,
            )


def sign_with_provider_key(provider: OIDCProvider, **claims: object) -> str:
    now = int(time.time())
    base = {"iss": provider.issuer, "sub": "user-1", "aud": provider.client_id, "iat": now, "exp": now + 300}
    header = {"alg": "RS256", "kid": provider.signing_key.kid}
    return jwt.encode(header, {**base, **claims}, provider.signing_key, ["RS256"])


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"exp": int(time.time()) - 3600}, id="expired"),
        pytest.param({"iat": int(time.time()) + 3600}, id="issued-in-the-future"),
        pytest.param({"iss": "https://impostor.example"}, id="other-issuer"),
        pytest.param({"aud": ["kyoso-test", "other-rp"]}, id="several-audiences-without-azp"),
        pytest.param({"aud": "kyoso-test", "azp": "other-rp"}, id="azp-of-another-client"),
        pytest.param({"sub": ""}, id="empty-subject"),
    ],
)
async def test_id_token_claims_are_checked(provider: OIDCProvider, claims: dict[str, object]) -> None:
    client = make_client(provider)
    token = sign_with_provider_key(provider, nonce="n-1", **claims)

    with pytest.raises(OIDCError) as refused:
        await client.verify_id_token(token, nonce="n-1")

    assert refused.value.code == "oidc.invalid_id_token"


async def test_clock_skew_is_tolerated(provider: OIDCProvider) -> None:
    client = make_client(provider)
    token = sign_with_provider_key(provider, nonce="n-1", exp=int(time.time()) - 30, iat=int(time.time()) + 30)

    claims = await client.verify_id_token(token, nonce="n-1")

    assert claims["sub"] == "user-1"
