"""Signed session tokens (JWT via joserfc) and the CSRF token bound to a session.

A token names a server-side :class:`~service.models.AuthSession` (``sid``); logout revokes
the session, so a stolen token dies with it. Only HS256 is accepted; ``exp`` and ``aud`` are
required and checked.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

ALGORITHMS = ["HS256"]
AUDIENCE = "kyoso-api"
ISSUER = "kyoso"


@dataclass(frozen=True, slots=True)
class TokenClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID


class InvalidToken(Exception):
    pass


class TokenCodec:
    def __init__(self, secret: str) -> None:
        self._key = OctKey.import_key(hashlib.sha256(b"kyoso-jwt:" + secret.encode()).digest())
        self._csrf_key = hashlib.sha256(b"kyoso-csrf:" + secret.encode()).digest()
        self._registry = jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": ISSUER},
            aud={"essential": True, "value": AUDIENCE},
            exp={"essential": True},
            sub={"essential": True},
            sid={"essential": True},
        )

    def issue(self, user_id: uuid.UUID, session_id: uuid.UUID, *, issued_at: datetime, expires_at: datetime) -> str:
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(user_id),
            "sid": str(session_id),
            "iat": int(issued_at.timestamp()),
            "exp": int(expires_at.timestamp()),
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, self._key, algorithms=ALGORITHMS)

    def verify(self, token: str) -> TokenClaims:
        try:
            decoded = jwt.decode(token, self._key, algorithms=ALGORITHMS)
            self._registry.validate(decoded.claims)
            return TokenClaims(uuid.UUID(decoded.claims["sub"]), uuid.UUID(decoded.claims["sid"]))
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise InvalidToken(str(exc)) from exc

    def csrf_token(self, session_id: uuid.UUID) -> str:
        return hmac.new(self._csrf_key, session_id.bytes, hashlib.sha256).hexdigest()

    def csrf_ok(self, session_id: uuid.UUID, presented: str | None) -> bool:
        return presented is not None and hmac.compare_digest(self.csrf_token(session_id), presented)
