"""The asyncio transport: ``websockets.asyncio.client`` carrying out :class:`ConnectionCore`'s plans."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable
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
from ._requests import DEFAULT_REQUEST_TIMEOUT, Pending, R, ReplyTo, RequestTimeout
from ._websockets import close_info
from .errors import ConnectionEnded, ConnectionEndedOK, WebSocketConnectError

__all__ = ["AsyncConnection", "AsyncConnectionManager"]

ClientT = TypeVar("ClientT")
ServerT = TypeVar("ServerT")
C = TypeVar("C", bound="AsyncConnection[Any, Any]")


async def _maybe_await(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value


async def open_socket(open_: Open) -> Any:
    """One handshake, with the library ``open_.transport`` names."""
    client = _websockets.asyncio_client(open_.transport)
    failed = _websockets.handshake_failures(open_.transport)
    try:
        if open_.transport == "picows":
            return await _open_picows(client, open_)
        return await client.connect(open_.url, **open_.options)
    except failed as exc:
        raise WebSocketConnectError(open_.shown_url or open_.url, exc) from exc


async def _open_picows(client: Any, open_: Open) -> Any:
    """picows.websockets' handshake, made to fail as websockets' does: ``open_timeout``
    bounds the whole of it (picows times only the wait for the HTTP response), and a
    server that drops the TCP connection mid-handshake is a failed attempt (picows
    asserts)."""
    from picows import WSError

    timeout = open_.options.get("open_timeout", 10)
    try:
        socket = await asyncio.wait_for(client.connect(open_.url, **open_.options), timeout)
    except (AssertionError, WSError) as exc:
        raise ConnectionError(f"the handshake failed: {exc or type(exc).__name__}") from exc
    if socket is None:
        raise ConnectionError("the handshake failed: no connection")
    return socket


class AsyncConnection(ConnectionBase[ServerT], Generic[ClientT, ServerT]):
    """An open connection (async). Iterate it, or register handlers and ``dispatch_events``."""

    def __init__(self, core: ConnectionCore[ServerT], socket: Any) -> None:
        super().__init__(core, socket)
        self._recovering = asyncio.Lock()
        self._buffered_of: Any = None
        self._buffered: _websockets.Buffered | None = None
        """The frames ``self._buffered_of`` (the current socket, once read) holds for recv()."""

    # --- sending -------------------------------------------------------------

    async def send(self, message: ClientT, *, replay_on_reconnect: bool = False) -> None:
        """Send a client event: a model (aliases, JSON mode, no unset fields) or a dict.

        ``replay_on_reconnect``: send it again, first and in order with the others so
        sent, on every new connection after a reconnect (subscriptions, session setup).
        """
        await self.send_raw(self._core.encode(message), replay_on_reconnect=replay_on_reconnect)

    async def send_raw(self, data: str | bytes, *, replay_on_reconnect: bool = False) -> None:
        """Send a frame as it is: ``str`` as a text frame, ``bytes`` as a binary frame."""
        if self._core.outgoing(data, replay=replay_on_reconnect) == "held":
            return
        ws = self._ws
        try:
            await ws.send(data)
        except self._closed_exc as exc:
            # a replayed frame goes out with the replay; any other is queued
            await self._lost(ws, exc, None if replay_on_reconnect else data)

    # --- receiving -----------------------------------------------------------

    async def recv_frame(self) -> str | bytes:
        """The next frame as it came (text as ``str``, binary as ``bytes``), reconnecting as configured."""
        while True:
            ws = self._ws
            try:
                return await ws.recv()  # type: ignore[no-any-return]
            except self._closed_exc as exc:
                await self._lost(ws, exc)

    async def recv_bytes(self) -> bytes:
        """The next frame's payload as bytes, unparsed."""
        frame = await self.recv_frame()
        return frame.encode() if isinstance(frame, str) else frame

    async def recv(self) -> ServerT:
        """The next server event. Invalid frames go to ``on("error")``, binary ones to ``on("raw_data")``.

        Raises :class:`ConnectionEndedOK` after a normal close.
        """
        try:
            return await self.__anext__()
        except StopAsyncIteration:
            raise self._last_close from None

    def __aiter__(self) -> AsyncIterator[ServerT]:
        """Events until the connection closes normally; an abnormal close raises."""
        return self

    async def __anext__(self) -> ServerT:
        # The receive loop, and the hot path: the core says what each frame becomes. A
        # websockets socket's buffered frames are taken without recv() (its coroutines and
        # UTF-8 decoding are most of a small frame's cost); recv() waits for the others.
        if self._backlog and not self._pumping:
            return self._backlog.popleft()  # type: ignore[no-any-return]
        receive, receive_utf8 = self._receive, self._core.receive_utf8
        waiting = self._core.requests.waiting
        not_utf8 = False
        while True:
            ws = self._ws
            if ws is not self._buffered_of:
                self._buffered_of, self._buffered = ws, _websockets.buffered(ws)
            buffered = self._buffered
            frame = None if buffered is None or not_utf8 else buffered.take()
            if frame is None:  # wait for the socket (inline: a coroutine less per event)
                not_utf8 = False
                self._receiving = True
                try:
                    data = await ws.recv()
                except self._closed_exc as exc:
                    try:
                        await self._lost(ws, exc)
                    except ConnectionEndedOK as ok:
                        self._last_close = ok
                        raise StopAsyncIteration from None
                    if self._pumping:  # reconnected: the waiting request looks at its state
                        return ANSWERED  # type: ignore[no-any-return]
                    continue
                finally:
                    self._receiving = False
            try:
                if frame is None:
                    event = receive(data)
                elif frame.opcode is buffered.text:  # type: ignore[union-attr]
                    event = receive_utf8(frame.data)
                else:  # (bytes() of a bytes object is that object: no copy)
                    event = receive(bytes(frame.data))
            except NotAnEvent as other:  # an invalid or a binary frame
                handle = other.handle
            except UnicodeDecodeError:  # recv() makes websockets fail the connection
                buffered.put_back(frame)  # type: ignore[union-attr]
                not_utf8 = True
                continue
            else:
                if not waiting or self._core.requests.answer(event):
                    return event  # type: ignore[no-any-return]
                if self._pumping:  # a reply its request keeps: the request has it
                    return ANSWERED  # type: ignore[no-any-return]
                continue
            if handle is not None:  # run outside the except: a handler's error is its own
                await self._run(handle)

    # --- requests ------------------------------------------------------------

    async def request(
        self,
        message: ClientT,
        reply_to: ReplyTo[R],
        request_id: object = None,
        *,
        timeout: float | None = DEFAULT_REQUEST_TIMEOUT,
        deliver_reply: bool = True,
        replay_on_reconnect: bool = False,
    ) -> R:
        """Send ``message`` and return its reply: the next event of ``reply_to``'s classes
        whose id attribute equals ``request_id`` (any, when the spec pairs them in order).

        Raises :class:`RequestTimeout` after ``timeout`` seconds, and the connection's
        error when its socket closes first: a reconnection does not resend it, unless
        ``replay_on_reconnect`` (then every new socket gets it again, as ``send``'s
        replay does, and the request waits on for its reply). The reply
        still reaches iteration and ``on()`` handlers unless ``deliver_reply=False``.
        Events that arrive meanwhile wait for the next iteration, in order.
        """
        requests = self._core.requests
        pending = requests.add(reply_to, request_id, deliver_reply, message, replay_on_reconnect)
        loop = asyncio.get_running_loop()
        woken: asyncio.Future[None] = loop.create_future()
        pending.on_settled = lambda: loop.call_soon_threadsafe(_wake, woken)
        try:
            await self.send(message, replay_on_reconnect=replay_on_reconnect)
            await asyncio.wait_for(self._reply(pending, woken), timeout)
        except asyncio.TimeoutError:
            raise RequestTimeout(f"no reply to {type(message).__name__} in {timeout} s") from None
        finally:
            requests.discard(pending)
        return pending.result()  # type: ignore[no-any-return]

    async def _reply(self, pending: Pending, woken: asyncio.Future[None]) -> None:
        """Read frames until ``pending`` is answered, unless another task reads them."""
        while not pending.done.is_set():
            if self._receiving:  # another task reads: it answers (polled: it may stop)
                await asyncio.wait([woken], timeout=0.05)
                continue
            self._pumping = True
            try:
                event = await self.__anext__()
            except StopAsyncIteration:
                raise self._last_close from None
            finally:
                self._pumping = False
            if event is not ANSWERED:
                self._backlog.append(event)

    # --- push-style handlers: on/once/off come from HandlerMethods -----------

    async def dispatch_events(self) -> None:
        """Receive until the connection closes, calling each event's handlers in order.

        An exception in a handler goes to ``on("error")`` handlers when there are
        any; otherwise it propagates and ends this call.
        """
        core = self._core
        handlers_for = core.handlers_for
        isawaitable = inspect.isawaitable
        async for event in self:
            for handler in handlers_for(event.__class__):
                try:
                    result = handler(event)
                    if result is not None and isawaitable(result):
                        await result
                except Exception as exc:
                    await self._run(core.handler_failed(event, exc))

    async def _run(self, handle: Handle) -> None:
        """Call the handlers the core named, awaiting coroutine ones."""
        for handler in handle.handlers:
            await _maybe_await(handler(handle.payload))

    # --- carrying out the core's plans -----------------------------------------

    async def _lost(
        self, failed: Any, exc: BaseException, unsent: str | bytes | None = None
    ) -> None:
        """The socket ``failed`` closed: recover as the core plans, or raise its error.
        Waiting requests fail, but those to replay when it reconnects."""
        code, reason = close_info(exc)
        self._core.lost(code, reason)
        async with self._recovering:  # one recovery at a time; later ones find it done
            plan = self._core.recover(code, reason, replaced=self._ws is not failed, unsent=unsent)
            told = await self._carry_out(plan)
        hook = self._core.options.on_reconnected
        if told is not None and hook is not None:  # outside the lock: the hook may send
            await _maybe_await(hook(told.event))

    async def _carry_out(self, plan: Plan) -> Tell | None:
        """Do what the plan says, answering each action; the ``Tell`` is left to the caller."""
        answer: Answer = None
        told: Tell | None = None
        try:
            while True:
                try:
                    action = plan.send(answer)
                except StopIteration:
                    return told
                if isinstance(action, Tell):
                    told, answer = action, None
                else:
                    answer = await self._do(action)
        finally:
            plan.close()

    async def _do(self, action: Ask | Wait | Open | Send) -> Answer:
        if isinstance(action, Send):
            try:
                await self._ws.send(action.frame)
            except self._closed_exc as exc:
                return Closed(*close_info(exc))
        elif isinstance(action, Wait):
            await asyncio.sleep(action.seconds)
        elif isinstance(action, Open):
            try:
                self._ws = await open_socket(action)
            except WebSocketConnectError as exc:
                return OpenFailed(exc.cause)
        elif isinstance(action, Ask):
            return await _maybe_await(self._core.options.on_reconnecting(action.event))  # type: ignore[no-any-return]
        return None

    # --- closing -------------------------------------------------------------

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection; no reconnection follows."""
        self._core.closing = True
        await self._ws.close(code, reason)

    async def __aenter__(self: C) -> C:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class AsyncConnectionManager(Generic[C]):
    """What ``connect()`` returns: ``async with`` it to get an open connection."""

    def __init__(
        self, factory: Callable[[ConnectionCore[Any], Any], C], core: ConnectionCore[Any]
    ) -> None:
        self._factory = factory
        self._core = core
        self._connection: C | None = None

    async def enter(self) -> C:
        """Connect; the caller must ``await connection.close()``."""
        socket = await open_socket(self._core.open())
        self._connection = self._factory(self._core, socket)
        return self._connection

    async def __aenter__(self) -> C:
        return await self.enter()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            try:
                await self._connection.close()
            except ConnectionEnded:
                pass


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
