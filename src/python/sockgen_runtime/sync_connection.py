"""The blocking transport: ``websockets.sync.client`` around :class:`ConnectionCore`.

The twin of ``async_connection``: same structure, same decisions (made by the
core), blocking calls instead of awaits. Sends from other threads are safe.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from . import _websockets
from .connection_base import ConnectionBase
from .core import ConnectionCore, close_info, logger
from .errors import ConnectionClosed, ConnectionClosedOK, WebSocketConnectError
from .parsing import HandlerError, InvalidMessage

ClientT = TypeVar("ClientT")
ServerT = TypeVar("ServerT")
C = TypeVar("C", bound="Connection[Any, Any]")


def open_socket(core: ConnectionCore[Any]) -> Any:
    """One handshake with the core's current URL and headers."""
    client = _websockets.sync_client()
    url = core.url()
    try:
        ws = client.connect(url, **core.connect_kwargs())
    except (OSError, TimeoutError, _websockets.exceptions().InvalidHandshake) as exc:
        raise WebSocketConnectError(url, exc) from exc
    # Entered as a context manager (websockets 17.1 warns otherwise); the connection
    # closes it, as ``__exit__`` would.
    return ws.__enter__()


class Connection(ConnectionBase[ServerT], Generic[ClientT, ServerT]):
    """An open connection (blocking). Iterate it, or register handlers and ``dispatch_events``."""

    def __init__(self, core: ConnectionCore[ServerT], socket: Any) -> None:
        super().__init__(core, socket)
        self._lock = threading.RLock()

    # --- sending -------------------------------------------------------------

    def send(self, message: ClientT) -> None:
        """Send a client event: a model (aliases, JSON mode, no unset fields) or a dict."""
        self.send_raw(self._core.encode(message))

    def send_raw(self, data: str | bytes) -> None:
        """Send a frame as it is: ``str`` as a text frame, ``bytes`` as a binary frame."""
        core = self._core
        with self._lock:
            if core.gave_up is not None:
                raise core.gave_up
            if core.reconnecting:
                core.queue.push(data)
                return
            ws = self._ws
        try:
            ws.send(data)
        except self._closed_exc as exc:
            code, reason = close_info(exc)
            if not core.should_reconnect(code):
                raise core.closed(code, reason) from None
            with self._lock:
                core.queue.push(data)
            self._recover(ws, code, reason)

    # --- receiving -----------------------------------------------------------

    def _closed(self, ws: Any, exc: BaseException) -> None:
        """``ws`` closed: reconnect and return, or raise the close as this runtime's error."""
        code, reason = close_info(exc)
        if not self._core.should_reconnect(code):
            raise self._core.closed(code, reason) from None
        self._recover(ws, code, reason)

    def recv_frame(self, timeout: float | None = None) -> str | bytes:
        """The next frame as it came (text as ``str``, binary as ``bytes``), reconnecting as configured."""
        while True:
            ws = self._ws
            try:
                return ws.recv(timeout)  # type: ignore[no-any-return]
            except self._closed_exc as exc:
                self._closed(ws, exc)

    def recv_bytes(self, timeout: float | None = None) -> bytes:
        """The next frame's payload as bytes, unparsed."""
        frame = self.recv_frame(timeout)
        return frame.encode() if isinstance(frame, str) else frame

    def recv(self, timeout: float | None = None) -> ServerT:
        """The next server event. Invalid frames go to ``on("error")``, binary ones to ``on("raw_data")``.

        Raises :class:`ConnectionClosedOK` after a normal close.
        """
        parse = self._parse
        while True:
            frame = self.recv_frame(timeout)
            if isinstance(frame, str):
                try:
                    return parse(frame)
                except ValidationError as err:
                    self._emit_error(self._core.invalid(frame, err))
            else:
                self._emit_raw(frame)

    def __iter__(self) -> Iterator[ServerT]:
        """Events until the connection closes normally; an abnormal close raises."""
        return self

    def __next__(self) -> ServerT:
        # The hot path: websockets' own recv() and the validator, nothing between.
        validate = self._validate
        while True:
            ws = self._ws
            try:
                frame = ws.recv()
            except self._closed_exc as exc:
                try:
                    self._closed(ws, exc)
                except ConnectionClosedOK:
                    raise StopIteration from None
                continue
            if type(frame) is str:  # noqa: E721 - exact type check, on the hot path
                try:
                    return validate(frame, by_name=False)
                except ValidationError as err:
                    self._emit_error(self._core.invalid(frame, err))
            else:
                self._emit_raw(frame)

    def dispatch_events(self) -> None:
        """Receive until the connection closes, calling each event's handlers in order.

        An exception in a handler goes to ``on("error")`` handlers when there are
        any; otherwise it propagates and ends this call.
        """
        names = self._core.names
        registry = self._core.handlers
        take = registry.take
        for event in self:
            name = names.get(event.__class__)
            if name is None:
                continue
            for handler in take(name):
                try:
                    handler(event)
                except Exception as exc:
                    if not registry.has("error"):
                        raise
                    self._emit_error(HandlerError("handler_error", None, exc, event))

    def _emit_error(self, error: InvalidMessage | HandlerError) -> None:
        handlers = self._core.handlers.take("error")
        if not handlers:
            logger.warning("dropped an invalid frame (%s): %s", error.kind, error.error)
        for handler in handlers:
            handler(error)

    def _emit_raw(self, frame: bytes) -> None:
        handlers = self._core.handlers.take("raw_data")
        if not handlers:
            logger.info("dropped a %d-byte binary frame (no raw_data handler)", len(frame))
        for handler in handlers:
            handler(frame)

    # --- reconnecting --------------------------------------------------------

    def _recover(self, failed: Any, code: int, reason: str) -> None:
        """Re-establish the connection after ``failed`` closed; raise when that is not possible."""
        core = self._core
        with self._lock:
            if self._ws is not failed:  # another thread already reconnected
                self._flush(self._ws)
                return
            if core.gave_up is not None:
                raise core.gave_up
            core.reconnecting = True
        try:
            self._reconnect(code, reason)
        finally:
            with self._lock:
                core.reconnecting = False

    def _reconnect(self, code: int, reason: str) -> None:
        core = self._core
        handler = core.options.on_reconnecting
        attempt = 0
        while True:
            attempt += 1
            event = core.attempt(attempt, code, reason)
            if event is None:
                with self._lock:
                    raise core.give_up(code, reason, attempt - 1, aborted=False)
            if core.apply(handler(event)):
                with self._lock:
                    raise core.give_up(code, reason, attempt - 1, aborted=True)
            time.sleep(event.delay)
            try:
                ws = open_socket(core)
            except WebSocketConnectError as exc:
                code, reason = 1006, str(exc.cause)
                continue
            try:
                with self._lock:
                    self._ws = ws
                    self._flush(ws)
            except self._closed_exc as exc:
                code, reason = close_info(exc)
                if not core.options.policy.should_reconnect(code):
                    with self._lock:
                        raise core.give_up(code, reason, attempt, aborted=False) from None
                continue
            return

    def _flush(self, ws: Any) -> None:
        """Send the queued frames in order; each leaves the queue once sent."""
        queue = self._core.queue
        while queue:
            ws.send(queue.peek())
            queue.pop()

    # --- closing -------------------------------------------------------------

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection; no reconnection follows."""
        self._core.closing = True
        self._ws.close(code, reason)

    def __enter__(self: C) -> C:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class ConnectionManager(Generic[C]):
    """What ``connect()`` returns: ``with`` it to get an open connection."""

    def __init__(
        self, factory: Callable[[ConnectionCore[Any], Any], C], core: ConnectionCore[Any]
    ) -> None:
        self._factory = factory
        self._core = core
        self._connection: C | None = None

    def enter(self) -> C:
        """Connect; the caller must ``connection.close()``."""
        self._connection = self._factory(self._core, open_socket(self._core))
        return self._connection

    def __enter__(self) -> C:
        return self.enter()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except ConnectionClosed:
                pass
