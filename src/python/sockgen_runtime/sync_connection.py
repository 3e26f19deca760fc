"""The blocking transport: ``websockets.sync.client`` carrying out :class:`ConnectionCore`'s plans.

The twin of ``async_connection``: the same structure, blocking calls instead of
awaits; every decision is the core's. Sends from other threads are safe: the
core's state changes under a lock, which is never held while waiting on I/O.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

from . import _websockets
from ._connection_base import ANSWERED, ConnectionBase
from ._core import (
    Answer,
    Ask,
    Closed,
    ConnectionCore,
    Handle,
    NotAnEvent,
    Open,
    OpenFailed,
    Plan,
    Send,
    Tell,
    Wait,
)
from ._requests import DEFAULT_REQUEST_TIMEOUT, R, ReplyTo, RequestTimeout
from ._websockets import close_info
from .errors import ConnectionEnded, ConnectionEndedOK, WebSocketConnectError

__all__ = ["Connection", "ConnectionManager"]

ClientT = TypeVar("ClientT")
ServerT = TypeVar("ServerT")
C = TypeVar("C", bound="Connection[Any, Any]")


def open_socket(open_: Open) -> Any:
    """One handshake."""
    client = _websockets.sync_client()
    try:
        ws = client.connect(open_.url, **open_.options)
    except _websockets.handshake_failures() as exc:
        raise WebSocketConnectError(open_.shown_url or open_.url, exc) from exc
    # Entered as a context manager (websockets 17.1 warns otherwise); the connection
    # closes it, as ``__exit__`` would.
    return ws.__enter__()


class Connection(ConnectionBase[ServerT], Generic[ClientT, ServerT]):
    """An open connection (blocking). Iterate it, or register handlers and ``dispatch_events``."""

    def __init__(self, core: ConnectionCore[ServerT], socket: Any) -> None:
        super().__init__(core, socket)
        self._state = threading.Lock()
        """Held while the core decides (never during I/O), so other threads' sends see it whole."""
        self._recovering = threading.Lock()
        """Held for a whole recovery; a thread that finds it held waits, then finds it done."""

    # --- sending -------------------------------------------------------------

    def send(self, message: ClientT, *, replay_on_reconnect: bool = False) -> None:
        """Send a client event: a model (aliases, JSON mode, no unset fields) or a dict.

        ``replay_on_reconnect``: send it again, first and in order with the others so
        sent, on every new connection after a reconnect (subscriptions, session setup).
        """
        self.send_raw(self._core.encode(message), replay_on_reconnect=replay_on_reconnect)

    def send_raw(self, data: str | bytes, *, replay_on_reconnect: bool = False) -> None:
        """Send a frame as it is: ``str`` as a text frame, ``bytes`` as a binary frame."""
        with self._state:
            if self._core.outgoing(data, replay=replay_on_reconnect) == "held":
                return
            ws = self._ws
        try:
            ws.send(data)
        except self._closed_exc as exc:
            # a replayed frame goes out with the replay; any other is queued
            self._lost(ws, exc, None if replay_on_reconnect else data)

    # --- receiving -----------------------------------------------------------

    def recv_frame(self, timeout: float | None = None) -> str | bytes:
        """The next frame as it came (text as ``str``, binary as ``bytes``), reconnecting as configured."""
        while True:
            ws = self._ws
            try:
                return ws.recv(timeout)  # type: ignore[no-any-return]
            except self._closed_exc as exc:
                self._lost(ws, exc)

    def recv_bytes(self, timeout: float | None = None) -> bytes:
        """The next frame's payload as bytes, unparsed."""
        frame = self.recv_frame(timeout)
        return frame.encode() if isinstance(frame, str) else frame

    def recv(self, timeout: float | None = None) -> ServerT:
        """The next server event. Invalid frames go to ``on("error")``, binary ones to ``on("raw_data")``.

        Raises :class:`ConnectionEndedOK` after a normal close, and ``TimeoutError`` when
        ``timeout`` seconds pass without a frame.
        """
        event = self._next(timeout)
        if event is _ENDED:
            raise self._last_close
        return event  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[ServerT]:
        """Events until the connection closes normally; an abnormal close raises."""
        return self

    def __next__(self) -> ServerT:
        event = self._next(None)
        if event is _ENDED:
            raise StopIteration
        return event  # type: ignore[no-any-return]

    def _next(self, timeout: float | None) -> Any:
        # The receive loop, and the hot path: the socket's own recv(); the core says what
        # each frame becomes.
        if self._backlog and not self._pumping:
            return self._backlog.popleft()
        receive = self._receive
        waiting = self._core.requests.waiting
        while True:
            ws = self._ws
            self._receiving = True
            try:
                frame = ws.recv(timeout)
            except self._closed_exc as exc:
                try:
                    self._lost(ws, exc)
                except ConnectionEndedOK as ok:
                    self._last_close = ok
                    return _ENDED
                if self._pumping:  # reconnected: the waiting request looks at its state
                    return ANSWERED
                continue
            finally:
                self._receiving = False
            try:
                event = receive(frame)
            except NotAnEvent as other:  # an invalid or a binary frame
                handle = other.handle
            else:
                if not waiting or self._core.requests.answer(event):
                    return event
                if self._pumping:  # a reply its request keeps: the request has it
                    return ANSWERED
                continue
            if handle is not None:  # run outside the except: a handler's error is its own
                self._run(handle)

    # --- requests ------------------------------------------------------------

    def request(
        self,
        message: ClientT,
        reply_to: ReplyTo[R],
        request_id: object = None,
        *,
        timeout: float | None = DEFAULT_REQUEST_TIMEOUT,
        deliver_reply: bool = True,
        replay_on_reconnect: bool = False,
    ) -> R:
        """Send ``message`` and return its reply (the blocking twin of the asyncio
        connection's ``request``: the same matching, timeout and errors)."""
        requests = self._core.requests
        pending = requests.add(reply_to, request_id, deliver_reply, message, replay_on_reconnect)
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            self.send(message, replay_on_reconnect=replay_on_reconnect)
            while not pending.done.is_set():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise RequestTimeout(f"no reply to {type(message).__name__} in {timeout} s")
                if self._receiving:  # another thread reads: it answers (polled: it may stop)
                    pending.done.wait(0.05 if left is None else min(left, 0.05))
                    continue
                self._pump(left, message)
        finally:
            requests.discard(pending)
        return pending.result()  # type: ignore[no-any-return]

    def _pump(self, left: float | None, message: object) -> None:
        """Read one event for the others while a request waits."""
        self._pumping = True
        try:
            event = self._next(left)
        except TimeoutError:
            raise RequestTimeout(f"no reply to {type(message).__name__} in time") from None
        finally:
            self._pumping = False
        if event is _ENDED:
            raise self._last_close
        if event is not ANSWERED:
            self._backlog.append(event)

    def dispatch_events(self) -> None:
        """Receive until the connection closes, calling each event's handlers in order.

        An exception in a handler goes to ``on("error")`` handlers when there are
        any; otherwise it propagates and ends this call.
        """
        core = self._core
        handlers_for = core.handlers_for
        for event in self:
            for handler in handlers_for(event.__class__):
                try:
                    handler(event)
                except Exception as exc:
                    self._run(core.handler_failed(event, exc))

    def _run(self, handle: Handle) -> None:
        """Call the handlers the core named."""
        for handler in handle.handlers:
            handler(handle.payload)

    # --- carrying out the core's plans -----------------------------------------

    def _lost(self, failed: Any, exc: BaseException, unsent: str | bytes | None = None) -> None:
        """The socket ``failed`` closed: recover as the core plans, or raise its error.
        Waiting requests fail, but those to replay when it reconnects."""
        code, reason = close_info(exc)
        self._core.lost(code, reason)
        with self._recovering:  # one recovery at a time; later ones find it done
            with self._state:
                plan = self._core.recover(
                    code, reason, replaced=self._ws is not failed, unsent=unsent
                )
            told = self._carry_out(plan)
        hook = self._core.options.on_reconnected
        if told is not None and hook is not None:  # outside the lock: the hook may send
            hook(told.event)

    def _carry_out(self, plan: Plan) -> Tell | None:
        """Do what the plan says, answering each action; the ``Tell`` is left to the caller."""
        answer: Answer = None
        told: Tell | None = None
        try:
            while True:
                with self._state:
                    try:
                        action = plan.send(answer)
                    except StopIteration:
                        return told
                if isinstance(action, Tell):
                    told, answer = action, None
                else:
                    answer = self._do(action)
        finally:
            with self._state:
                plan.close()

    def _do(self, action: Ask | Wait | Open | Send) -> Answer:
        if isinstance(action, Send):
            try:
                self._ws.send(action.frame)
            except self._closed_exc as exc:
                return Closed(*close_info(exc))
        elif isinstance(action, Wait):
            time.sleep(action.seconds)
        elif isinstance(action, Open):
            try:
                self._ws = open_socket(action)
            except WebSocketConnectError as exc:
                return OpenFailed(exc.cause)
        elif isinstance(action, Ask):
            return self._core.options.on_reconnecting(action.event)  # type: ignore[no-any-return]
        return None

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


_ENDED = object()
"""What the receive loop returns when the connection closed normally."""


class ConnectionManager(Generic[C]):
    """What ``connect()`` returns: ``with`` it to get an open connection."""

    def __init__(
        self, factory: Callable[[ConnectionCore[Any], Any], C], core: ConnectionCore[Any]
    ) -> None:
        if core.options.transport != "websockets":
            raise ValueError(
                f"transport={core.options.transport!r} is for the asyncio client only "
                "(it has no blocking client); the blocking client runs on websockets"
            )
        self._factory = factory
        self._core = core
        self._connection: C | None = None

    def enter(self) -> C:
        """Connect; the caller must ``connection.close()``."""
        self._connection = self._factory(self._core, open_socket(self._core.open()))
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
            except ConnectionEnded:
                pass
