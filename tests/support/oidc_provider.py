"""A small but real OpenID Connect provider for tests, served over HTTP on 127.0.0.1.

Built on Authlib's framework-neutral `AuthorizationServer` with the authorization code
grant, PKCE (S256 only, required for every client) and the OpenID Connect code flow.
It signs ID tokens with an RSA key generated at start and publishes it as a JWKS::

    with OIDCProvider() as provider:
        provider.register_client("http://testserver/auth/callback")
        provider.login_as(sub="user-1", email="hanako@example.jp", name="山田花子")
        config = OIDCConfig(issuer=provider.issuer, client_id=provider.client_id,
                            client_secret=provider.client_secret, redirect_uri=...)

The authorize endpoint approves at once as the user given to `login_as` and answers
302 to `redirect_uri?code=..&state=..`. Controls for refusal tests:
`sign_with_foreign_key` (same kid, key not in the JWKS), `override_nonce`, `id_token_alg`.

The grants and their records are in `oidc_grants`, the HTTP handler and Authlib's request
adapters in `oidc_http`.
"""

from __future__ import annotations

import json
import secrets
import threading
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import AuthorizationServer, JsonRequest, OAuth2Error, OAuth2Request
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from joserfc.jwk import KeySet, RSAKey

from tests.support.oidc_grants import (
    SCOPES,
    CodeGrant,
    IssuedCode,
    ProviderClient,
    ProviderOpenIDCode,
    ProviderUser,
    StrictS256Challenge,
)
from tests.support.oidc_http import CallPayload, CallRequest, HTTPCall, handler_for

CLIENT_ID = "kyoso-test"


class OIDCProvider(AuthorizationServer):
    """The provider; start it with `with OIDCProvider() as provider:` (or `start()`/`stop()`)."""

    def __init__(self) -> None:
        super().__init__(scopes_supported=SCOPES)
        kid = secrets.token_hex(8)
        self.signing_key = RSAKey.generate_key(2048, {"kid": kid, "use": "sig", "alg": "RS256"})
        self.foreign_key = RSAKey.generate_key(2048, {"kid": kid, "use": "sig", "alg": "RS256"})
        self.client_id = CLIENT_ID
        self.client_secret = secrets.token_urlsafe(32)
        self.client = ProviderClient(self.client_id, self.client_secret)
        self.user: ProviderUser | None = ProviderUser(sub="test-user", email="test@example.jp", name="テスト 太郎")
        self.sign_with_foreign_key = False
        self.override_nonce: str | None = None
        self.id_token_alg = "RS256"
        self.codes: dict[str, IssuedCode] = {}
        self.tokens: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.issuer = ""
        self.register_token_generator("default", BearerTokenGenerator(lambda **_: secrets.token_urlsafe(32)))
        self.register_grant(CodeGrant, [StrictS256Challenge(required=True), ProviderOpenIDCode(self)])

    # -- test controls -------------------------------------------------------------------------
    def register_client(self, redirect_uri: str) -> ProviderClient:
        """Allow `redirect_uri` for the one client (`client_id`, `client_secret`)."""
        if redirect_uri not in self.client.redirect_uris:
            self.client.redirect_uris.append(redirect_uri)
        return self.client

    def login_as(
        self, sub: str, email: str | None = None, name: str | None = None, *, email_verified: bool = True
    ) -> ProviderUser:
        """Who the authorize endpoint approves as from now on."""
        self.user = ProviderUser(sub=sub, email=email, name=name, email_verified=email_verified)
        return self.user

    def jwks(self) -> dict[str, Any]:
        return dict(KeySet([self.signing_key]).as_dict(private=False))

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": SCOPES,
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": [
                "sub",
                "iss",
                "aud",
                "exp",
                "iat",
                "nonce",
                "email",
                "email_verified",
                "name",
            ],
        }

    # -- AuthorizationServer hooks -------------------------------------------------------------
    def query_client(self, client_id: str) -> ProviderClient | None:
        return self.client if client_id == self.client_id else None

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.tokens.append(dict(token))

    def create_oauth2_request(self, request: HTTPCall) -> OAuth2Request:
        return CallRequest(request)

    def create_json_request(self, request: HTTPCall) -> JsonRequest:
        json_request = JsonRequest(request.method, request.url, request.headers)
        json_request.payload = CallPayload(request.query)
        return json_request

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> tuple:
        if isinstance(body, dict):
            body = json.dumps(body)
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None

    # -- HTTP ----------------------------------------------------------------------------------
    def dispatch(self, call: HTTPCall) -> tuple[int, str, list[tuple[str, str]]]:
        path = urlsplit(call.url).path
        self.requests.append((call.method, path))
        json_headers = [("Content-Type", "application/json")]
        with self._lock:  # Authlib's server keeps state in the grant; one request at a time
            if path == "/.well-known/openid-configuration" and call.method == "GET":
                return 200, json.dumps(self.metadata()), json_headers
            if path == "/jwks" and call.method == "GET":
                return 200, json.dumps(self.jwks()), json_headers
            if path == "/authorize" and call.method == "GET":
                try:
                    grant = self.get_consent_grant(call, end_user=self.user)
                except OAuth2Error as error:
                    return self.handle_error_response(None, error)
                return self.create_authorization_response(call, grant_user=self.user, grant=grant)
            if path == "/token" and call.method == "POST":
                return self.create_token_response(call)
        return 404, json.dumps({"error": "not_found"}), json_headers

    def start(self) -> OIDCProvider:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(self))
        self._httpd.daemon_threads = True
        self.issuer = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="oidc-provider",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> OIDCProvider:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
