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
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from authlib.oauth2.rfc6749 import (
    AuthorizationServer,
    ClientMixin,
    InvalidRequestError,
    JsonPayload,
    JsonRequest,
    OAuth2Error,
    OAuth2Payload,
    OAuth2Request,
    grants,
)
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin, UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import KeySet, OctKey, RSAKey

CLIENT_ID = "kyoso-test"
SCOPES = ["openid", "email", "profile"]
CODE_LIFETIME = 600


@dataclass
class ProviderUser:
    sub: str
    email: str | None = None
    name: str | None = None
    email_verified: bool = True


@dataclass
class ProviderClient(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str] = field(default_factory=list)

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope: str | None) -> str:
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class IssuedCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: ProviderUser
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def is_expired(self) -> bool:
        return time.time() > self.auth_time + CODE_LIFETIME


class _Payload(OAuth2Payload, JsonPayload):
    def __init__(self, values: dict[str, list[str]]) -> None:
        self._datalist = values

    @property
    def data(self) -> dict[str, str]:
        return {k: v[0] for k, v in self._datalist.items()}

    @property
    def datalist(self) -> dict[str, list[str]]:  # type: ignore[override]
        return self._datalist


@dataclass
class HTTPCall:
    """The parts of an incoming HTTP request that Authlib reads."""

    method: str
    url: str
    headers: Any
    query: dict[str, list[str]]
    form: dict[str, list[str]]


class _OAuth2Request(OAuth2Request):
    def __init__(self, call: HTTPCall) -> None:
        super().__init__(call.method, call.url, headers=call.headers)
        self._call = call
        self.payload = _Payload({**call.query, **call.form})

    @property
    def args(self) -> dict[str, str]:
        return {k: v[0] for k, v in self._call.query.items()}

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in self._call.form.items()}


class StrictS256Challenge(CodeChallenge):
    """PKCE for every client, S256 only: Authlib's CodeChallenge lets a confidential client skip it."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge'")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be S256")
        super().validate_code_challenge(grant, redirect_uri)


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
        self.user: ProviderUser | None = ProviderUser(
            sub="test-user", email="test@example.jp", name="テスト 太郎"
        )
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
        self.register_grant(_CodeGrant, [StrictS256Challenge(required=True), _OpenIDCode(self)])

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
        return _OAuth2Request(request)

    def create_json_request(self, request: HTTPCall) -> JsonRequest:
        json_request = JsonRequest(request.method, request.url, request.headers)
        json_request.payload = _Payload(request.query)
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
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
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


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
    server: OIDCProvider

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        self.server.codes[code] = IssuedCode(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            user=request.user,
            nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code: str, client: ProviderClient) -> IssuedCode | None:
        issued = self.server.codes.get(code)
        if issued is None or issued.client_id != client.get_client_id() or issued.is_expired():
            return None
        return issued

    def delete_authorization_code(self, authorization_code: IssuedCode) -> None:
        self.server.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: IssuedCode) -> ProviderUser:
        return authorization_code.user


class _OpenIDCode(OpenIDCode):
    def __init__(self, provider: OIDCProvider) -> None:
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return any(c.nonce == nonce for c in self.provider.codes.values())

    def get_client_claims(self, client: ProviderClient) -> dict[str, Any]:
        return {"iss": self.provider.issuer, "aud": [client.get_client_id()]}

    def get_client_algorithm(self, client: ProviderClient) -> str:
        return self.provider.id_token_alg

    def get_encode_header(self, client: ProviderClient) -> dict[str, str]:
        return {"alg": self.provider.id_token_alg, "kid": self.provider.signing_key.kid or ""}

    def resolve_client_private_key(self, client: ProviderClient) -> RSAKey | OctKey:
        if self.provider.id_token_alg.startswith("HS"):
            return OctKey.import_key(client.client_secret)
        if self.provider.sign_with_foreign_key:
            return self.provider.foreign_key
        return self.provider.signing_key

    def get_authorization_code_claims(self, authorization_code: IssuedCode) -> dict[str, Any]:
        claims = super().get_authorization_code_claims(authorization_code)
        if self.provider.override_nonce is not None:
            claims["nonce"] = self.provider.override_nonce
        return claims

    def generate_user_info(self, user: ProviderUser, scope: str) -> UserInfo:
        info = UserInfo(sub=user.sub)
        scopes = scope.split()
        if "email" in scopes and user.email:
            info["email"] = user.email
            info["email_verified"] = user.email_verified
        if "profile" in scopes and user.name:
            info["name"] = user.name
        return info


def _handler_for(provider: OIDCProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            form = parse_qs(body, keep_blank_values=True) if self.command == "POST" else {}
            call = HTTPCall(
                method=self.command,
                url=f"{provider.issuer}{self.path}",
                headers=self.headers,
                query=parse_qs(split.query, keep_blank_values=True),
                form=form,
            )
            status, payload, headers = provider.dispatch(call)
            data = (payload or "").encode()
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = _serve  # noqa: N815
        do_POST = _serve  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:
            return None  # keep pytest output clean

    return Handler
