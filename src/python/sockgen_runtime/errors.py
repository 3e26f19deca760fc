"""Every error the runtime raises derives from :class:`SockgenError`."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ConnectionEnded",
    "ConnectionEndedOK",
    "ConnectionLost",
    "MissingDependencyError",
    "ReconnectGaveUpError",
    "SendQueueFullError",
    "SockgenError",
    "WebSocketConnectError",
]


class SockgenError(Exception):
    """Base class of the runtime's errors."""


class MissingDependencyError(SockgenError, ImportError):
    """An optional dependency (``websockets``) is not installed."""


class WebSocketConnectError(SockgenError):
    """The opening handshake failed (refused, timed out, or rejected by the server)."""

    def __init__(self, url: str, cause: BaseException) -> None:
        super().__init__(f"could not connect to {url}: {cause}")
        self.url = url
        self.cause = cause


class ConnectionEnded(SockgenError):
    """The connection is closed; ``code`` and ``reason`` come from the close frame.

    (Not ``websockets``' ``ConnectionClosed``: this one spans reconnections, and is
    raised only once the logical connection is over.)"""

    def __init__(self, code: int | None, reason: str = "") -> None:
        shown = "no close frame" if code is None else f"code {code}"
        super().__init__(f"connection closed ({shown}{': ' + reason if reason else ''})")
        self.code = code
        self.reason = reason


class ConnectionEndedOK(ConnectionEnded):
    """A normal close (1000, 1001 or 1005, or one this client asked for). Iteration just ends."""


class ConnectionLost(ConnectionEnded):
    """An abnormal close that was not (or could not be) recovered by reconnecting."""


class SendQueueFullError(SockgenError):
    """A send while reconnecting would exceed the send queue's byte bound."""

    def __init__(self, size: int, used: int, limit: int) -> None:
        super().__init__(
            f"send queue is full: a {size}-byte message does not fit "
            f"({used} of {limit} bytes are held while reconnecting; raise max_queue_size)"
        )
        self.size = size
        self.used = used
        self.limit = limit


class ReconnectGaveUpError(ConnectionLost):
    """Reconnection stopped (attempts exhausted or aborted by ``on_reconnecting``).

    ``unsent`` holds, in order, every message that was queued and never sent.
    """

    def __init__(
        self,
        code: int | None,
        reason: str,
        *,
        attempts: int,
        aborted: bool,
        unsent: Sequence[str | bytes],
    ) -> None:
        super().__init__(code, reason)
        why = "aborted by on_reconnecting" if aborted else f"gave up after {attempts} attempts"
        self.args = (
            f"reconnection {why} (last close code {code}); {len(unsent)} message(s) were never sent",
        )
        self.attempts = attempts
        self.aborted = aborted
        self.unsent: tuple[str | bytes, ...] = tuple(unsent)
