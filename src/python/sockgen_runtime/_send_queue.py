"""The byte-bounded queue that holds sends while the connection is re-established."""

from __future__ import annotations

from collections import deque

from .errors import SendQueueFullError

DEFAULT_MAX_QUEUE_SIZE = 1 << 20  # 1 MiB


def frame_size(frame: str | bytes) -> int:
    return len(frame.encode()) if isinstance(frame, str) else len(frame)


class SendQueue:
    """FIFO of encoded frames; the total payload size never exceeds ``limit`` bytes.

    A frame leaves the queue only once it was handed to the new connection
    (``peek`` then ``pop``), so a flush that fails half-way loses nothing and
    sends nothing twice.
    """

    def __init__(self, limit: int = DEFAULT_MAX_QUEUE_SIZE) -> None:
        if limit < 0:
            raise ValueError(f"max_queue_size must be >= 0, got {limit}")
        self.limit = limit
        self._frames: deque[tuple[str | bytes, int]] = deque()
        self._used = 0

    def __len__(self) -> int:
        return len(self._frames)

    @property
    def used(self) -> int:
        return self._used

    def push(self, frame: str | bytes) -> None:
        size = frame_size(frame)
        if self._used + size > self.limit:
            raise SendQueueFullError(size, self._used, self.limit)
        self._frames.append((frame, size))
        self._used += size

    def peek(self) -> str | bytes:
        return self._frames[0][0]

    def pop(self) -> str | bytes:
        frame, size = self._frames.popleft()
        self._used -= size
        return frame

    def drain(self) -> list[str | bytes]:
        frames = [frame for frame, _ in self._frames]
        self._frames.clear()
        self._used = 0
        return frames
