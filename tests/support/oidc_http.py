"""HTTP plumbing for `tests.support.oidc_provider.OIDCProvider`: the request handler that turns each
call into an `HTTPCall`, and the adapters through which Authlib reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from authlib.oauth2.rfc6749 import JsonPayload, OAuth2Payload, OAuth2Request

if TYPE_CHECKING:
    from tests.support.oidc_provider import OIDCProvider


class CallPayload(OAuth2Payload, JsonPayload):
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


class CallRequest(OAuth2Request):
    def __init__(self, call: HTTPCall) -> None:
        super().__init__(call.method, call.url, headers=call.headers)
        self._call = call
        self.payload = CallPayload({**call.query, **call.form})

    @property
    def args(self) -> dict[str, str]:
        return {k: v[0] for k, v in self._call.query.items()}

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in self._call.form.items()}


def handler_for(provider: OIDCProvider) -> type[BaseHTTPRequestHandler]:
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
