"""OpenID Connect relying party: authorization code flow with PKCE (S256) and nonce.

Framework-neutral and async. Authlib's httpx client speaks OAuth 2.0 to the provider;
joserfc verifies the ID token. Usage::

    client = OIDCClient(OIDCConfig(issuer=..., client_id=..., client_secret=..., redirect_uri=...))

    # login: send the browser to the provider, keep `pending` until the callback
    pending = await client.begin()
    store_in_signed_short_lived_cookie(pending.state, pending.nonce, pending.code_verifier)
    redirect(pending.url)

    # callback: rebuild the AuthRequest from the cookie, then
    identity = await client.complete(
        pending=pending, code=query.get("code"), state=query.get("state"), error=query.get("error")
    )
    identity.issuer, identity.subject  # the stable key of the account

Every refusal is an `OIDCError` with a stable `code` and a ja/en message from the auth catalogue
(service/auth/messages.py, which imports msgspec only).
"""

import hmac
import secrets
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import authlib.deprecate  # noqa: F401  (installs Authlib's "always" filter first, so ours below wins)
import httpx

with warnings.catch_warnings():
    # Authlib 1.9 announces a future move to "httpx2"; the httpx client we use still works.
    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.httpx_client import AsyncOAuth2Client
    from authlib.integrations.httpx_client import OAuthError as AuthlibOAuthError
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from service.auth.messages import MESSAGES

__all__ = ["AuthRequest", "OIDCClient", "OIDCConfig", "OIDCError", "OIDCIdentity"]

# With "none" or HS* a token verifies without the provider's private key: refuse them outright.
_FORBIDDEN_ALG_PREFIXES = ("none", "HS")


class OIDCError(Exception):
    """A refused login. `code` is stable (`oidc.state_mismatch`, ...); `detail` is for logs only."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        self.code = code
        self.detail = detail
        # The texts live in the auth catalogue (msgspec only, no web framework); every code raised
        # here is checked against it by tests/service/test_messages.py.
        message = MESSAGES.texts[code].format()
        self.message_ja, self.message_en = message.ja, message.en
        super().__init__(f"{code}: {detail or self.message_en}")


@dataclass(frozen=True)
class OIDCConfig:
    """Relying-party settings. `token_endpoint_auth_method` None picks one the provider lists."""

    issuer: str
    client_id: str
    client_secret: str | None
    redirect_uri: str
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    allowed_algs: tuple[str, ...] = ("RS256", "ES256")
    token_endpoint_auth_method: str | None = None

    def __post_init__(self) -> None:
        if "openid" not in self.scopes:
            raise ValueError("scopes must contain 'openid'")
        if not self.allowed_algs or any(a.startswith(_FORBIDDEN_ALG_PREFIXES) for a in self.allowed_algs):
            raise ValueError("allowed_algs must be non-empty asymmetric algorithms (no 'none', no HS*)")


@dataclass(frozen=True)
class AuthRequest:
    """The first leg: send the browser to `url`; keep the rest until the callback."""

    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class OIDCIdentity:
    """A verified end user. (`issuer`, `subject`) identifies the account; the rest may change."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None
    claims: dict[str, Any] = field(repr=False)


class OIDCClient:
    """Relying-party client for one provider. Caches discovery and JWKS; safe to share."""

    def __init__(
        self, config: OIDCConfig, *, transport: httpx.AsyncBaseTransport | None = None, clock_skew: int = 60
    ) -> None:
        self.config = config
        self._transport = transport
        self._clock_skew = clock_skew
        self._metadata: dict[str, Any] | None = None
        self._jwks: KeySet | None = None

    def _session(self, auth_method: str | None = None) -> AsyncOAuth2Client:
        # A session per call: no connection pool to close, no token state shared between logins.
        return AsyncOAuth2Client(
            client_id=self.config.client_id,
            client_secret=self.config.client_secret,
            token_endpoint_auth_method=auth_method,
            scope=" ".join(self.config.scopes),
            redirect_uri=self.config.redirect_uri,
            code_challenge_method="S256",
            transport=self._transport,
            timeout=10.0,
        )

    async def _get_json(self, url: str) -> Any:
        async with self._session() as http:
            response = await http.request("GET", url, withhold_token=True)
            response.raise_for_status()
            return response.json()

    async def metadata(self) -> dict[str, Any]:
        """The provider's discovery document, fetched once."""
        if self._metadata is None:
            url = self.config.issuer.rstrip("/") + "/.well-known/openid-configuration"
            try:
                doc = await self._get_json(url)
            except (httpx.HTTPError, ValueError) as exc:
                raise OIDCError("oidc.discovery_failed", f"{url}: {exc}") from exc
            if not isinstance(doc, dict) or doc.get("issuer") != self.config.issuer:
                raise OIDCError("oidc.discovery_failed", "issuer in discovery document does not match")
            missing = {"authorization_endpoint", "token_endpoint", "jwks_uri"} - doc.keys()
            if missing:
                raise OIDCError("oidc.discovery_failed", f"missing {sorted(missing)}")
            self._metadata = doc
        return self._metadata

    async def _keys(self, *, refresh: bool = False) -> KeySet:
        if self._jwks is None or refresh:
            uri = (await self.metadata())["jwks_uri"]
            try:
                self._jwks = KeySet.import_key_set(await self._get_json(uri))
            except (httpx.HTTPError, ValueError, KeyError, TypeError, JoseError) as exc:
                raise OIDCError("oidc.invalid_id_token", f"cannot load JWKS: {exc}") from exc
        return self._jwks

    def _auth_method(self, meta: dict[str, Any]) -> str:
        if self.config.client_secret is None:
            return "none"
        if self.config.token_endpoint_auth_method:
            return self.config.token_endpoint_auth_method
        supported = meta.get("token_endpoint_auth_methods_supported", ["client_secret_basic"])
        return "client_secret_basic" if "client_secret_basic" in supported else "client_secret_post"

    async def begin(self) -> AuthRequest:
        """Start a login: the provider URL plus the fresh state, nonce and PKCE verifier."""
        meta = await self.metadata()
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        code_verifier = secrets.token_urlsafe(64)  # 86 chars, within RFC 7636's 43..128
        async with self._session() as http:
            url, _ = http.create_authorization_url(
                meta["authorization_endpoint"], state=state, code_verifier=code_verifier, nonce=nonce
            )
        return AuthRequest(url=url, state=state, nonce=nonce, code_verifier=code_verifier)

    async def complete(
        self, *, pending: AuthRequest, code: str | None, state: str | None, error: str | None = None
    ) -> OIDCIdentity:
        """Finish a login from the callback's query parameters; returns the verified identity."""
        if error:
            raise OIDCError("oidc.provider_error", error)
        if not state or not hmac.compare_digest(state.encode(), pending.state.encode()):
            raise OIDCError("oidc.state_mismatch")
        if not code:
            raise OIDCError("oidc.missing_code")
        meta = await self.metadata()
        try:
            async with self._session(self._auth_method(meta)) as http:
                token = await http.fetch_token(
                    meta["token_endpoint"],
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=pending.code_verifier,
                )
        except (AuthlibOAuthError, httpx.HTTPError, ValueError) as exc:
            raise OIDCError("oidc.token_exchange_failed", str(exc)) from exc
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise OIDCError("oidc.invalid_id_token", "token response has no id_token")
        claims = await self.verify_id_token(id_token, nonce=pending.nonce)
        return OIDCIdentity(
            issuer=claims["iss"],
            subject=claims["sub"],
            email=claims.get("email"),
            email_verified=claims.get("email_verified") in (True, "true"),
            name=claims.get("name"),
            claims=claims,
        )

    async def verify_id_token(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        """Check signature, algorithm, iss, aud/azp, exp/iat and nonce; return the claims."""
        try:
            header = jws.extract_compact(id_token.encode()).headers()
        except (JoseError, ValueError) as exc:
            raise OIDCError("oidc.invalid_id_token", f"malformed: {exc}") from exc
        alg = header.get("alg")
        if alg not in self.config.allowed_algs:
            raise OIDCError("oidc.invalid_id_token", f"algorithm {alg!r} is not allowed")
        kid = header.get("kid")
        keys = await self._keys()
        if kid is not None and all(k.kid != kid for k in keys):
            keys = await self._keys(refresh=True)  # the provider may have rotated its keys
        try:
            key = keys.get_by_kid(kid)
            verified = jwt.decode(id_token, key, algorithms=list(self.config.allowed_algs))
        except (JoseError, ValueError) as exc:
            raise OIDCError("oidc.invalid_id_token", f"signature: {exc!r}") from exc
        claims = verified.claims
        registry = jwt.JWTClaimsRegistry(
            now=int(time.time()),
            leeway=self._clock_skew,
            iss={"essential": True, "value": self.config.issuer},
            sub={"essential": True},
            aud={"essential": True, "value": self.config.client_id},
            exp={"essential": True},
            iat={"essential": True},
        )
        try:
            registry.validate(claims)
        except JoseError as exc:
            raise OIDCError("oidc.invalid_id_token", f"claims: {exc!r}") from exc
        aud = claims["aud"]
        if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != self.config.client_id:
            raise OIDCError("oidc.invalid_id_token", "azp does not name this client")
        if "azp" in claims and claims["azp"] != self.config.client_id:
            raise OIDCError("oidc.invalid_id_token", "azp names another client")
        got = claims.get("nonce")
        if not isinstance(got, str) or not hmac.compare_digest(got.encode(), nonce.encode()):
            raise OIDCError("oidc.nonce_mismatch")
        return claims
