"""MessagePack frames: what an ``application/msgpack`` message is on the wire.

A MessagePack event is a binary frame holding the same map its JSON twin would hold
(wire names, no unset fields), except that ``bytes`` stay binary (MessagePack ``bin``)
instead of becoming text. Values MessagePack has no type for (datetimes, UUIDs,
decimals) are written as JSON writes them. ``msgpack`` is imported on first use, so
channels without MessagePack messages never load it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import MissingDependencyError

_HINT = (
    "this channel's MessagePack messages need the 'msgpack' package (>=1.1), a requirement "
    "of sockgen-runtime: pip install msgpack"
)


def _module() -> Any:
    try:
        import msgpack  # type: ignore[import-untyped,unused-ignore]  # no stubs (for users)
    except ImportError as exc:
        raise MissingDependencyError(f"{_HINT} ({exc})") from exc
    return msgpack


def pack(message: object) -> bytes:
    """A model (aliases, no unset fields) or a dict, as one MessagePack frame."""
    data = (
        message.model_dump(by_alias=True, exclude_unset=True)
        if isinstance(message, BaseModel)
        else message
    )
    packed: bytes = _module().packb(data, use_bin_type=True, default=_default)
    return packed


def _default(value: Any) -> Any:
    from pydantic_core import to_jsonable_python

    return to_jsonable_python(value)


def unpack(frame: bytes) -> Any:
    """The value one frame holds; a frame that is no single MessagePack value raises
    :class:`pydantic.ValidationError` (``value_error``), as invalid JSON does."""
    msgpack = _module()
    try:
        return msgpack.unpackb(frame, raw=False, strict_map_key=False)
    except (ValueError, TypeError, msgpack.UnpackException) as exc:
        # ExtraData, FormatError, StackError; TypeError: a map or list as a map key
        raise ValidationError.from_exception_data(
            "MessagePack frame",
            [{"type": "value_error", "loc": (), "input": frame, "ctx": {"error": exc}}],
        ) from None
