"""Reconnection policy: which closes are retried, backoff with jitter, the hooks' events."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Optional, TypedDict, Union

__all__ = [
    "RECONNECT_CLOSE_CODES",
    "AsyncReconnectHandler",
    "AsyncReconnectedHandler",
    "ReconnectHandler",
    "ReconnectOverrides",
    "ReconnectPolicy",
    "ReconnectedEvent",
    "ReconnectedHandler",
    "ReconnectingEvent",
]

#: Close codes after which a connection is re-established (when reconnection is on):
#: going away, no status, abnormal closure, internal error, service restart,
#: try again later, TLS handshake failure.
RECONNECT_CLOSE_CODES = frozenset({1001, 1005, 1006, 1011, 1012, 1013, 1015})


@dataclass(frozen=True)
class ReconnectingEvent:
    """What ``on_reconnecting`` is told before each attempt."""

    attempt: int
    """1 for the first attempt."""
    max_attempts: int
    close_code: int | None
    """The close code that ended the previous connection (1006 when no close frame came)."""
    close_reason: str
    delay: float
    """Seconds the client waits before this attempt."""


@dataclass(frozen=True)
class ReconnectedEvent:
    """What ``on_reconnected`` is told once a reconnection succeeded."""

    attempts: int
    """The attempts it took (1 when the first one worked)."""
    close_code: int | None
    """The close code that ended the previous connection."""
    close_reason: str
    replayed: int
    """How many frames sent with ``replay_on_reconnect`` were sent again, first."""


class ReconnectOverrides(TypedDict, total=False):
    """What ``on_reconnecting`` may return."""

    abort: bool
    """Stop reconnecting; the pending receive raises :class:`ReconnectGaveUpError`."""
    extra_query: Mapping[str, object]
    """Query parameters for this and later handshakes (merged over the current ones)."""
    extra_headers: Mapping[str, str]
    """Headers for this and later handshakes (merged over the current ones)."""


ReconnectHandler = Callable[[ReconnectingEvent], Optional[ReconnectOverrides]]
AsyncReconnectHandler = Callable[
    [ReconnectingEvent],
    Union[Optional[ReconnectOverrides], Awaitable[Optional[ReconnectOverrides]]],
]
ReconnectedHandler = Callable[[ReconnectedEvent], None]
AsyncReconnectedHandler = Callable[[ReconnectedEvent], Optional[Awaitable[None]]]


DEFAULT_MAX_RETRIES = 5
DEFAULT_INITIAL_DELAY = 0.5
DEFAULT_MAX_DELAY = 8.0


@dataclass(frozen=True)
class ReconnectPolicy:
    """Exponential backoff with jitter, bounded by ``initial_delay`` and ``max_delay``."""

    max_retries: int = DEFAULT_MAX_RETRIES
    initial_delay: float = DEFAULT_INITIAL_DELAY
    max_delay: float = DEFAULT_MAX_DELAY

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")
        if not 0 <= self.initial_delay <= self.max_delay:
            raise ValueError(
                f"need 0 <= initial_delay <= max_delay, got {self.initial_delay} and {self.max_delay}"
            )

    def should_reconnect(self, code: int | None) -> bool:
        return (1006 if code is None else code) in RECONNECT_CLOSE_CODES

    def delay(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Seconds to wait before attempt ``attempt`` (1-based).

        The nominal delay doubles from ``initial_delay`` up to ``max_delay``; jitter
        takes up to a quarter off it, never going below ``initial_delay``.
        """
        nominal = min(self.max_delay, self.initial_delay * (2.0 ** (attempt - 1)))
        jittered = nominal * (1.0 - 0.25 * rng())
        return max(self.initial_delay, min(self.max_delay, jittered))
