from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Literal

import pytest
from pydantic import Field, TypeAdapter, ValidationError
from runtime.events import (
    CHANNEL,
    MessageReceived,
    SendMessage,
    Subscribe,
    Subscribed,
    connect_sync,
)
from sockgen_runtime import ChannelSpec, SockgenModel
from sockgen_runtime._core import encode_json
from sockgen_runtime._dispatch import HandlerRegistry
from sockgen_runtime._parsing import classify


def test_tag_fields_are_always_serialised_and_unset_fields_are_not() -> None:
    assert json.loads(encode_json(Subscribe(channel="g"))) == {
        "type": "subscribe",
        "channel": "g",
    }


def test_aliases_and_json_mode() -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    msg = SendMessage(channel="g", content="hi", sent_at=when, reply_to="m1")
    assert json.loads(encode_json(msg)) == {
        "type": "send_message",
        "channel": "g",
        "content": "hi",
        "sent_at": "2026-01-02T03:04:05Z",
        "reply-to": "m1",
    }


def test_explicit_none_is_sent_as_null() -> None:
    msg = SendMessage(channel="g", content="hi", reply_to=None)
    assert json.loads(encode_json(msg))["reply-to"] is None


def test_dicts_are_sent_as_given() -> None:
    when = datetime(2026, 1, 2, tzinfo=timezone.utc)
    frame = encode_json({"type": "subscribe", "channel": "ü", "at": when})
    assert json.loads(frame) == {"type": "subscribe", "channel": "ü", "at": "2026-01-02T00:00:00Z"}


def test_one_adapter_parses_each_event_type() -> None:
    event = CHANNEL.parse(
        '{"type":"message_received","channel":"g","content":"x","user-name":"ann"}'
    )
    assert isinstance(event, MessageReceived) and event.user_name == "ann"
    assert isinstance(CHANNEL.parse('{"type":"subscribed","channel":"g"}'), Subscribed)
    assert CHANNEL.name_of(event) == "message_received"


def test_unknown_fields_are_kept() -> None:
    event = CHANNEL.parse('{"type":"subscribed","channel":"g","new_field":1}')
    assert event.model_dump(by_alias=True) == {
        "type": "subscribed",
        "channel": "g",
        "status": "active",
        "new_field": 1,
    }


@pytest.mark.parametrize(
    ("frame", "kind"),
    [
        ("not json", "invalid_json"),
        ('{"type": "nope", "channel": "g"}', "unknown_event"),
        ('{"type": "subscribed"}', "validation_error"),
        ('{"channel": "g"}', "validation_error"),
        ("[1, 2]", "validation_error"),
    ],
)
def test_failures_are_classified(frame: str, kind: str) -> None:
    with pytest.raises(ValidationError) as info:
        CHANNEL.parse(frame)
    assert classify(info.value) == kind


def test_registry_on_once_off_and_unknown_names() -> None:
    reg = HandlerRegistry({"a", "b"})

    def f(_: object) -> None: ...
    def g(_: object) -> None: ...

    reg.add("a", f)
    reg.add("a", g, once=True)
    assert list(reg.take("a")) == [f, g]
    assert list(reg.take("a")) == [f]
    assert list(reg.take("a")) == [f]  # the fast path: no once handlers left
    reg.add("a", g, once=True)
    assert list(reg.take("a")) == [f, g] and list(reg.take("a")) == [f]
    reg.remove("a", f)
    assert list(reg.take("a")) == [] and not reg.has("a")
    reg.add("error", f)
    reg.add("raw_data", f)
    reg.remove("error")
    assert not reg.has("error") and reg.has("raw_data")
    with pytest.raises(
        ValueError, match="unknown event 'c'; expected one of: a, b, error, raw_data"
    ):
        reg.add("c", f)


def test_frames_match_wire_names_only() -> None:
    # "user_name" is the Python name; on the wire the field is "user-name"
    event = CHANNEL.parse(
        '{"type":"message_received","channel":"g","content":"x","user-name":"ann","user_name":"eve"}'
    )
    assert isinstance(event, MessageReceived) and event.user_name == "ann"
    assert event.model_extra == {"user_name": "eve"}
    with pytest.raises(ValidationError):
        CHANNEL.parse('{"type":"message_received","channel":"g","content":"x","user_name":"eve"}')
    # constructing in Python takes either
    assert MessageReceived(channel="g", content="x", user_name="ann").user_name == "ann"


class Ticker(SockgenModel):
    event: Literal["ticker"] = "ticker"
    price: float
    side: Literal["buy", "sell"]


class Trade(SockgenModel):
    kind: Literal["trade"] = "trade"
    price: float


ONE_EVENT: ChannelSpec[Ticker] = ChannelSpec(
    path="/", server_events=TypeAdapter(Ticker), event_names={Ticker: "ticker"}, tag="event"
)
UNTAGGED: ChannelSpec[Ticker | Trade] = ChannelSpec(
    path="/",
    server_events=TypeAdapter(Ticker | Trade),
    event_names={Ticker: "ticker", Trade: "trade"},
)


def drift(channel: ChannelSpec[Any], frame: str) -> tuple[str, object] | None:
    with pytest.raises(ValidationError) as info:
        channel.parse(frame)
    unknown = channel.unknown(frame, info.value)
    return None if unknown is None else (unknown.reason, unknown.tag)


@pytest.mark.parametrize(
    ("channel", "frame", "expected"),
    [
        # a discriminated union: the tag names no event; a value no member lists
        (CHANNEL, '{"type": "nope"}', ("unknown_event", "nope")),
        (CHANNEL, '{"type": 7}', ("unknown_event", 7)),
        (
            CHANNEL,
            '{"type": "subscribed", "channel": "g", "status": "x"}',
            ("unknown_value", "subscribed"),
        ),
        (CHANNEL, '{"type": "subscribed"}', None),  # a required field missing: an error
        # a value of the wrong kind where an enum belongs, a tag that is no scalar: errors
        (CHANNEL, '{"type": "subscribed", "channel": "g", "status": null}', None),
        (CHANNEL, '{"type": "subscribed", "channel": "g", "status": {"a": 1}}', None),
        (CHANNEL, '{"type": null}', None),
        (CHANNEL, '{"type": ["x"]}', None),
        (CHANNEL, '{"type": "subscribed", "channel": 1}', None),  # a wrong type: an error
        (CHANNEL, "[1]", None),
        (CHANNEL, '"subscribed"', None),
        # one event: its Literal tag tells, whatever else the frame lacks
        (ONE_EVENT, '{"event": "book", "bids": []}', ("unknown_event", "book")),
        (ONE_EVENT, '{"event": "ticker", "price": 1, "side": "hold"}', ("unknown_value", "ticker")),
        (ONE_EVENT, '{"event": "ticker", "side": "hold"}', None),
        # no tag property: an unknown event cannot be told from a malformed one
        (UNTAGGED, '{"event": "book"}', None),
        (UNTAGGED, '{"event": "ticker", "side": "hold"}', None),
    ],
)
def test_what_counts_as_an_event_the_spec_does_not_list(
    channel: ChannelSpec[Any], frame: str, expected: tuple[str, object] | None
) -> None:
    assert drift(channel, frame) == expected


def test_a_plain_text_channel_has_no_unknown_events() -> None:
    text: ChannelSpec[str] = ChannelSpec(
        path="/", server_events=TypeAdapter(Literal["a"]), event_names={}, raw_text=True
    )
    with pytest.raises(ValidationError) as info:
        text.parse("b")
    assert text.unknown("b", info.value) is None


def test_the_blocking_client_refuses_the_picows_transport() -> None:
    with pytest.raises(ValueError, match="transport='picows' is for the asyncio client only"):
        connect_sync("ws://127.0.0.1:9", transport="picows")


class Inner(SockgenModel):
    kind: Literal["a"] = "a"


class Other(SockgenModel):
    kind: Literal["b"] = "b"


class Outer(SockgenModel):
    type: Literal["ev"] = "ev"
    payload: Inner | Other = Field(discriminator="kind")


NESTED: ChannelSpec[Outer] = ChannelSpec(
    path="/", server_events=TypeAdapter(Outer), event_names={Outer: "ev"}, tag="type"
)


def test_an_unknown_tag_inside_a_known_event_is_a_malformed_event() -> None:
    assert drift(NESTED, '{"type": "ev", "payload": {"kind": "c"}}') is None
    assert drift(NESTED, '{"type": "new", "payload": {"kind": "a"}}') == ("unknown_event", "new")
