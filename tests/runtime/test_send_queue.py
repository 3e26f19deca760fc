from __future__ import annotations

import pytest
from sockgen_runtime import SendQueueFullError
from sockgen_runtime._send_queue import SendQueue


def test_fifo_and_byte_accounting() -> None:
    q = SendQueue(limit=10)
    q.push("abc")
    q.push(b"\x00\x01")
    q.push("é")  # two bytes in UTF-8
    assert q.used == 7 and len(q) == 3
    assert q.peek() == "abc"
    assert q.pop() == "abc"
    assert q.used == 4
    assert q.drain() == [b"\x00\x01", "é"]
    assert q.used == 0 and not q


def test_past_the_bound_is_a_clear_error_and_nothing_is_lost() -> None:
    q = SendQueue(limit=8)
    q.push("12345")
    with pytest.raises(SendQueueFullError, match="a 4-byte message does not fit .5 of 8 bytes"):
        q.push("6789")
    q.push("678")
    assert q.drain() == ["12345", "678"]
