"""The receive half of the sans-I/O core alone: what each frame becomes, which handlers run,
and what is logged, for every kind of frame x handlers registered x unknown_events; no
socket (the transports only move frames and run what the core returns)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from runtime.events import CHANNEL, MessageReceived, Subscribed
from sockgen_runtime import ClientBase, HandlerError, InvalidMessage, UnknownEvent
from sockgen_runtime._core import ConnectionCore, DropLog, Handle, NotAnEvent

GOOD = '{"type": "subscribed", "channel": "general"}'
UNKNOWN_TAG = '{"type": "typing", "channel": "general"}'
UNKNOWN_VALUE = '{"type": "subscribed", "channel": "general", "status": "archived"}'
WRONG_SHAPE = '{"type": "subscribed"}'
NOT_JSON = "{nope"
BINARY = b"\x00\x01"


def core(unknown_events: str = "error") -> ConnectionCore[Any]:
    return ClientBase(base_url="ws://example.test").core(
        CHANNEL, path_params={"room_id": "r"}, unknown_events=unknown_events  # type: ignore[arg-type]
    )


def outcome(c: ConnectionCore[Any], frame: str | bytes) -> tuple[str, object]:
    """(what the frame became, its payload): ``event``, ``handle`` or ``dropped``."""
    try:
        return "event", c.receive(frame)
    except NotAnEvent as other:
        if other.handle is None:
            return "dropped", None
        return "handle", other.handle


# frame, unknown_events, handlers registered -> what it becomes, and the payload's kind
TABLE: list[tuple[str | bytes, str, tuple[str, ...], str, str]] = [
    (GOOD, "error", (), "event", "Subscribed"),
    (GOOD, "deliver", ("error",), "event", "Subscribed"),
    (UNKNOWN_TAG, "error", (), "dropped", ""),
    (UNKNOWN_TAG, "error", ("error",), "handle", "unknown_event"),
    (UNKNOWN_TAG, "deliver", (), "event", "UnknownEvent"),
    (UNKNOWN_VALUE, "error", ("error",), "handle", "validation_error"),
    (UNKNOWN_VALUE, "deliver", ("error",), "event", "UnknownEvent"),
    (WRONG_SHAPE, "deliver", ("error",), "handle", "validation_error"),
    (WRONG_SHAPE, "error", ("raw_data",), "dropped", ""),
    (NOT_JSON, "deliver", ("error",), "handle", "invalid_json"),
    (NOT_JSON, "error", (), "dropped", ""),
    (BINARY, "error", (), "dropped", ""),
    (BINARY, "deliver", ("error",), "dropped", ""),
    (BINARY, "error", ("raw_data",), "handle", "bytes"),
]


@pytest.mark.parametrize(("frame", "unknown", "registered", "becomes", "kind"), TABLE)
def test_what_each_frame_becomes(
    frame: str | bytes, unknown: str, registered: tuple[str, ...], becomes: str, kind: str
) -> None:
    c = core(unknown)
    for name in registered:
        c.handlers.add(name, lambda payload: None)
    got, payload = outcome(c, frame)
    assert got == becomes
    if becomes == "event":
        assert type(payload).__name__ == kind
    elif becomes == "handle":
        assert isinstance(payload, Handle)
        inner = payload.payload
        assert (inner.kind if isinstance(inner, InvalidMessage) else type(inner).__name__) == kind
        assert len(payload.handlers) == len(registered)


def test_an_unknown_event_carries_its_tag_and_data() -> None:
    _, event = outcome(core("deliver"), UNKNOWN_TAG)
    assert isinstance(event, UnknownEvent)
    assert (event.tag, event.reason, event.data["channel"]) == (
        "typing",
        "unknown_event",
        "general",
    )


def test_a_handler_registered_during_a_lookup_is_not_lost() -> None:
    """The blocking client's handlers may be registered from another thread while the
    receive loop looks an event's handlers up: what that lookup read is not kept."""
    c = core()
    c.handlers.add("subscribed", lambda e: None)
    registry = c.handlers
    real_lock = registry.lock

    class Meanwhile:
        """The lock the lookup takes to keep its result: another thread registers first."""

        def __enter__(self) -> None:
            registry.lock = real_lock
            registry.add("subscribed", lambda e: None)  # takes the real lock itself
            real_lock.acquire()

        def __exit__(self, *exc: object) -> None:
            real_lock.release()

    registry.lock = Meanwhile()  # type: ignore[assignment]
    assert len(c.handlers_for(Subscribed)) == 1  # the lookup that raced: what it read
    assert len(c.handlers_for(Subscribed)) == 2  # not kept: the next one sees both


def test_once_handlers_run_once_and_plain_ones_every_time() -> None:
    c = core()
    calls: list[str] = []
    c.handlers.add("subscribed", lambda e: calls.append("plain"))
    c.handlers.add("subscribed", lambda e: calls.append("once"), once=True)
    event = c.receive(GOOD)
    for _ in range(3):
        for handler in c.handlers_for(type(event)):
            handler(event)
    assert calls == ["plain", "once", "plain", "plain"]
    # a handler added later is found (the per-class cache is dropped on every change)
    c.handlers.add("subscribed", lambda e: calls.append("late"))
    assert len(c.handlers_for(Subscribed)) == 2
    c.handlers.remove("subscribed")
    assert c.handlers_for(Subscribed) == ()
    assert c.handlers_for(MessageReceived) == ()
    assert c.handlers_for(int) == ()  # not an event of the channel


def test_a_failing_handler_goes_to_error_handlers_or_is_raised() -> None:
    c = core()
    boom = ValueError("boom")
    with pytest.raises(ValueError, match="boom"):
        c.handler_failed("event", boom)
    seen: list[object] = []
    c.handlers.add("error", seen.append)
    handle = c.handler_failed("event", boom)
    assert isinstance(handle.payload, HandlerError) and handle.payload.error is boom


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_dropped_frames_log_one_line_each_at_most_rate_limited_with_a_count(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    for name, level in (("DROPPED_INVALID", logging.WARNING), ("DROPPED_BINARY", logging.INFO)):
        monkeypatch.setattr(f"sockgen_runtime._core.{name}", DropLog(level, clock=clock))
    c = core()
    caplog.set_level(logging.INFO, logger="sockgen_runtime")
    for i in range(1000):  # a flood: 1,000 bad frames in one second, half binary
        clock.now = i / 1000
        outcome(c, WRONG_SHAPE if i % 2 else BINARY)
    clock.now = 1.5
    outcome(c, NOT_JSON)
    outcome(c, BINARY)
    lines = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert all("\n" not in line for _, line in lines)
    # each kind has its own limit: the binary stream does not hide the invalid frames
    assert lines[0] == ("INFO", "dropped a 2-byte binary frame (no raw_data handler)")
    assert lines[1][0] == "WARNING"
    assert lines[1][1].startswith("dropped an invalid frame (validation_error: ")
    assert lines[2][0] == "WARNING"
    assert lines[2][1].startswith("dropped an invalid frame (invalid_json: Invalid JSON")
    assert lines[2][1].endswith("'{nope' (499 more dropped since the last report)")
    assert lines[3] == (
        "INFO",
        "dropped a 2-byte binary frame (no raw_data handler) "
        "(499 more dropped since the last report)",
    )
    assert len(lines) == 4


def test_a_frame_not_logged_costs_no_formatting(monkeypatch: pytest.MonkeyPatch) -> None:
    import sockgen_runtime._core as core_module

    described: list[object] = []

    def describe(error: object) -> str:
        described.append(error)
        return ""

    monkeypatch.setattr(core_module, "describe", describe)
    logging.getLogger("sockgen_runtime").setLevel(logging.ERROR)
    try:
        outcome(core(), WRONG_SHAPE)
    finally:
        logging.getLogger("sockgen_runtime").setLevel(logging.NOTSET)
    assert described == []


def test_an_invalid_frame_is_described_on_one_line_with_its_start() -> None:
    from sockgen_runtime._core import describe

    c = core()
    seen: list[InvalidMessage] = []
    c.handlers.add("error", seen.append)
    long = '{"type": "subscribed", "extra": "' + "x" * 200 + '"}'
    handle = outcome(c, long)[1]
    assert isinstance(handle, Handle)
    text = describe(handle.payload)  # type: ignore[arg-type]
    assert text.startswith(
        "dropped an invalid frame (validation_error: subscribed.channel: Field required): "
    )
    assert text.endswith("...'") and len(text) < 200 and "\n" not in text


@pytest.mark.parametrize(("frame", "unknown", "registered", "becomes", "kind"), TABLE)
def test_a_text_frame_in_utf8_becomes_what_its_text_does(
    frame: str | bytes, unknown: str, registered: tuple[str, ...], becomes: str, kind: str
) -> None:
    """``receive_utf8`` (a transport's undecoded text frame) decides as ``receive`` does on
    the decoded text, down to the error's input, which is the text."""
    if isinstance(frame, bytes):
        return  # binary frames have no UTF-8 twin
    as_text, as_bytes = core(unknown), core(unknown)
    for c in (as_text, as_bytes):
        for name in registered:
            c.handlers.add(name, lambda payload: None)
    text = outcome(as_text, frame)
    try:
        utf8: tuple[str, object] = "event", as_bytes.receive_utf8(frame.encode())
    except NotAnEvent as other:
        utf8 = ("dropped", None) if other.handle is None else ("handle", other.handle)
    assert utf8[0] == text[0] == becomes
    if isinstance(text[1], Handle) and isinstance(utf8[1], Handle):
        assert repr(utf8[1].payload) == repr(text[1].payload)
    else:  # (a ValidationError is equal only to itself: compare what it says)
        assert repr(utf8[1]) == repr(text[1])


def test_a_text_frame_that_is_not_utf8_is_the_transports_to_refuse() -> None:
    with pytest.raises(UnicodeDecodeError):
        core("deliver").receive_utf8(b'{"type": "\xff"}')
