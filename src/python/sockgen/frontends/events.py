"""Shared by the front ends: messages from payload schemas, and how a direction's
messages are told apart on the wire (its :class:`~sockgen.model.UnionPlan`)."""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

from .. import model as m
from ..input.refs import Location
from ..names.naming import pascal, snake
from .schema import TAG_PREFERENCE, SchemaConverter, schema_examples

#: MessagePack media types (``application/msgpack`` is the registered one).
_MSGPACK = ("application/msgpack", "application/x-msgpack", "application/vnd.msgpack")


def encoding_of(content_type: object, schema: Any) -> tuple[m.Encoding, str | None]:
    """How a message of ``content_type`` (the spec's, else None for JSON) and payload
    ``schema`` is framed, and a warning when sockgen does not decode that type."""
    media = content_type.split(";")[0].strip().lower() if isinstance(content_type, str) else ""
    if media in _MSGPACK or media.endswith("+msgpack"):
        return "msgpack", None
    if media in ("application/octet-stream", "audio/*") or media.startswith(
        ("audio/", "video/", "image/")
    ):
        return "binary", None
    if media in ("", "application/json", "text/json") or media.endswith("+json"):
        binary = (
            isinstance(schema, dict)
            and schema.get("type") == "string"
            and schema.get("format") == "binary"
        )
        return ("binary" if binary else "json"), None
    if media == "text/plain":
        return "text", None
    textual = media.startswith("text/") or media.endswith(("/xml", "+xml"))
    kind = "str (text frames)" if textual else "bytes (binary frames)"
    return ("text" if textual else "binary"), (
        f"contentType {content_type!r} is not decoded by sockgen: the message is typed as "
        f"raw {kind}, never parsed as JSON"
    )


def _text_type(conv: SchemaConverter, payload: Any, loc: Location, key: str) -> m.TypeRef:
    """A ``text/plain`` payload's type: its string or enum of strings, else ``str``."""
    t = conv.convert(payload if payload is not None else {"type": "string"}, loc, pascal(key))
    alias = conv.types.get(t.name) if isinstance(t, m.NamedRef) else None
    if isinstance(alias, m.AliasDef):  # a named enum: its values (the frame is the value)
        t = alias.type
    if t == m.Prim("str") or (
        isinstance(t, m.LiteralType) and all(isinstance(v, str) for v in t.values)
    ):
        return t
    conv.warn(loc, "a text/plain payload that is not a string is typed str (the bare text)")
    return m.Prim("str")


def payload_message(
    conv: SchemaConverter,
    payload: Any,
    loc: Location,
    key: str,
    *,
    description: str = "",
    examples: list[Any] | None = None,
    content_type: str | None = None,
) -> list[m.Message]:
    """The messages one payload schema defines: one, or one per member of a union of objects."""
    resolved, _ = conv.resolver.deref(payload, loc) if isinstance(payload, dict) else (payload, loc)
    encoding, warning = encoding_of(content_type, resolved)
    if warning is not None:
        conv.warn(loc, warning)
    message = functools.partial(
        m.Message,
        encoding=encoding,
        content_type=content_type
        or ("application/octet-stream" if encoding == "binary" else "application/json"),
        description=description,
        source=str(loc),
    )
    if encoding == "binary" or warning is not None:  # raw frames, typed as they come
        return [
            message(pascal(key), snake(key), m.Prim("bytes" if encoding == "binary" else "str"))
        ]
    if encoding == "text":
        text = _text_type(conv, payload, loc, key)
        own = schema_examples(resolved, oai_meta=True)
        return [message(pascal(key), "", text, examples=[*(examples or []), *own])]
    with conv.binary_strings(encoding == "msgpack"):
        t = conv.convert(payload if payload is not None else True, loc, pascal(key))
    # a named model's own examples are the model's (Api.examples); the message keeps the rest
    own = conv.examples.get(t.name, []) if isinstance(t, m.NamedRef) else []
    extra = [e for e in schema_examples(resolved, oai_meta=True) if e not in own]
    examples = [*(examples or []), *extra]
    if isinstance(t, m.UnionType) and all(conv.model_of(x) for x in t.members):
        # One message whose payload is a union of objects: each object is its own
        # event; the message's examples are checked against the whole union.
        out = [message(x.name, "", x) for x in t.members if isinstance(x, m.NamedRef)]
        out[0].examples = examples
        out[0].example_type = t
        return out
    name = t.name if isinstance(t, m.NamedRef) else pascal(key)
    return [message(name, "", t, examples=examples)]


def plan(
    conv: SchemaConverter, messages: list[m.Message], loc: Location, forced: str | None
) -> m.UnionPlan:
    """How to tell ``messages`` apart; sets each message's ``tag`` and ``event``. Warns on guesses."""
    # events told apart by their content (bare text frames are told apart by being text)
    json_msgs = [msg for msg in messages if msg.encoding in ("json", "msgpack")]
    tags = [conv.tags.get(msg.name, {}) if conv.model_of(msg.type) else {} for msg in json_msgs]
    chosen = _tag_property(json_msgs, tags, forced)
    for msg, t in zip(json_msgs, tags, strict=False):
        if chosen and chosen in t:
            msg.tag = (chosen, t[chosen])
            msg.event = str(t[chosen])
    for msg in messages:
        if not msg.event:
            msg.event = snake(msg.name)
    if not json_msgs:
        return m.UnionPlan("none")
    if len(json_msgs) == 1:
        return m.UnionPlan("single", chosen if json_msgs[0].tag else None)
    names = ", ".join(msg.name for msg in json_msgs)
    if chosen is None:
        conv.warn(
            loc,
            f"no property tells these {len(json_msgs)} messages apart; "
            f"they are matched by shape ({names})",
        )
        return m.UnionPlan("smart")
    untagged = [msg.name for msg in json_msgs if msg.tag is None]
    values = Counter(repr(msg.tag[1]) for msg in json_msgs if msg.tag)
    shared = sorted(
        {str(msg.tag[1]) for msg in json_msgs if msg.tag and values[repr(msg.tag[1])] > 1}
    )
    if not untagged and not shared:
        return m.UnionPlan("discriminated", chosen)
    if len(values) + (1 if untagged else 0) < 2:
        conv.warn(
            loc, f"every message has the same {chosen!r}; they are matched by shape ({names})"
        )
        return m.UnionPlan("smart")
    parts = []
    if untagged:
        parts.append(f"untagged messages {', '.join(untagged)} are matched by shape")
    if shared:
        parts.append(
            f"tag values shared by several messages ({', '.join(shared)}) "
            "are matched by shape among them"
        )
    conv.warn(loc, f"messages are discriminated by {chosen!r}, but " + "; ".join(parts))
    return m.UnionPlan("callable", chosen)


def _tag_property(
    json_msgs: list[m.Message], tags: list[dict[str, m.JsonScalar]], forced: str | None
) -> str | None:
    """The property that tells most messages apart (``forced`` when given), or None."""
    candidates: list[str] = [forced] if forced else []
    counts: Counter[str] = Counter(p for t in tags for p in t)
    candidates += [p for p in TAG_PREFERENCE if counts[p]]
    if len(json_msgs) > 1:
        # any property that tells several messages apart; a lone message's event name
        # comes from a tag-like property only (not from, say, a one-value 'status' enum)
        candidates += sorted(p for p in counts if p not in TAG_PREFERENCE)
    best: tuple[int, int, str] | None = None
    for prop in candidates:
        covered = [t[prop] for t in tags if prop in t]
        score = (len(covered), len({repr(v) for v in covered}), prop)
        if len(covered) >= min(2, len(json_msgs)) and (best is None or score[:2] > best[:2]):
            best = score
        if prop == forced:
            break
    return best[2] if best else None
