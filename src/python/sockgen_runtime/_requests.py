"""Requests and their replies: which incoming event answers which request (sans-I/O).

A generated ``request_<event>()`` helper sends a client event and waits for the
server event the spec pairs with it (:class:`ReplyTo`): the first one of the reply's
classes whose correlation property holds the request's id, or, when the spec names
none, the next one of those classes. The connection asks :meth:`Requests.answer`
about each event while requests wait; the reply still reaches iteration and
``on()`` handlers unless the request said otherwise. A socket that closes fails every
waiting request, but those sent with ``replay_on_reconnect`` when a reconnection follows
(the replay sends them again, and they wait on).
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .errors import SockgenError

__all__ = [
    "DEFAULT_REQUEST_TIMEOUT",
    "Pending",
    "R",
    "ReplyError",
    "ReplyTo",
    "RequestTimeout",
    "Requests",
    "int_request_id",
    "str_request_id",
]

R = TypeVar("R")

_COUNTER = itertools.count(1)


def int_request_id() -> int:
    """A new integer request id (a counter, unique in this process)."""
    return next(_COUNTER)


def str_request_id() -> str:
    """A new string request id (a random UUID, hex)."""
    return uuid.uuid4().hex


_UNSET: Any = object()

DEFAULT_REQUEST_TIMEOUT = 10.0
"""Seconds ``request()`` waits for a reply by default."""


class RequestTimeout(SockgenError, TimeoutError):
    """No reply came in time (the request was sent; its reply, if late, arrives as an event)."""


class ReplyError(SockgenError):
    """The reply said the request failed: one of the replies the spec marks as errors
    (``reply`` is it, typed as the spec's model)."""

    def __init__(self, reply: Any) -> None:
        super().__init__(f"the request failed: {reply!r}")
        self.reply = reply


@dataclass(frozen=True)
class ReplyTo(Generic[R]):
    """What answers one kind of request, as generated code passes it (``R``: the reply's
    type, what ``request()`` returns)."""

    replies: tuple[type[R], ...]
    """The server event classes that answer it."""
    id_attr: Mapping[type, str] = field(default_factory=dict)
    """Per reply class, the attribute that carries the request's id (dotted when nested:
    ``data.operation_id``); empty: in order."""
    errors: tuple[type, ...] = ()
    """Replies that say the request failed: ``request()`` raises :class:`ReplyError`."""
    request_attr: str | None = None
    """The request's attribute that holds its id (dotted when nested), read when
    ``request()`` is given no ``request_id``."""


def attribute(obj: object, path: str) -> Any:
    """``obj``'s attribute at a dotted ``path``; a missing one (or None on the way) is a
    value no id equals."""
    for name in path.split("."):
        obj = getattr(obj, name, _UNSET)
        if obj is _UNSET or obj is None:
            return _UNSET
    return obj


class Pending:
    """One request waiting: its reply (or the error that ended the wait) lands here."""

    def __init__(
        self, reply_to: ReplyTo[Any], request_id: object, deliver: bool, replay: bool = False
    ) -> None:
        self.reply_to = reply_to
        self.request_id = request_id
        self.deliver = deliver
        """Whether the reply also reaches iteration and ``on()`` handlers."""
        self.replay = replay
        """Sent with ``replay_on_reconnect``: a reconnection sends it again, and it waits on."""
        self.reply: Any = _UNSET
        self.error: BaseException | None = None
        self.done = threading.Event()
        """Set once settled (the blocking connection waits on it; asyncio ones are woken
        through :attr:`on_settled`)."""
        self.on_settled: Any = None
        """Called once settled (an asyncio connection wakes its waiting task)."""

    def matches(self, event: object) -> bool:
        cls = type(event)
        if cls not in self.reply_to.replies and cls not in self.reply_to.errors:
            return False
        attr = self.reply_to.id_attr.get(cls)
        return attr is None or attribute(event, attr) == self.request_id

    def settle(self, reply: Any = _UNSET, error: BaseException | None = None) -> None:
        if self.done.is_set():
            return
        self.reply, self.error = reply, error
        self.done.set()
        if self.on_settled is not None:
            self.on_settled()

    def result(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.reply


class Requests:
    """The requests waiting on one connection, oldest first."""

    def __init__(self) -> None:
        self.waiting: list[Pending] = []

    def add(
        self,
        reply_to: ReplyTo[Any],
        request_id: object,
        deliver: bool,
        message: object = None,
        replay: bool = False,
    ) -> Pending:
        """A request now waiting (its id: ``request_id``, else read from ``message``)."""
        if request_id is None and reply_to.request_attr is not None:
            request_id = attribute(message, reply_to.request_attr)
            if request_id is _UNSET:
                raise ValueError(
                    f"{type(message).__name__} carries no id at {reply_to.request_attr}: "
                    "its reply could not be told from others"
                )
        pending = Pending(reply_to, request_id, deliver, replay)
        self.waiting.append(pending)
        return pending

    def discard(self, pending: Pending) -> None:
        if pending in self.waiting:
            self.waiting.remove(pending)

    def answer(self, event: object) -> bool:
        """Settle the oldest request ``event`` answers; whether ``event`` is still delivered."""
        for pending in self.waiting:
            if pending.matches(event):
                self.waiting.remove(pending)
                if type(event) in pending.reply_to.errors:
                    pending.settle(error=ReplyError(event))
                else:
                    pending.settle(event)
                return pending.deliver
        return True

    def fail(self, error: BaseException, *, keep_replayed: bool = False) -> None:
        """The socket closed: every waiting request ends with ``error`` (but those marked for
        replay, with ``keep_replayed``: the next socket gets them again)."""
        ending = [p for p in self.waiting if not (keep_replayed and p.replay)]
        self.waiting[:] = [p for p in self.waiting if p not in ending]
        for pending in ending:
            pending.settle(error=error)
