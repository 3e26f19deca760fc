"""What the sync and async connections share that does no I/O."""

from __future__ import annotations

from collections import deque
from typing import Any, Generic, TypeVar

from . import _websockets
from ._core import ConnectionCore
from ._dispatch import HandlerMethods
from .errors import ConnectionEnded, ConnectionEndedOK

ServerT = TypeVar("ServerT")

ANSWERED: Any = object()
"""What a receive loop gives a reading ``request()``: a reply it keeps, or a reconnection
(either way, the request looks at its state again)."""


class ConnectionBase(HandlerMethods, Generic[ServerT]):
    """State and read-only views of one logical connection; the transports add the I/O."""

    def __init__(self, core: ConnectionCore[ServerT], socket: Any) -> None:
        self._core = core
        self._registry = core.handlers
        self._ws = socket
        self._closed_exc: Any = _websockets.exceptions(core.options.transport).ConnectionClosed
        self._receive = core.receive
        self._backlog: deque[Any] = deque()
        """Events a waiting ``request()`` read for the others: iteration yields them first."""
        self._pumping = False
        """A ``request()`` reads frames itself (then the backlog is not read)."""
        self._receiving = False
        """A reader waits on the socket (a ``request()`` then waits for it to answer)."""
        self._last_close: ConnectionEnded = ConnectionEndedOK(None)
        """How the connection ended, once it did normally (what ``recv()`` raises then)."""

    @property
    def url(self) -> str:
        """The URL of the current handshake (it changes when reconnecting applies overrides),
        credentials in the query shown as ``***``."""
        return self._core.shown_url()

    @property
    def replayed(self) -> tuple[str | bytes, ...]:
        """The frames sent with ``replay_on_reconnect``, in order: what a new socket gets first."""
        return tuple(self._core.replay)

    def clear_replay(self) -> None:
        """Stop replaying what was sent with ``replay_on_reconnect`` (after unsubscribing, say)."""
        self._core.replay.clear()

    @property
    def socket(self) -> Any:
        """The underlying connection, ``websockets``' or ``picows.websockets``' (it is replaced
        on reconnect)."""
        return self._ws
