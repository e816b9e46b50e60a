"""The room's WebSocket: ``/api/v1/deal-rooms/{room_id}/live``.

Who may connect is decided exactly as for HTTP: the ``Authorization: Bearer`` header or the
session cookie (whose page must come from an allowed origin), an active participant who accepted
the room's current NDA. Each ``send`` is authorized again in its own transaction (the session must
still be live, the sender still a participant allowed to write in the room's stage) and counted
against the rate limit. Client protocol and close codes: README, "Live room messages".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import uuid
from typing import Any, cast
from urllib.parse import urlsplit

import msgspec
from litestar import WebSocket, websocket
from litestar.datastructures import State
from litestar.exceptions import WebSocketDisconnect

from service.auth.principal import Principal, _principal
from service.common_messages import COMMON
from service.db_errors import database_error_kind
from service.deal_rooms.live.closing import (
    CLOSE_GOING_AWAY,
    CLOSE_NDA,
    CLOSE_ORIGIN,
    CLOSE_REMOVED,
    CLOSE_ROOM_ENDED,
    CLOSE_UNAUTHENTICATED,
    Close,
)
from service.deal_rooms.live.hub import Connection, Hub
from service.deal_rooms.live.messages import MESSAGES
from service.deal_rooms.live.schemas import (
    AckFrame,
    ClientFrame,
    ErrorFrame,
    ErrorText,
    Hello,
    LiveFrame,
    Ping,
    PongFrame,
    Send,
)
from service.deal_rooms.live.service import LiveService
from service.domain_errors import DomainError, Forbidden, Message, NotFound, Unauthenticated
from service.models.deal_room import FINAL_STAGES

_log = logging.getLogger("kyoso.live")
_decoder = msgspec.json.Decoder(ClientFrame)
_encoder = msgspec.json.Encoder()
#: Where msgspec says a frame is wrong: "… - at `$.body`" or "missing required field `body`".
_AT = re.compile(r"(?:at `\$\.|field `)([A-Za-z_]+)")
GOING_AWAY = Close(CLOSE_GOING_AWAY, "", None)


class _Handshake:
    """The WebSocket's opening request as the HTTP sign-in check reads it (a GET: no CSRF)."""

    method = "GET"

    def __init__(self, socket: WebSocket[Any, Any, Any]) -> None:
        self.headers = socket.headers
        self.cookies = socket.cookies


def _error(error: DomainError | None, close: Close | None = None, client_id: str | None = None) -> str:
    if error is not None:
        field = error.errors[0].field if error.errors else None
        frame = ErrorFrame(
            error.code,
            error.status_code,
            ErrorText(error.message.ja, error.message.en),
            client_id=client_id,
            retry_after=error.retry_after,
            field=field,
        )
    else:
        assert close is not None
        assert close.message is not None
        frame = ErrorFrame(close.error_code, close.status, ErrorText(close.message.ja, close.message.en))
    return _encoder.encode(frame).decode()


def _close_for(error: DomainError) -> Close | None:
    """Errors after which the socket may not stay open, with their close codes."""
    message = Message(error.message.ja, error.message.en)
    if isinstance(error, Unauthenticated):
        return Close(CLOSE_UNAUTHENTICATED, error.code, message, 401)
    if isinstance(error, NotFound):
        return Close(CLOSE_REMOVED, error.code, message, 404)
    if isinstance(error, Forbidden) and error.code == "deal_room.nda_required":
        return Close(CLOSE_NDA, error.code, message, 403)
    return None


def _origin_allowed(socket: WebSocket[Any, Any, Any], state: State) -> bool:
    origin = socket.headers.get("origin")
    if origin is None:
        return True  # not a browser: no ambient cookie to abuse
    if origin in state.settings.allowed_origins or origin.rstrip("/") == state.settings.public_url.rstrip("/"):
        return True
    return urlsplit(origin).netloc == socket.headers.get("host")


async def _who(socket: WebSocket[Any, Any, Any], session: Any, state: State) -> Principal:
    principal = await _principal(cast(Any, _Handshake(socket)), session, state)
    if principal is None:
        raise COMMON.error(Unauthenticated, "auth.unauthenticated")
    return principal


async def _admit(socket: WebSocket[Any, Any, Any], room_id: uuid.UUID, state: State) -> Principal:
    """The caller, if it may listen in the room; a :class:`Close` otherwise."""
    async with state.read_session_maker() as session:
        principal = await _who(socket, session, state)
        if principal.via_cookie and not _origin_allowed(socket, state):
            message = MESSAGES.text("deal_room.live_origin_refused")
            raise _Refused(Close(CLOSE_ORIGIN, "deal_room.live_origin_refused", message, 403))
        seat = await LiveService(session, principal).listen(room_id)
        if seat.stage in FINAL_STAGES:
            message = MESSAGES.text("deal_room.live_room_closed", stage=seat.stage.value)
            raise _Refused(Close(CLOSE_ROOM_ENDED, "deal_room.live_room_closed", message, 409))
    return principal


class _Refused(Exception):
    def __init__(self, close: Close) -> None:
        super().__init__(close.error_code)
        self.close = close


async def _write(socket: WebSocket[Any, Any, Any], connection: Connection) -> Close:
    """Send the queued frames; the :class:`Close` that ends them (its error frame sent)."""
    while True:
        item = await connection.queue.get()
        if isinstance(item, Close):
            if item.message is not None:
                await socket.send_text(_error(None, item))
            return item
        await socket.send_text(item)


class _Conversation:
    def __init__(self, socket: WebSocket[Any, Any, Any], room_id: uuid.UUID, connection: Connection) -> None:
        self.socket = socket
        self.room_id = room_id
        self.connection = connection
        self.state: State = socket.app.state
        self.hub: Hub = self.state.live_hub
        self.greeted = False

    def reply(self, frame: str) -> None:
        self.connection.queue.put_nowait(frame)

    async def run(self) -> None:
        while not self.connection.closing:
            raw = await self.socket.receive_data(mode="text")
            try:
                frame = _decoder.decode(raw)
            except (msgspec.ValidationError, msgspec.DecodeError) as exc:
                found = _AT.search(str(exc))
                reason = found.group(1) if found else "JSON"  # not an object at all
                error = MESSAGES.field_error(DomainError, reason, "deal_room.live_bad_frame", reason=reason)
                self.reply(_error(error))
                continue
            if isinstance(frame, Ping):
                self.reply(_encoder.encode(PongFrame()).decode())
            elif isinstance(frame, Hello):
                await self.hello(frame)
            elif not self.greeted:
                self.reply(_error(MESSAGES.error(DomainError, "deal_room.live_hello_first")))
            else:
                await self.send(frame)

    async def hello(self, frame: Hello) -> None:
        if self.greeted:
            self.reply(_error(MESSAGES.error(DomainError, "deal_room.live_bad_frame", reason="hello")))
            return
        self.greeted = True
        await self.hub.join(self.connection)
        last = await self.hub.backlog(self.connection, frame.last_seen_id)
        self.reply(_encoder.encode(LiveFrame(last)).decode())
        self.connection.go_live(last)

    async def send(self, frame: Send) -> None:
        try:
            async with self.state.session_maker() as session, session.begin():
                principal = await _who(self.socket, session, self.state)
                row = await LiveService(session, principal).send(self.room_id, frame.body)
                seq = row.seq
        except DomainError as error:
            self.reply(_error(error, client_id=frame.client_id))
            close = _close_for(error)
            if close is not None:
                self.connection.close(Close(close.code, close.error_code, None, close.status))
            return
        except Exception as exc:
            # An OSError here is the connection to PostgreSQL (a missing Unix socket while the
            # embedded server restarts is a FileNotFoundError, which database_error_kind does not list).
            if not isinstance(exc, OSError) and database_error_kind(exc)[0] not in ("unavailable", "retry"):
                raise
            busy = MESSAGES.error(Unavailable, "deal_room.live_unavailable", retry_after=1)
            self.reply(_error(busy, client_id=frame.client_id))
            return
        self.reply(_encoder.encode(AckFrame(seq, frame.client_id)).decode())


class Unavailable(DomainError):
    status_code = 503


@websocket("/deal-rooms/{room_id:uuid}/live")
async def room_socket(socket: WebSocket[Any, Any, Any], room_id: uuid.UUID) -> None:
    """The room's live feed: hello → backlog → live; send; ping (README: "Live room messages")."""
    state: State = socket.app.state
    await socket.accept()
    try:
        principal = await _admit(socket, room_id, state)
    except _Refused as refused:
        await socket.send_text(_error(None, refused.close))
        await socket.close(code=refused.close.code)
        return
    except DomainError as error:
        close = _close_for(error) or Close(CLOSE_REMOVED, error.code, None, error.status_code)
        await socket.send_text(_error(error))
        await socket.close(code=close.code)
        return
    connection = Connection(room_id, principal.user_id)
    conversation = _Conversation(socket, room_id, connection)
    writer = asyncio.create_task(_write(socket, connection))
    reader = asyncio.create_task(conversation.run())
    code = 1011
    try:
        await asyncio.wait({writer, reader}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        state.live_hub.leave(connection)
        # The reader is stopped before the close frame goes out: a receive still waiting would
        # hold the close back.
        for task in (reader, writer):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                await task
        for task in (reader, writer):
            failure = None if task.cancelled() else task.exception()
            if failure is not None and not isinstance(failure, WebSocketDisconnect | RuntimeError):
                _log.warning("room socket ended with %r", failure)
        if writer.done() and not writer.cancelled() and writer.exception() is None:
            code = writer.result().code
        if socket.connection_state != "disconnect":
            with contextlib.suppress(Exception):
                await socket.close(code=code)
