"""The provider's records and grant logic for `tests.support.oidc_provider.OIDCProvider`: its one
client, its users and issued codes, the authorization code grant with strict PKCE (S256 only, for
every client) and the OpenID Connect extension that signs ID tokens (with the refusal-test controls).
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, OAuth2Request, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin, UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import OctKey, RSAKey

if TYPE_CHECKING:
    from tests.support.oidc_provider import OIDCProvider

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


class CodeGrant(grants.AuthorizationCodeGrant):
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


class ProviderOpenIDCode(OpenIDCode):
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
