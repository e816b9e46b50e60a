"""Typed settings read from ``KYOSO_*`` environment variables.

>>> settings = Settings.from_env({"KYOSO_DATA_DIR": "/tmp/kyoso"})
>>> settings.data_dir.name
'kyoso'

A bad value raises :class:`SettingsError` whose message is one line naming the variable,
so ``kyoso serve`` can stop with exactly that line.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from service.net import Network, parse_networks

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_MIN_SECRET_BYTES = 32
#: The highest ``KYOSO_DOCUMENT_MAX_BYTES`` (the data-room upload route refuses larger bodies outright).
DOCUMENT_MAX_BYTES_CAP = 512 * 1024 * 1024


class SettingsError(ValueError):
    """A setting in the environment is missing or malformed."""


@dataclass(frozen=True, slots=True)
class OIDCSettings:
    issuer: str
    client_id: str
    client_secret: str | None = field(repr=False)
    redirect_uri: str


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    """Where mail goes: ``KYOSO_SMTP_URL`` parsed, or ``KYOSO_SMTP_HOST``/``PORT`` as ``smtp://HOST:PORT``.

    >>> parse_smtp_url("smtps://kyoso:secret@mail.example.jp").port
    465
    """

    host: str
    port: int
    #: ``none`` (plain SMTP), ``starttls`` (``smtp://…?starttls=1``) or ``implicit`` (``smtps://``).
    security: str = "none"
    username: str | None = None
    password: str | None = field(default=None, repr=False)


_SMTP_DEFAULT_PORTS = {"smtp": 25, "smtps": 465}


def parse_smtp_url(raw: str, name: str = "KYOSO_SMTP_URL") -> SmtpTarget:
    """``smtp://[user:pass@]host[:port][?starttls=1]`` or ``smtps://…`` (implicit TLS)."""
    parts = urlsplit(raw)
    if parts.scheme not in _SMTP_DEFAULT_PORTS:
        raise SettingsError(f"{name} must start with smtp:// or smtps://")
    try:
        port = parts.port if parts.port is not None else _SMTP_DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise SettingsError(f"{name} has a bad port") from None
    if not 1 <= port <= 65535:
        raise SettingsError(f"{name} has a bad port")
    if not parts.hostname:
        raise SettingsError(f"{name} names no host")
    if parts.path not in ("", "/") or parts.fragment:
        raise SettingsError(f"{name} takes no path or fragment")
    query = parse_qs(parts.query, keep_blank_values=True)
    if set(query) - {"starttls"} or any(len(v) != 1 for v in query.values()):
        raise SettingsError(f"{name} takes only the query parameter starttls=1")
    starttls = query.get("starttls", ["0"])[0].lower()
    if starttls not in ("0", "1", "true", "false"):
        raise SettingsError(f"{name}: starttls must be 1 or 0")
    security = "implicit" if parts.scheme == "smtps" else "starttls" if starttls in ("1", "true") else "none"
    if parts.scheme == "smtps" and starttls in ("1", "true"):
        raise SettingsError(f"{name}: smtps:// is TLS from the start; starttls=1 is for smtp://")
    if parts.password is not None and not parts.username:
        raise SettingsError(f"{name} has a password but no user")
    return SmtpTarget(
        host=parts.hostname,
        port=port,
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


@dataclass(frozen=True, slots=True)
class Settings:
    # Secrets (keys, and database URLs, which may hold a password) stay out of repr(): settings
    # end up in logs, tracebacks and test reports.
    data_dir: Path
    database_url: str | None = field(default=None, repr=False)
    secret_key: str = field(default="", repr=False)
    #: The owner role's URL for migrations (external server); None = ``database_url``.
    migration_database_url: str | None = field(default=None, repr=False)
    #: The audit chain's HMAC key (``KYOSO_AUDIT_KEY``, else generated in the data dir) and
    #: retired keys still accepted when verifying (``KYOSO_AUDIT_PREVIOUS_KEYS``, comma-separated).
    audit_key: str = field(default="", repr=False)
    audit_previous_keys: tuple[str, ...] = field(default=(), repr=False)
    allowed_origins: tuple[str, ...] = ()
    log_level: str = "INFO"
    token_ttl_seconds: int = 8 * 3600
    cookie_secure: bool = True
    load_demo: bool = True
    bench_endpoints: bool = False
    #: Wrong passwords per account and client IP answered at once; later ones wait (backoff).
    login_max_failures: int = 5
    #: A login counter is forgotten after this long without a failed attempt.
    login_window_seconds: int = 86400
    #: The wait after the first failure beyond the free ones; it doubles with each further one.
    login_backoff_base_seconds: int = 1
    login_backoff_cap_seconds: int = 900
    #: Sign-ups accepted per client IP per window.
    signup_max_per_ip: int = 10
    signup_window_seconds: int = 3600
    #: Proxies whose X-Forwarded-For is believed (see service/net.py).
    trusted_proxies: tuple[Network, ...] = ()
    #: Outgoing mail; with no SMTP host mails are logged at INFO instead of sent.
    smtp_host: str | None = None
    smtp_port: int = 25
    #: ``KYOSO_SMTP_URL``; set, it is where every mail goes (see :attr:`smtp`).
    smtp_url: SmtpTarget | None = None
    mail_from: str = "Kyoso <no-reply@kyoso.invalid>"
    #: Where the site is reached, for links in mails.
    public_url: str = "http://localhost:8000"
    oidc: OIDCSettings | None = field(default=None)
    #: The largest file a deal room's data room accepts (``KYOSO_DOCUMENT_MAX_BYTES``).
    document_max_bytes: int = 25 * 1024 * 1024
    #: A trained matching model is activated only if its held-out NDCG@10 beats both the content
    #: ranker's and popularity's by at least this many points (service/matching/gate.py).
    matching_gate_margin: float = 0.01

    @property
    def smtp(self) -> SmtpTarget | None:
        """Where mail goes: ``KYOSO_SMTP_URL``, else ``KYOSO_SMTP_HOST``/``PORT`` (plain SMTP), else
        nowhere — mails are then logged, and notifications stay in-app (no mail is queued)."""
        if self.smtp_url is not None:
            return self.smtp_url
        if self.smtp_host is not None:
            return SmtpTarget(host=self.smtp_host, port=self.smtp_port)
        return None

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url is None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read settings; generate and persist the secret key in the data dir when absent."""
        env = os.environ if env is None else env
        data_dir = Path(env.get("KYOSO_DATA_DIR", ".data")).expanduser().resolve()
        database_url = _database_url(env.get("KYOSO_DATABASE_URL"))
        log_level = env.get("KYOSO_LOG_LEVEL", "INFO").upper()
        if log_level not in _LOG_LEVELS:
            raise SettingsError(f"KYOSO_LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}, got {log_level!r}")
        origins = tuple(o.strip() for o in env.get("KYOSO_ALLOWED_ORIGINS", "").split(",") if o.strip())
        for origin in origins:
            if not origin.startswith(("http://", "https://")):
                raise SettingsError(
                    f"KYOSO_ALLOWED_ORIGINS entries must start with http:// or https://, got {origin!r}"
                )
        secret = env.get("KYOSO_SECRET_KEY") or _stored_secret(data_dir)
        if len(secret.encode()) < _MIN_SECRET_BYTES:
            raise SettingsError(f"KYOSO_SECRET_KEY must be at least {_MIN_SECRET_BYTES} bytes long")
        audit_key = env.get("KYOSO_AUDIT_KEY") or _stored_secret(data_dir, "audit_key")
        if len(audit_key.encode()) < _MIN_SECRET_BYTES:
            raise SettingsError(f"KYOSO_AUDIT_KEY must be at least {_MIN_SECRET_BYTES} bytes long")
        previous = tuple(k.strip() for k in env.get("KYOSO_AUDIT_PREVIOUS_KEYS", "").split(",") if k.strip())
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            secret_key=secret,
            migration_database_url=_database_url(
                env.get("KYOSO_MIGRATION_DATABASE_URL"), "KYOSO_MIGRATION_DATABASE_URL"
            ),
            audit_key=audit_key,
            audit_previous_keys=previous,
            allowed_origins=origins,
            log_level=log_level,
            token_ttl_seconds=_int(env, "KYOSO_TOKEN_TTL_SECONDS", 8 * 3600, lo=60, hi=30 * 86400),
            cookie_secure=_bool(env, "KYOSO_COOKIE_SECURE", True),
            load_demo=_bool(env, "KYOSO_LOAD_DEMO", True),
            bench_endpoints=_bool(env, "KYOSO_BENCH_ENDPOINTS", False),
            login_max_failures=_int(env, "KYOSO_LOGIN_MAX_FAILURES", 5, lo=1, hi=1000),
            login_window_seconds=_int(env, "KYOSO_LOGIN_WINDOW_SECONDS", 86400, lo=1, hi=30 * 86400),
            login_backoff_base_seconds=_int(env, "KYOSO_LOGIN_BACKOFF_BASE_SECONDS", 1, lo=1, hi=3600),
            login_backoff_cap_seconds=_int(env, "KYOSO_LOGIN_BACKOFF_CAP_SECONDS", 900, lo=1, hi=86400),
            signup_max_per_ip=_int(env, "KYOSO_SIGNUP_MAX_PER_IP", 10, lo=1, hi=100_000),
            signup_window_seconds=_int(env, "KYOSO_SIGNUP_WINDOW_SECONDS", 3600, lo=1, hi=86400),
            trusted_proxies=_networks(env, "KYOSO_TRUSTED_PROXIES"),
            smtp_host=env.get("KYOSO_SMTP_HOST") or None,
            smtp_port=_int(env, "KYOSO_SMTP_PORT", 25, lo=1, hi=65535),
            smtp_url=_smtp_url(env),
            mail_from=env.get("KYOSO_MAIL_FROM") or "Kyoso <no-reply@kyoso.invalid>",
            public_url=_url(env, "KYOSO_PUBLIC_URL", "http://localhost:8000"),
            oidc=_oidc(env),
            document_max_bytes=_int(
                env, "KYOSO_DOCUMENT_MAX_BYTES", 25 * 1024 * 1024, lo=1024, hi=DOCUMENT_MAX_BYTES_CAP
            ),
            matching_gate_margin=_float(env, "KYOSO_MATCHING_GATE_MARGIN", 0.01, lo=0.0, hi=1.0),
        )


def _database_url(raw: str | None, name: str = "KYOSO_DATABASE_URL") -> str | None:
    if not raw:
        return None
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+asyncpg://" + raw[len(prefix) :]
    raise SettingsError(f"{name} must be a postgresql:// URL")


def _smtp_url(env: Mapping[str, str]) -> SmtpTarget | None:
    raw = env.get("KYOSO_SMTP_URL")
    if not raw:
        return None
    if env.get("KYOSO_SMTP_HOST"):
        # Two places naming the mail server would leave one silently ignored.
        raise SettingsError("KYOSO_SMTP_URL and KYOSO_SMTP_HOST are both set: keep only KYOSO_SMTP_URL")
    return parse_smtp_url(raw)


def _stored_secret(data_dir: Path, name: str = "secret_key") -> str:
    path = data_dir / name
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secret)
    return secret


def _int(env: Mapping[str, str], name: str, default: int, *, lo: int, hi: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None
    if not lo <= value <= hi:
        raise SettingsError(f"{name} must be between {lo} and {hi}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _networks(env: Mapping[str, str], name: str) -> tuple[Network, ...]:
    try:
        return parse_networks(env.get(name, ""))
    except ValueError as exc:
        raise SettingsError(f"{name}: {exc}") from None


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name) or default
    if not raw.startswith(("http://", "https://")):
        raise SettingsError(f"{name} must start with http:// or https://, got {raw!r}")
    return raw.rstrip("/")


def _oidc(env: Mapping[str, str]) -> OIDCSettings | None:
    names = ("KYOSO_OIDC_ISSUER", "KYOSO_OIDC_CLIENT_ID", "KYOSO_OIDC_REDIRECT_URI")
    present = [n for n in names if env.get(n)]
    if not present:
        return None
    if len(present) != len(names):
        missing = sorted(set(names) - set(present))
        raise SettingsError(f"OIDC is half-configured: set {', '.join(missing)} too")
    return OIDCSettings(
        issuer=env["KYOSO_OIDC_ISSUER"],  # compared exactly with the discovery document
        client_id=env["KYOSO_OIDC_CLIENT_ID"],
        client_secret=env.get("KYOSO_OIDC_CLIENT_SECRET") or None,
        redirect_uri=env["KYOSO_OIDC_REDIRECT_URI"],
    )


def _float(env: Mapping[str, str], name: str, default: float, *, lo: float, hi: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if not lo <= value <= hi:  # also refuses nan
        raise SettingsError(f"{name} must be between {lo} and {hi}, got {raw}")
    return value
