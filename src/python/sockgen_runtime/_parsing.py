"""Turning frames into events: one ``TypeAdapter`` per channel, straight from the frame."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, Literal, NoReturn, TypeVar

from pydantic import TypeAdapter, ValidationError

ServerT = TypeVar("ServerT")

InvalidKind = Literal["invalid_json", "invalid_msgpack", "unknown_event", "validation_error"]


@dataclass(frozen=True)
class InvalidMessage:
    """A frame that did not become an event. The connection goes on."""

    kind: InvalidKind
    """``invalid_json``: not JSON; ``invalid_msgpack``: a binary frame of a MessagePack
    channel that is no MessagePack value; ``unknown_event``: its tag names no known event;
    ``validation_error``: JSON (or MessagePack) of the wrong shape."""
    raw: str | bytes
    """The frame: text, or bytes for a MessagePack frame."""
    error: ValidationError


@dataclass(frozen=True)
class HandlerError:
    """An exception raised by one of the user's event handlers."""

    kind: Literal["handler_error"]
    raw: None
    error: BaseException
    event: object


ErrorEvent = InvalidMessage | HandlerError
"""What ``on("error")`` handlers receive."""

Tag = str | int | float | bool | None
"""A tag property's value: a JSON scalar."""


@dataclass(frozen=True)
class UnknownEvent:
    """A server event the spec does not describe, delivered as it came.

    Only with ``connect(..., unknown_events="deliver")`` (or a handler class's
    ``unknown_events = "deliver"``); by default such a frame goes to ``on("error")``
    as an :class:`InvalidMessage`. The connection's event type then includes this
    class, so an exhaustive ``match`` over the events must handle it.
    """

    tag: Tag
    """The value of the channel's tag property (``type``, ``action``...); None without one."""
    reason: Literal["unknown_event", "unknown_value"]
    """``unknown_event``: its tag names no event of the channel. ``unknown_value``: a known
    event with a value its spec does not list (an enum member or a constant)."""
    data: dict[str, Any]
    """The frame's JSON (or MessagePack) object."""
    raw: str | bytes
    """The frame: text, or bytes for a MessagePack frame."""
    error: ValidationError
    """Why it is not one of the spec's events."""


_VALUE_ERRORS = frozenset({"literal_error", "enum"})
"""Validation errors that mean "a value the spec does not list", nothing else."""


def _scalar(value: object) -> bool:
    """A JSON string, number or boolean (what a tag or an enum member can be)."""
    return isinstance(value, str | int | float | bool)


def classify(error: ValidationError) -> InvalidKind:
    first = error.errors(include_url=False, include_context=False, include_input=False)
    kind = first[0]["type"] if first else ""
    if kind == "json_invalid":
        return "invalid_json"
    if error.title == MSGPACK_TITLE:
        return "invalid_msgpack"
    if kind == "union_tag_invalid":
        return "unknown_event"
    return "validation_error"


def _no_events(frame: str | bytes, **_: Any) -> NoReturn:
    """The validator of a channel without JSON server events: every frame is unknown."""
    raise ValidationError.from_exception_data(
        "no server events",
        [
            {
                "type": "union_tag_invalid",
                "loc": (),
                "input": frame,
                "ctx": {"discriminator": "the spec", "tag": "any", "expected_tags": "none"},
            }
        ],
    )


MSGPACK_TITLE = "MessagePack frame"
"""The title of the :class:`ValidationError` a frame that is no MessagePack value raises."""

BinaryEvents = Literal["raw", "msgpack", "mixed"]
"""What the server's binary frames are: raw bytes for ``on("raw_data")``, MessagePack
events, or either (a frame that is no MessagePack event is raw data)."""


@dataclass(frozen=True)
class ChannelSpec(Generic[ServerT]):
    """What the runtime needs to know about one channel; generated once per channel.

    ``server_events`` validates every incoming text frame; ``event_names`` maps
    each event model to the name its ``on(...)`` handlers are registered under.
    """

    path: str
    server_events: TypeAdapter[ServerT] | None
    """None for a channel whose server sends no JSON events: every text frame is unknown."""
    event_names: Mapping[type, str]
    name: str = ""
    raw_text: bool = False
    """Server text frames are plain strings, not JSON (validated as the string itself)."""
    client_raw_text: bool = False
    """Client ``str`` messages are sent as they are, not as JSON strings."""
    tag: str | None = None
    """The wire property that tells the server's events apart (``type``), when they have one."""
    server_binary: BinaryEvents = "raw"
    """What the server's binary frames are (MessagePack events validate like JSON ones)."""
    text_events: TypeAdapter[Any] | None = None
    """A channel whose server sends ``text/plain`` events next to JSON ones: what a text
    frame that is not JSON is, as the bare text."""
    client_msgpack: frozenset[type] = frozenset()
    """The client events sent as MessagePack binary frames."""
    client_events: TypeAdapter[Any] | None = None
    """A channel whose client sends both JSON and MessagePack: what a dict passed to
    ``send()`` is validated as, to know its event (and so its encoding)."""
    known_names: frozenset[str] = field(init=False)
    parse: Callable[[str], ServerT] = field(init=False)
    """One event from one text frame; raises :class:`pydantic.ValidationError`."""
    validate: Callable[..., ServerT] = field(init=False)
    """The core validator's method that ``parse`` wraps; hot loops call ``validate(frame, by_name=False)``."""
    validate_data: Callable[..., ServerT] = field(init=False)
    """An event from decoded data (a MessagePack frame's value)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "known_names", frozenset(self.event_names.values()))
        adapter = self.server_events
        validate: Callable[..., ServerT]
        if adapter is None:
            validate = _no_events
        else:
            # Wire data matches wire names only (``by_name=False``); a Python field
            # name in a frame is an unknown key, kept as an extra. The core
            # validator's own method: no Python wrapper per frame.
            validator = adapter.validator
            validate = validator.validate_python if self.raw_text else validator.validate_json
        object.__setattr__(self, "validate", validate)
        object.__setattr__(
            self,
            "validate_data",
            _no_events if adapter is None else adapter.validator.validate_python,
        )
        object.__setattr__(self, "parse", partial(validate, by_name=False))

    def name_of(self, event: Any) -> str | None:
        return self.event_names.get(type(event))

    def unknown(
        self, frame: str | bytes, error: ValidationError, data: Any = None
    ) -> UnknownEvent | None:
        """The frame as an :class:`UnknownEvent`, when it is a JSON object (or, for a
        binary frame, ``data``: its MessagePack value) that fails only because the spec
        does not list its tag, or a value in it; else None (an error).

        A channel whose events have no tag property cannot tell an unknown event from a
        malformed one: only values in known events are recognised there.
        """
        if self.raw_text:
            return None
        problems = error.errors(include_url=False, include_context=False, include_input=True)
        kinds = {p["type"] for p in problems}
        # a one-event channel's Literal tag, whatever else is wrong with the frame
        on_tag = self.tag is not None and any(
            p["type"] in _VALUE_ERRORS and tuple(p["loc"]) == (self.tag,) for p in problems
        )
        if on_tag or (kinds == {"union_tag_invalid"} and all(p["loc"] == () for p in problems)):
            reason: Literal["unknown_event", "unknown_value"] = "unknown_event"
        elif problems and kinds <= _VALUE_ERRORS and all(_scalar(p["input"]) for p in problems):
            # a string, number or boolean the spec does not list; a null, an object, a list
            # where a listed value belongs is a malformed event (an error), not drift
            reason = "unknown_value"
        else:
            return None
        if isinstance(frame, str):
            try:
                data = json.loads(frame)
            except ValueError:
                return None
        if not isinstance(data, dict):
            return None
        tag = data.get(self.tag) if self.tag is not None else None
        if reason == "unknown_event" and not _scalar(tag):
            return None  # a null, list or object tag: malformed, not an event the spec lacks
        return UnknownEvent(
            tag=tag if _scalar(tag) else None,
            reason=reason,
            data=data,
            raw=frame,
            error=error,
        )
