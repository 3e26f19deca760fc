"""Fake servers for the tests of code that uses a generated SDK.

Each generated SDK has a ``testing`` module (``chat_sdk.testing``) with a typed fake
of its server built on this engine: a real ``websockets`` server on 127.0.0.1 and a
free port, so the code under test runs its real connection path. The fake runs its
own event loop on its own thread, so the same fake serves asyncio and blocking
clients; :class:`FakeServer` is its asyncio API and :class:`SyncFakeServer` its
blocking twin (the same methods, without ``await``).

What the client sends is checked against the spec: :meth:`Peer.expect` returns the
next client event, typed, and fails the test (:class:`FakeError`, an
``AssertionError``) when the client sent something else, a frame that is not JSON,
JSON that is no client event of the channel, or nothing in time. In strict mode (the
default) the fake also fails the test when it stops if any client frame was invalid
that no ``expect()`` reported already: each bad frame is reported once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
import threading
import typing
from collections.abc import (
    AsyncIterator,
    Callable,
    Coroutine,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any, Generic, TypeVar, overload
from urllib.parse import parse_qsl, unquote, urlsplit

import typing_extensions
from pydantic import TypeAdapter, ValidationError

from . import _msgpack, _websockets
from ._core import encode_json
from ._parsing import BinaryEvents, _no_events
from ._requests import _UNSET, attribute
from ._url import _PARAM

__all__ = [
    "DEFAULT_TIMEOUT",
    "FakeChannel",
    "FakeChannelSpec",
    "FakeError",
    "FakeServer",
    "Peer",
    "SyncFakeChannel",
    "SyncFakeServer",
    "SyncPeer",
]

ClientE = TypeVar("ClientE")
"""What the client sends on a channel: its client events."""
ServerE = TypeVar("ServerE")
"""What the fake sends on a channel: its server events."""
T = TypeVar("T")

DEFAULT_TIMEOUT = 5.0
"""Seconds ``accept`` and ``expect`` wait before failing the test."""


class FakeError(AssertionError):
    """The client did not do what the test expected (pytest shows the message)."""


@dataclass(frozen=True)
class FakeChannelSpec:
    """A channel as a generated ``testing`` module describes it."""

    name: str
    path: str
    """The address template (``/rooms/{room_id}``) that routes connections to it."""
    client_events: Any
    """The channel's ``OutgoingMessage``: what its clients may send."""
    server_events: Any
    """The channel's ``IncomingMessage``: what its server sends."""
    server_examples: tuple[str, ...] = ()
    """The spec's examples of server events, as JSON text."""
    client_raw_text: bool = False
    """Clients send plain text frames, not JSON."""
    client_text_events: Any = None
    """Clients send ``text/plain`` events next to JSON ones: what a text frame that is not
    JSON is, as the bare text."""
    client_binary: BinaryEvents = "raw"
    """What the client's binary frames are: raw bytes, MessagePack events, or either."""
    server_msgpack: frozenset[type] = frozenset()
    """The server events the fake sends as MessagePack binary frames."""
    correlations: Mapping[type, tuple[str, Mapping[type, str]]] = field(default_factory=dict)
    """Request class -> (its id attribute, reply class -> the reply's; dotted when
    nested): a ``reply()`` callback's answer gets the request's id when it sets none."""


# --- the engine: runs on the fake's own loop ---------------------------------------------------


_CLOSED = object()


@dataclass(eq=False)
class _BadFrame:
    """A client frame that was no client event of its channel."""

    frame: str | bytes
    channels: str
    reported: bool = False
    """``expect()`` raised for it already: stopping does not raise for it again."""

    def __str__(self) -> str:
        return f"{self.channels}: {self.frame[:500]!r}"


@dataclass(eq=False)
class _Connection:
    ws: Any
    channels: list[_Channel]
    path_params: dict[str, dict[str, str]]
    """Per channel name: the address's parameters (channels sharing an address may name
    them differently)."""
    query: dict[str, str]
    inbox: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)
    taken: bool = False
    close_code: int | None = None
    bad: list[_BadFrame] = field(default_factory=list)


class _Channel:
    def __init__(self, spec: FakeChannelSpec) -> None:
        self.spec = spec
        self.route = _route(spec.path)
        self.client = _adapter(spec.client_events)
        self.server = _adapter(spec.server_events)
        self.client_text: TypeAdapter[Any] | None = (
            None if spec.client_text_events is None else TypeAdapter(spec.client_text_events)
        )
        self.waiting: asyncio.Queue[_Connection] | None = None
        self.replies: list[tuple[TypeAdapter[Any], Callable[[Any], Any]]] = []

    def parse(self, frame: str | bytes, adapter: TypeAdapter[Any] | None = None) -> Any:
        """The client event ``frame`` is (a ``ValidationError`` when none), as one of the
        channel's client events or as ``adapter``'s type."""
        adapter = adapter or self.client
        if adapter is None:
            return _no_events(frame)
        if isinstance(frame, bytes):
            return adapter.validate_python(_msgpack.unpack(frame), by_name=False)
        if self.spec.client_raw_text:
            return adapter.validate_python(frame)
        try:
            return adapter.validate_json(frame, by_name=False)
        except ValidationError as exc:
            text = self.client_text if adapter is self.client else None
            if text is None or exc.errors()[0]["type"] != "json_invalid":
                raise
            return text.validate_python(frame)

    def checks(self, frame: str | bytes) -> bool:
        """Whether ``frame`` must be a client event (binary frames are, on MessagePack
        channels; on others, and when they are no event of a mixed channel, raw data)."""
        return isinstance(frame, str) or self.spec.client_binary == "msgpack"

    def encode(self, event: object) -> str | bytes:
        """A server event as the frame the real server sends."""
        if isinstance(event, (str, bytes)):
            return event
        if type(event) in self.spec.server_msgpack:
            return _msgpack.pack(event)
        if isinstance(event, Mapping) and self.spec.server_msgpack and self.server is not None:
            try:  # a dict: sent as the event it is would be
                packed = type(self.server.validate_python(event)) in self.spec.server_msgpack
            except ValidationError:
                packed = False
            if packed:
                return _msgpack.pack(event)
        return encode_json(event)


def _adapter(events: Any) -> TypeAdapter[Any] | None:
    """A validator for a channel's events; None when it has none (``Never``)."""
    return None if events in _NEVER else TypeAdapter(events)


_NEVER = {typing_extensions.Never, getattr(typing, "Never", typing_extensions.Never)}


def _route(template: str) -> tuple[re.Pattern[str], list[str]]:
    """A regular expression for an address template, and its parameter names in order."""
    parts = _PARAM.split(template)  # literal text, then each parameter's name, alternately
    names = parts[1::2]
    pattern = "".join("([^/]+)" if i % 2 else re.escape(p) for i, p in enumerate(parts))
    return re.compile("^" + (pattern if pattern.startswith("/") else "/" + pattern) + "$"), names


class _Engine:
    def __init__(self, specs: Sequence[FakeChannelSpec], strict: bool) -> None:
        self.channels = {spec.name: _Channel(spec) for spec in specs}
        self.strict = strict
        self.invalid: list[_BadFrame] = []
        self.errors: list[str] = []
        """Exceptions from the test's reply callbacks."""
        self.refusals: list[HTTPStatus] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._server: Any = None
        self._thread = threading.Thread(target=self._run, name="sockgen-fake", daemon=True)
        self.port = 0

    # lifecycle (called from the test's thread)

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(10) or self._server is None:
            raise RuntimeError("the fake server did not start")

    def stop(self) -> None:
        async def shutdown() -> None:
            self._server.close()
            await self._server.wait_closed()

        try:
            if self._server is not None:
                asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(15)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            if not self._thread.is_alive():
                self._loop.close()

    def refuse(self, n: int, status: HTTPStatus) -> None:
        with self._lock:
            self.refusals.extend([status] * n)

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        serve = _websockets.asyncio_server().serve
        for channel in self.channels.values():
            channel.waiting = asyncio.Queue()

        async def start() -> None:
            self._server = await serve(
                self._handle,
                "127.0.0.1",
                0,
                process_request=self._process_request,
                select_subprotocol=lambda _conn, offered: offered[0] if offered else None,
                max_size=None,
                close_timeout=1,  # a client that does not answer the close holds up no test
            )
            self.port = self._server.sockets[0].getsockname()[1]

        try:
            self._loop.run_until_complete(start())
        finally:
            self._ready.set()
        self._loop.run_forever()

    # serving

    def _matches(self, path: str) -> tuple[list[_Channel], dict[str, dict[str, str]]]:
        found: list[_Channel] = []
        params: dict[str, dict[str, str]] = {}
        for channel in self.channels.values():
            pattern, names = channel.route
            match = pattern.match(path)
            if match:
                found.append(channel)
                params[channel.spec.name] = {
                    n: unquote(v) for n, v in zip(names, match.groups(), strict=False)
                }
        return found, params

    def _process_request(self, connection: Any, request: Any) -> Any:
        path = urlsplit(request.path).path
        if not self._matches(path)[0]:  # before a refusal: a wrong path does not use one up
            known = ", ".join(c.spec.path for c in self.channels.values())
            return connection.respond(HTTPStatus.NOT_FOUND, f"no channel at {path} ({known})\n")
        with self._lock:
            refused = self.refusals.pop(0) if self.refusals else None
        if refused is not None:
            return connection.respond(refused, "refused by the fake server\n")
        return None

    async def _handle(self, ws: Any) -> None:
        self.connections += 1
        url = urlsplit(ws.request.path)
        channels, params = self._matches(url.path)
        conn = _Connection(ws, channels, params, dict(parse_qsl(url.query)))
        for channel in channels:
            assert channel.waiting is not None
            channel.waiting.put_nowait(conn)
        closed = _websockets.exceptions().ConnectionClosed
        try:
            async for frame in ws:
                conn.inbox.put_nowait(frame)
                await self._check(conn, frame)
        except closed:
            pass
        except Exception as exc:  # a reply callback failed: the test's bug, reported at stop
            self.errors.append(f"{'/'.join(c.spec.name for c in channels)}: {exc!r}")
            await ws.close(1011, "the fake server's reply callback failed")
        finally:
            conn.close_code = ws.close_code
            conn.inbox.put_nowait(_CLOSED)

    async def _check(self, conn: _Connection, frame: str | bytes) -> None:
        """Strict mode's record of invalid frames, and the automatic replies."""
        if isinstance(frame, bytes) and all(c.spec.client_binary == "raw" for c in conn.channels):
            return
        valid = []
        for channel in conn.channels:
            try:
                channel.parse(frame)
                valid.append(channel)
            except ValidationError:
                pass
        if not valid and not any(c.checks(frame) for c in conn.channels):
            return  # raw data on a channel whose binary frames may be either
        if not valid:
            bad = _BadFrame(frame, "/".join(c.spec.name for c in conn.channels))
            self.invalid.append(bad)
            conn.bad.append(bad)
            return
        for channel in valid:
            for adapter, respond in channel.replies:
                try:
                    message = channel.parse(frame, adapter)
                except ValidationError:
                    continue
                answer = respond(message)
                for event in answer if isinstance(answer, (list, tuple)) else [answer]:
                    if event is not None:
                        event = _correlated(channel.spec, message, event)
                        await conn.ws.send(channel.encode(event))


def _correlated(spec: FakeChannelSpec, request: object, reply: object) -> object:
    """``reply`` with ``request``'s id, when the spec pairs them by one and the reply has
    none of its own."""
    pairing = spec.correlations.get(type(request))
    if pairing is None:
        return reply
    request_attr, reply_attrs = pairing
    attr = reply_attrs.get(type(reply))
    value = attribute(request, request_attr)
    if attr is None or value is _UNSET:
        return reply
    return _with_id(reply, attr.split("."), value)


def _with_id(model: Any, path: list[str], value: object) -> Any:
    """``model`` with ``value`` at the attribute ``path`` (dotted, through nested models),
    unless it has one there already or a model on the way is missing."""
    inner = getattr(model, path[0], None)
    if len(path) == 1:
        return model if inner is not None else model.model_copy(update={path[0]: value})
    if inner is None or not hasattr(inner, "model_copy"):
        return model
    return model.model_copy(update={path[0]: _with_id(inner, path[1:], value)})


def _describe(frame: object) -> str:
    text = repr(frame)
    return text if len(text) <= 500 else text[:500] + "..."


# --- one connection, as the test sees it -----------------------------------------------------------


class _PeerState:
    """A client connection accepted on a channel; the methods run on the fake's loop."""

    def __init__(self, conn: _Connection, channel: _Channel) -> None:
        self.conn = conn
        self.channel = channel
        self.received: list[Any] = []

    async def expect(self, model: Any, timeout: float) -> Any:
        name = self.channel.spec.name
        wanted = f" (expected {getattr(model, '__name__', model)})" if model is not None else ""
        try:
            frame = await asyncio.wait_for(self.conn.inbox.get(), timeout)
        except asyncio.TimeoutError:
            raise FakeError(f"{name}: the client sent nothing in {timeout} s{wanted}") from None
        if frame is _CLOSED:
            self.conn.inbox.put_nowait(_CLOSED)
            code = self.conn.close_code
            raise FakeError(f"{name}: the client closed the connection (code {code}){wanted}")
        if isinstance(frame, bytes) and model is bytes:
            return frame
        if isinstance(frame, bytes) and self.channel.spec.client_binary == "raw":
            raise FakeError(f"{name}: the client sent a binary frame {_describe(frame)}{wanted}")
        try:
            event = self.channel.parse(frame)
        except ValidationError as exc:
            for bad in self.conn.bad:  # reported here, so not again when the fake stops
                bad.reported = bad.reported or bad.frame is frame
            raise FakeError(
                f"{name}: the client sent {_describe(frame)}, which is no client event of this "
                f"channel{wanted}:\n{exc}"
            ) from None
        if model is not None and not isinstance(event, model):
            try:  # a union told apart by shape may have picked a sibling that also fits
                event = self.channel.parse(frame, TypeAdapter(model))
            except ValidationError as exc:
                raise FakeError(
                    f"{name}: expected {model.__name__}, the client sent "
                    f"{type(event).__name__}: {_describe(frame)}\n{exc}"
                ) from None
        self.received.append(event)
        return event

    async def send(self, event: object) -> None:
        await self.conn.ws.send(self.channel.encode(event))

    async def send_examples(self) -> int:
        sent = 0
        for example in self.channel.spec.server_examples:
            try:
                if self.channel.server is None:
                    break
                event = self.channel.server.validate_json(example, by_name=False)
            except ValidationError:
                continue  # an example its own spec contradicts
            msgpack = type(event) in self.channel.spec.server_msgpack
            await self.conn.ws.send(self.channel.encode(event) if msgpack else example)
            sent += 1
        return sent

    async def close(self, code: int, reason: str) -> None:
        ws = self.conn.ws
        if code == 1006:  # abnormal closure: no close frame at all
            ws.transport.abort()
        elif code == 1005:  # a close frame without a status code
            ws.transport.write(b"\x88\x00")
            await asyncio.sleep(0.05)
            ws.transport.abort()
        else:
            await ws.close(code, reason)

    async def drop(self) -> None:
        self.conn.ws.transport.abort()


class _PeerInfo:
    """What the handshake said (the same for both APIs)."""

    def __init__(self, state: _PeerState) -> None:
        self._state = state
        ws = state.conn.ws
        self.path_params: dict[str, str] = dict(state.conn.path_params[state.channel.spec.name])
        """The address's parameters, decoded (``{"room_id": "r 1"}``)."""
        self.query: dict[str, str] = dict(state.conn.query)
        self.headers: Mapping[str, str] = ws.request.headers
        """The handshake's headers (names are case-insensitive)."""
        self.subprotocol: str | None = ws.subprotocol
        self.path: str = ws.request.path

    @property
    def received(self) -> list[Any]:
        """Every client event ``expect`` returned so far, in order."""
        return list(self._state.received)


class Peer(_PeerInfo, Generic[ClientE, ServerE]):
    """A client connected to a fake channel (asyncio API)."""

    def __init__(self, state: _PeerState, engine: _Engine) -> None:
        super().__init__(state)
        self._engine = engine

    async def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return await asyncio.wrap_future(self._engine.submit(coro))

    @overload
    async def expect(self, model: type[T], *, timeout: float = DEFAULT_TIMEOUT) -> T: ...
    @overload
    async def expect(self, model: None = None, *, timeout: float = DEFAULT_TIMEOUT) -> ClientE: ...
    async def expect(self, model: Any = None, *, timeout: float = DEFAULT_TIMEOUT) -> Any:
        """The next client event (of type ``model`` when given); fails the test otherwise."""
        return await self._run(self._state.expect(model, timeout))

    async def send(self, event: ServerE | Mapping[str, Any]) -> None:
        """Send a server event (a model, or its dict with wire names)."""
        await self._run(self._state.send(event))

    async def send_raw(self, data: str | bytes) -> None:
        """Send a frame as it is (to test how the client takes bad frames)."""
        await self._run(self._state.send(data))

    async def send_examples(self) -> int:
        """Send every example of a server event the spec gives (the valid ones); how many."""
        return await self._run(self._state.send_examples())

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close with any code (1005: a close frame without one; 1006: no close frame)."""
        await self._run(self._state.close(code, reason))

    async def drop(self) -> None:
        """End the TCP connection abruptly (the client sees 1006)."""
        await self._run(self._state.drop())


class SyncPeer(_PeerInfo, Generic[ClientE, ServerE]):
    """A client connected to a fake channel (blocking API: :class:`Peer` without ``await``)."""

    def __init__(self, state: _PeerState, engine: _Engine) -> None:
        super().__init__(state)
        self._engine = engine

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float = DEFAULT_TIMEOUT) -> T:
        return _wait(self._engine.submit(coro), timeout)

    @overload
    def expect(self, model: type[T], *, timeout: float = DEFAULT_TIMEOUT) -> T: ...
    @overload
    def expect(self, model: None = None, *, timeout: float = DEFAULT_TIMEOUT) -> ClientE: ...
    def expect(self, model: Any = None, *, timeout: float = DEFAULT_TIMEOUT) -> Any:
        """The next client event (of type ``model`` when given); fails the test otherwise."""
        return self._run(self._state.expect(model, timeout), timeout)

    def send(self, event: ServerE | Mapping[str, Any]) -> None:
        """Send a server event (a model, or its dict with wire names)."""
        self._run(self._state.send(event))

    def send_raw(self, data: str | bytes) -> None:
        """Send a frame as it is (to test how the client takes bad frames)."""
        self._run(self._state.send(data))

    def send_examples(self) -> int:
        """Send every example of a server event the spec gives (the valid ones); how many."""
        return self._run(self._state.send_examples())

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Close with any code (1005: a close frame without one; 1006: no close frame)."""
        self._run(self._state.close(code, reason))

    def drop(self) -> None:
        """End the TCP connection abruptly (the client sees 1006)."""
        self._run(self._state.drop())


# --- channels and servers --------------------------------------------------------------------------


async def _accept(engine: _Engine, channel: _Channel, timeout: float) -> _PeerState:
    assert channel.waiting is not None
    while True:
        try:
            conn = await asyncio.wait_for(channel.waiting.get(), timeout)
        except asyncio.TimeoutError:
            raise FakeError(
                f"{channel.spec.name}: no client connected to {channel.spec.path} in {timeout} s"
            ) from None
        if not conn.taken:  # channels that share an address are offered the same connection
            conn.taken = True
            return _PeerState(conn, channel)


class _ChannelBase:
    def __init__(self, engine: _Engine, name: str) -> None:
        self._engine = engine
        self._channel = engine.channels[name]

    @property
    def path(self) -> str:
        """The channel's address template."""
        return self._channel.spec.path

    def reply(self, model: type[T], respond: Callable[[T], object]) -> None:
        """Answer every client event of type ``model`` with what ``respond`` returns for it
        (a server event, a list of them, or None), on every connection of this channel."""
        adapter: TypeAdapter[Any] = TypeAdapter(model)
        self._engine.submit(_append(self._channel.replies, (adapter, respond))).result(10)


async def _append(items: list[Any], item: Any) -> None:
    items.append(item)


def _wait(future: concurrent.futures.Future[T], timeout: float) -> T:
    """The result of work on the fake's loop; the work is cancelled if it outlives ``timeout``
    (so that a stale ``expect`` cannot take a later frame)."""
    try:
        return future.result(timeout + 5)
    except concurrent.futures.TimeoutError:
        future.cancel()
        raise


class FakeChannel(_ChannelBase, Generic[ClientE, ServerE]):
    """One channel of a fake server (asyncio API)."""

    async def accept(self, *, timeout: float = DEFAULT_TIMEOUT) -> Peer[ClientE, ServerE]:
        """The next client that connects to this channel (fails the test after ``timeout``)."""
        future = self._engine.submit(_accept(self._engine, self._channel, timeout))
        return Peer(await asyncio.wrap_future(future), self._engine)


class SyncFakeChannel(_ChannelBase, Generic[ClientE, ServerE]):
    """One channel of a fake server (blocking API)."""

    def accept(self, *, timeout: float = DEFAULT_TIMEOUT) -> SyncPeer[ClientE, ServerE]:
        """The next client that connects to this channel (fails the test after ``timeout``)."""
        state = _wait(self._engine.submit(_accept(self._engine, self._channel, timeout)), timeout)
        return SyncPeer(state, self._engine)


class _ServerBase:
    def __init__(self, channels: Iterable[FakeChannelSpec] = (), *, strict: bool = True) -> None:
        self._engine = _Engine(list(channels), strict)
        self._started = False

    @property
    def url(self) -> str:
        """The base URL to give the SDK's client (``ws://127.0.0.1:<port>``)."""
        if not self._started:
            raise RuntimeError("the fake server is not running: enter it (with / async with)")
        return f"ws://127.0.0.1:{self._engine.port}"

    @property
    def connections(self) -> int:
        """How many clients connected so far (refused handshakes not counted)."""
        return self._engine.connections

    @property
    def invalid_frames(self) -> list[str]:
        """Client frames that were no client event of their channel."""
        return [str(bad) for bad in self._engine.invalid]

    def refuse(self, n: int = 1, status: int = HTTPStatus.SERVICE_UNAVAILABLE) -> None:
        """Refuse the next ``n`` handshakes with HTTP ``status``."""
        self._engine.refuse(n, HTTPStatus(status))

    def start(self) -> None:
        self._engine.start()
        self._started = True

    def stop(self, *, check: bool = True) -> None:
        """Stop serving; in strict mode, fail if a client sent an invalid frame."""
        if self._started:
            self._started = False
            self._engine.stop()
        if check and self._engine.errors:
            errors = "\n  ".join(self._engine.errors)
            raise FakeError(f"a reply callback failed:\n  {errors}")
        unreported = [str(bad) for bad in self._engine.invalid if not bad.reported]
        if check and self._engine.strict and unreported:
            frames = "\n  ".join(unreported)
            raise FakeError(f"clients sent frames that are no client event:\n  {frames}")


class FakeServer(_ServerBase):
    """A fake server (asyncio API): ``async with`` it; generated fakes add one attribute per
    channel (``server.room.accept()``)."""

    def channel(self, name: str) -> FakeChannel[Any, Any]:
        return FakeChannel(self._engine, name)

    @classmethod
    async def fixture(cls: type[_S]) -> AsyncIterator[_S]:
        """A running fake for one test: ``server = pytest_asyncio.fixture(FakeChat.fixture)``
        in a conftest gives tests a ``server`` argument (stopped, and checked, after)."""
        async with cls() as server:
            yield server

    async def __aenter__(self: _S) -> _S:
        self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # on a thread: this loop's clients must still answer the server's close meanwhile
        await asyncio.to_thread(self.stop, check=exc is None)


class SyncFakeServer(_ServerBase):
    """A fake server (blocking API): ``with`` it; the twin of :class:`FakeServer`."""

    def channel(self, name: str) -> SyncFakeChannel[Any, Any]:
        return SyncFakeChannel(self._engine, name)

    @classmethod
    def fixture(cls: type[_T]) -> Iterator[_T]:
        """A running fake for one test: ``server = pytest.fixture(SyncFakeChat.fixture)``."""
        with cls() as server:
            yield server

    def __enter__(self: _T) -> _T:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop(check=exc is None)


_S = TypeVar("_S", bound=FakeServer)
_T = TypeVar("_T", bound=SyncFakeServer)
