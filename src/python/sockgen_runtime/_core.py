"""The sans-I/O core of a connection: every decision, made once, for every transport.

The transports (``sync_connection``, ``async_connection`` on websockets or
picows) are thin shells, in the way of ``websockets``' own ``Protocol``: they
do the socket calls and the waiting, and the core says what to do.

- **Receiving.** Every frame goes to :attr:`ConnectionCore.receive`, which
  returns the server event to deliver (an :class:`UnknownEvent` too, with
  ``unknown_events="deliver"``), or raises :class:`NotAnEvent` for any other
  frame, with the handlers to run (an invalid frame's error for
  ``on("error")``, a binary frame for ``on("raw_data")``) or none (it was
  logged, at most one line per frame, rate-limited). For
  ``dispatch_events``, :meth:`~ConnectionCore.handlers_for` names an event's
  handlers and :meth:`~ConnectionCore.handler_failed` what a handler's
  exception becomes. ``tests/runtime/test_receive.py`` drives these alone.
- **Reconnecting.** A socket that closed goes to :meth:`ConnectionCore.recover`,
  which raises the close as this runtime's error or returns a :data:`Plan`: a
  generator of actions (:class:`Ask` the reconnect hook, :class:`Wait`,
  :class:`Open` a socket, :class:`Send` a frame, :class:`Tell` the reconnected
  hook) that the shell carries out one by one, sending back each result
  (:class:`OpenFailed`, :class:`Closed`, the hook's return value, or None).
  The loop of attempts, backoff, handshakes, replay, flush and giving up is
  written here only, and tested with no socket and no sleep
  (``tests/runtime/test_core.py``).
"""

from __future__ import annotations

import json
import logging
import ssl
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypedDict, TypeVar, Union

from pydantic import BaseModel, ValidationError

from . import _msgpack
from ._auth import RedactedLogger, redact_url
from ._dispatch import Handler, HandlerRegistry
from ._parsing import ChannelSpec, HandlerError, InvalidMessage, UnknownEvent, classify
from ._requests import Requests
from ._send_queue import DEFAULT_MAX_QUEUE_SIZE, SendQueue
from ._url import build_url, merge_headers
from .errors import ConnectionEnded, ConnectionEndedOK, ConnectionLost, ReconnectGaveUpError
from .models import to_wire_json
from .reconnect import ReconnectedEvent, ReconnectingEvent, ReconnectOverrides, ReconnectPolicy

logger = logging.getLogger("sockgen_runtime")

ServerT = TypeVar("ServerT")

Transport = Literal["websockets", "picows"]
"""The WebSocket library an asyncio connection runs on: ``websockets``, or ``picows``
(Cython; its websockets-compatible client, ``picows.websockets``; the ``picows`` extra)."""

UnknownEvents = Literal["error", "deliver"]
"""What a connection does with a server event its spec does not describe: hand it to
``on("error")`` (``error``), or deliver it as an :class:`UnknownEvent` (``deliver``)."""

#: Close codes that end iteration quietly when reconnection is off or does not apply.
NORMAL_CLOSE_CODES = frozenset({1000, 1001, 1005})


class WebSocketOptions(TypedDict, total=False):
    """Options passed through to ``websockets``' ``connect``."""

    subprotocols: list[str]
    max_size: int | None
    """Largest incoming message in bytes (default here: 16 MiB); None for no limit."""
    max_queue: int | None
    compression: str | None
    open_timeout: float | None
    ping_interval: float | None
    ping_timeout: float | None
    close_timeout: float | None
    user_agent_header: str | None
    origin: str
    proxy: str | bool | None
    ssl: ssl.SSLContext
    """For ``wss://``: the TLS context (your CA, a client certificate). Without it the
    server's certificate is verified against the system's CAs, on every transport."""


DEFAULT_WEBSOCKET_OPTIONS: WebSocketOptions = {"max_size": 16 * 1024 * 1024}


@dataclass
class ConnectionSettings:
    """Everything one ``connect()`` call was given."""

    base_url: str
    path: str = "/"
    protocol: str = "ws"
    path_params: Mapping[str, object] = field(default_factory=dict)
    query: Mapping[str, object] = field(default_factory=dict)
    extra_query: Mapping[str, object] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    secret_query: Mapping[str, str] = field(default_factory=dict, repr=False)
    """Query parameters that are credentials (``?token=``): shown as ``***``."""
    secrets: tuple[str, ...] = field(default=(), repr=False)
    """Every credential string: the WebSocket library's log shows them as ``***``."""
    websocket_options: WebSocketOptions = field(default_factory=lambda: WebSocketOptions())
    on_reconnecting: Any = None
    """``ReconnectHandler`` (sync) or ``AsyncReconnectHandler``; reconnection is on only when set."""
    on_reconnected: Any = None
    """Called (sync: a function; asyncio: a function or coroutine function) after each
    successful reconnection, once the replayed and queued frames went out."""
    policy: ReconnectPolicy = field(default_factory=ReconnectPolicy)
    max_queue_size: int = DEFAULT_MAX_QUEUE_SIZE
    unknown_events: UnknownEvents = "error"
    transport: Transport = "websockets"


# --- what the core asks a transport to do, and what the transport answers -------------


@dataclass(frozen=True)
class Ask:
    """Call ``on_reconnecting`` with ``event``; answer with what it returned."""

    event: ReconnectingEvent


@dataclass(frozen=True)
class Wait:
    """Sleep ``seconds``; answer None."""

    seconds: float


@dataclass(frozen=True)
class Open:
    """Open a socket to ``url`` (``websockets``' keyword arguments ``options``) with
    ``transport``, and use it from now on; answer None, or :class:`OpenFailed`."""

    url: str
    options: dict[str, Any] = field(repr=False)
    transport: Transport = "websockets"
    shown_url: str = ""
    """``url`` as errors and logs show it: secret query values as ``***``."""


@dataclass(frozen=True)
class Send:
    """Send ``frame`` on the current socket; answer None, or :class:`Closed`."""

    frame: str | bytes


@dataclass(frozen=True)
class Tell:
    """Call ``on_reconnected`` (when there is one) with ``event``; answer None."""

    event: ReconnectedEvent


@dataclass(frozen=True)
class OpenFailed:
    """The handshake failed."""

    cause: BaseException


@dataclass(frozen=True)
class Closed:
    """The socket closed while sending."""

    code: int
    reason: str


@dataclass(frozen=True, slots=True)
class Handle:
    """Call each of ``handlers`` with ``payload`` (awaiting what a coroutine handler returns):
    an :class:`InvalidMessage` or :class:`HandlerError` for ``on("error")``, a binary frame
    for ``on("raw_data")``."""

    handlers: Sequence[Handler]
    payload: object


class NotAnEvent(Exception):
    """Raised by :attr:`ConnectionCore.receive` for a frame that is no event to deliver
    (the common case, an event, costs the shells no check): ``handle`` names the handlers
    to run, or is None when there are none (the frame was logged)."""

    def __init__(self, handle: Handle | None) -> None:
        super().__init__()
        self.handle = handle


class DropLog:
    """Log lines for one kind of dropped frame, at ``level``: one line per frame at most, and
    at most one line per ``interval`` seconds in all (every connection shares it), which
    says how many went unreported since the one before. A flood of bad frames stays a
    readable log, and costs no formatting while it is not logged."""

    def __init__(
        self, level: int, interval: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.level = level
        self.interval = interval
        self.clock = clock
        self._next = float("-inf")
        self._unreported = 0

    def report(self, text: Callable[[], str]) -> None:
        if not logger.isEnabledFor(self.level):
            return
        now = self.clock()
        if now < self._next:
            self._unreported += 1
            return
        line = text()
        if self._unreported:
            line += f" ({self._unreported} more dropped since the last report)"
        self._unreported = 0
        self._next = now + self.interval
        logger.log(self.level, line)


#: Invalid frames nobody handles (a warning), and binary frames nobody handles (information):
#: each kind has its own limit, so a stream of the one never hides the other.
DROPPED_INVALID = DropLog(logging.WARNING)
DROPPED_BINARY = DropLog(logging.INFO)


def _excerpt(raw: str | bytes, limit: int = 80) -> str:
    """A frame's start, on one line, for a log message."""
    if isinstance(raw, bytes):
        return repr(raw[:limit]) + ("..." if len(raw) > limit else "")
    shown = raw if len(raw) <= limit else raw[:limit] + "..."
    return repr(shown)


def describe(error: InvalidMessage) -> str:
    """One line: what was wrong with the frame, and its start."""
    details = error.error.errors(include_url=False, include_context=False, include_input=False)
    first = details[0] if details else None
    where = ".".join(str(p) for p in first["loc"]) if first and first["loc"] else ""
    why = f"{where}: {first['msg']}" if where and first else (first["msg"] if first else "")
    more = f" (+{len(details) - 1} more)" if len(details) > 1 else ""
    return f"dropped an invalid frame ({error.kind}: {why}{more}): {_excerpt(error.raw)}"


Action = Union[Ask, Wait, Open, Send, Tell]
Answer = Union[OpenFailed, Closed, ReconnectOverrides, None]
Plan = Generator[Action, Answer, None]
"""Actions for a transport to carry out in order, each answered."""


class ConnectionCore(Generic[ServerT]):
    """Sans-I/O state of one logical connection (which may span several sockets)."""

    def __init__(self, channel: ChannelSpec[ServerT], options: ConnectionSettings) -> None:
        self.channel = channel
        self.options = options
        self.parse = channel.parse
        self.validate = channel.validate
        self.names: Mapping[type, str] = {**channel.event_names, UnknownEvent: "unknown"}
        self.handlers = HandlerRegistry(channel.known_names, self.names)
        self.receive: Callable[[str | bytes], Any] = self._receiver()
        """The event one frame is (a server event, or an :class:`UnknownEvent`); any other
        frame raises :class:`NotAnEvent`. Text frames are events, binary ones go to
        ``on("raw_data")``, invalid ones to ``on("error")``."""
        self.receive_utf8: Callable[[bytes], Any] = self._utf8_receiver()
        """:attr:`receive` for a text frame still in UTF-8 bytes (a transport that holds
        them undecoded): the same event or :class:`NotAnEvent`, without decoding a valid
        frame first; :class:`UnicodeDecodeError` for one that is not UTF-8 (the transport
        closes the connection with 1007, as for any reader)."""
        self.handlers_for: Callable[[type], Sequence[Handler]] = self.handlers.by_class.__getitem__
        """The handlers ``dispatch_events`` calls for an event, by its class (``once`` ones
        leave)."""
        self.requests = Requests()
        """The requests waiting for their replies (``request()``)."""
        self.queue = SendQueue(options.max_queue_size)
        self.replay: list[str | bytes] = []
        """Frames sent with ``replay_on_reconnect``: re-sent first on every new socket."""
        self.extra_query: dict[str, object] = dict(options.extra_query)
        self.extra_headers: dict[str, str] = dict(options.extra_headers)
        self.closing = False
        self.gave_up: ReconnectGaveUpError | None = None
        self.reconnecting = False

    # --- handshake ---------------------------------------------------------

    def url(self) -> str:
        o = self.options
        return build_url(
            o.base_url,
            o.path,
            protocol=o.protocol,
            path_params=o.path_params,
            query=o.query,
            extra_query=self.extra_query,
        )

    def shown_url(self) -> str:
        """:meth:`url` as errors, logs and ``conn.url`` show it: credentials as ``***``."""
        return redact_url(self.url(), self.options.secret_query)

    def headers(self) -> dict[str, str]:
        return merge_headers(self.options.headers, self.extra_headers)

    def connect_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = dict(DEFAULT_WEBSOCKET_OPTIONS)
        kwargs.update(self.options.websocket_options)
        if self.options.secrets and "logger" not in kwargs:
            kwargs["logger"] = RedactedLogger("websockets.client", self.options.secrets)
        kwargs["additional_headers"] = self.headers()
        return kwargs

    def open(self) -> Open:
        """The handshake to make now (its URL and headers include every override so far)."""
        return Open(self.url(), self.connect_kwargs(), self.options.transport, self.shown_url())

    # --- sending -----------------------------------------------------------

    def encode(self, message: object) -> str | bytes:
        """A client message as a frame: JSON text, a MessagePack binary frame for the
        channel's MessagePack events, or the string itself on ``client_raw_text`` channels."""
        channel = self.channel
        if channel.client_msgpack:
            if type(message) in channel.client_msgpack:
                return _msgpack.pack(message)
            if isinstance(message, Mapping):
                if channel.client_events is None:  # every client event is MessagePack
                    return _msgpack.pack(message)
                return self.encode(channel.client_events.validate_python(message))
        if isinstance(message, str) and channel.client_raw_text:
            return message
        return encode_json(message)

    def outgoing(self, frame: str | bytes, *, replay: bool) -> Literal["send", "held"]:
        """A frame the user sends: ``send`` it now, or it is ``held`` (queued, or left to the
        replay) because a reconnection is under way. Raises once reconnection gave up."""
        if self.gave_up is not None:
            raise self.gave_up
        if replay:
            self.replay.append(frame)
        if not self.reconnecting:
            return "send"
        if not replay:  # a replayed frame goes out with the replay
            self.queue.push(frame)
        return "held"

    # --- receiving ---------------------------------------------------------

    def _receiver(self) -> Callable[[str | bytes], Any]:
        """:meth:`receive`, made once per connection with what it needs in locals: it runs
        for every frame."""
        validate, invalid, handle = self.validate, self.invalid, self._handle
        binary = self._binary if self.channel.server_binary != "raw" else None

        def receive(frame: str | bytes) -> Any:
            if type(frame) is str:  # noqa: E721 - exact type check, on the hot path
                try:
                    return validate(frame, by_name=False)
                except ValidationError as error:
                    return invalid(frame, error)
            if binary is not None:
                return binary(frame)  # type: ignore[arg-type]  # not str: bytes
            raise NotAnEvent(handle("raw_data", frame))

        return receive

    def _utf8_receiver(self) -> Callable[[bytes], Any]:
        validate, receive = self.validate, self.receive
        if self.channel.raw_text:  # the text itself is the event
            return lambda data: receive(data.decode())

        def receive_utf8(data: bytes) -> Any:
            try:
                return validate(data, by_name=False)
            except ValidationError:
                # as text: the same error as a decoded frame's, or a text/plain event
                return receive(data.decode())

        return receive_utf8

    def _binary(self, frame: bytes) -> Any:
        """A binary frame of a channel with MessagePack events: its event; an invalid one
        is raw data on a channel that also sends raw bytes, else an error."""
        try:
            data = _msgpack.unpack(frame)
            return self.channel.validate_data(data, by_name=False)
        except ValidationError as error:
            if self.channel.server_binary == "mixed":
                raise NotAnEvent(self._handle("raw_data", frame)) from None
            if classify(error) == "invalid_msgpack":
                raise NotAnEvent(
                    self._handle("error", InvalidMessage("invalid_msgpack", frame, error))
                ) from None
            return self.invalid(frame, error, data)

    def invalid(self, frame: str | bytes, error: ValidationError, data: Any = None) -> Any:
        """A frame that did not validate (``data``: a binary frame's MessagePack value): a
        ``text/plain`` event it is as bare text, an :class:`UnknownEvent` to deliver, else
        :class:`NotAnEvent` with its :class:`InvalidMessage` for ``on("error")``."""
        text = self.channel.text_events
        if text is not None and isinstance(frame, str) and classify(error) == "invalid_json":
            try:
                return text.validate_python(frame)
            except ValidationError:
                pass
        rejected = self.rejected(frame, error, data)
        if isinstance(rejected, UnknownEvent):
            return rejected
        raise NotAnEvent(self._handle("error", rejected))

    def handler_failed(self, event: object, exc: Exception) -> Handle:
        """A user's handler raised ``exc``: a :class:`HandlerError` for ``on("error")``; with
        no such handler, ``exc`` ends ``dispatch_events`` (raised here)."""
        if not self.handlers.has("error"):
            raise exc
        return Handle(self.handlers.take("error"), HandlerError("handler_error", None, exc, event))

    def _handle(self, name: str, payload: object) -> Handle | None:
        handlers = self.handlers.take(name)
        if handlers:
            return Handle(handlers, payload)
        if isinstance(payload, InvalidMessage):
            invalid = payload
            DROPPED_INVALID.report(lambda: describe(invalid))
        elif isinstance(payload, bytes):
            size = len(payload)
            DROPPED_BINARY.report(
                lambda: f"dropped a {size}-byte binary frame (no raw_data handler)"
            )
        return None

    def rejected(
        self, frame: str | bytes, error: ValidationError, data: Any = None
    ) -> UnknownEvent | InvalidMessage:
        """A frame that did not validate: an :class:`UnknownEvent` to deliver (with
        ``unknown_events="deliver"``, when only its tag or a value is unknown), else the
        :class:`InvalidMessage` for ``on("error")``."""
        if self.options.unknown_events == "deliver":
            unknown = self.channel.unknown(frame, error, data)
            if unknown is not None:
                return unknown
        return InvalidMessage(kind=classify(error), raw=frame, error=error)

    # --- closing and reconnecting -----------------------------------------

    @property
    def reconnect_enabled(self) -> bool:
        return self.options.on_reconnecting is not None

    def close_error(self, code: int, reason: str) -> ConnectionEnded:
        """The error for a close that is not (or no longer) recovered."""
        if self.gave_up is not None:
            return self.gave_up
        if self.closing or code in NORMAL_CLOSE_CODES:
            return ConnectionEndedOK(code, reason)
        return ConnectionLost(code, reason)

    def lost(self, code: int, reason: str) -> None:
        """A socket closed: the requests waiting on it fail with the close, except those sent
        with ``replay_on_reconnect`` when a reconnection follows (the replay sends them
        again, and they wait for their reply on the new socket)."""
        if self.requests.waiting:
            error = self.close_error(code, reason)
            self.requests.fail(error, keep_replayed=self.should_reconnect(code))

    def should_reconnect(self, code: int) -> bool:
        return (
            self.reconnect_enabled
            and not self.closing
            and self.gave_up is None
            and self.options.policy.should_reconnect(code)
        )

    def recover(
        self, code: int, reason: str, *, replaced: bool, unsent: str | bytes | None = None
    ) -> Plan:
        """A socket closed with ``code`` (while sending ``unsent``, if given): the plan that
        brings the connection back, or the close raised as :class:`ConnectionEnded`.

        ``replaced``: another caller already reconnected (the transport saw a newer socket
        than the one that failed); then only what is still queued goes out.
        """
        if self.gave_up is not None:  # an earlier recovery gave up: so does this one
            raise self.gave_up
        if replaced:
            if unsent is not None:
                self.queue.push(unsent)
            return self._send_queued()
        if not self.should_reconnect(code):
            raise self.close_error(code, reason)
        if unsent is not None:
            self.queue.push(unsent)
        return self._reconnect(code, reason)

    def _reconnect(self, code: int, reason: str) -> Plan:
        """Attempts with backoff until a socket opens and takes the replay and the queue."""
        self.reconnecting = True
        try:
            policy = self.options.policy
            attempt = 0
            while True:
                attempt += 1
                if attempt > policy.max_retries:
                    raise self._give_up(code, reason, attempt - 1, aborted=False)
                event = ReconnectingEvent(
                    attempt=attempt,
                    max_attempts=policy.max_retries,
                    close_code=code,
                    close_reason=reason,
                    delay=policy.delay(attempt),
                )
                answer = yield Ask(event)
                overrides = answer if isinstance(answer, dict) else None
                if overrides and overrides.get("abort"):
                    raise self._give_up(code, reason, attempt - 1, aborted=True)
                self._override(overrides)
                yield Wait(event.delay)
                if self.closing:  # the user closed the connection meanwhile
                    raise ConnectionEndedOK(code, reason)
                opened = yield self.open()
                if isinstance(opened, OpenFailed):
                    code, reason = 1006, str(opened.cause)
                    continue
                closed = yield from self._replay_and_flush()
                if isinstance(closed, Closed):
                    code, reason = closed.code, closed.reason
                    if not policy.should_reconnect(code):
                        raise self._give_up(code, reason, attempt, aborted=False)
                    continue
                self.reconnecting = False  # before Tell: the hook may send
                yield Tell(ReconnectedEvent(attempt, code, reason, len(self.replay)))
                return
        finally:
            self.reconnecting = False

    def _replay_and_flush(self) -> Generator[Action, Answer, Closed | None]:
        """The replay, then the queue, on a new socket; a frame sent for replay meanwhile
        (during the flush) goes out too, after what was queued before it."""
        sent = 0
        while True:
            while sent < len(self.replay):
                closed = yield Send(self.replay[sent])
                if isinstance(closed, Closed):
                    return closed
                sent += 1
            closed = yield from self._flush()
            if isinstance(closed, Closed) or sent == len(self.replay):
                return closed

    def _send_queued(self) -> Plan:
        """What is queued, on a socket another caller opened (a close meanwhile is found,
        and recovered, by the next receive)."""
        yield from self._flush()

    def _flush(self) -> Generator[Action, Answer, Closed | None]:
        """Send the queued frames in order; each leaves the queue once sent."""
        queue = self.queue
        while queue:
            closed = yield Send(queue.peek())
            if isinstance(closed, Closed):
                return closed
            queue.pop()
        return None

    def _override(self, overrides: ReconnectOverrides | None) -> None:
        """Merge what ``on_reconnecting`` returned into later handshakes."""
        if overrides:
            self.extra_query.update(overrides.get("extra_query") or {})
            self.extra_headers.update(overrides.get("extra_headers") or {})

    def _give_up(
        self, code: int, reason: str, attempts: int, *, aborted: bool
    ) -> ReconnectGaveUpError:
        self.gave_up = ReconnectGaveUpError(
            code, reason, attempts=attempts, aborted=aborted, unsent=self.queue.drain()
        )
        self.requests.fail(self.gave_up)  # the replayed ones that waited for a new socket
        return self.gave_up


def encode_json(message: object) -> str:
    """A model (aliases, JSON mode, no unset fields) or any JSON-able value, as JSON text."""
    if isinstance(message, BaseModel):
        return to_wire_json(message)
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    from pydantic_core import to_jsonable_python

    return to_jsonable_python(value)
