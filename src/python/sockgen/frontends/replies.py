"""What answers a client event, besides an AsyncAPI 3 operation's ``reply``.

- **A shared correlationId.** A client event whose ``correlationId`` names a top-level
  payload property, on a channel whose server events name the same one, is answered by
  the server event that carries the request's id (AsyncAPI 2.x has no ``reply``; a 3.0
  document may leave it out). sockgen warns, naming the config key that says otherwise.
- **The config** (``sockgen.replies``) has the last word, on any spec: which server
  events answer a client event, and the property that pairs them; ``replies: []``
  removes a reply.

- **A hint, not a guess.** A client event with no reply, and server events of its
  channel, that carry the same id-like property (``operation_id``, ``request_id``, at the
  top or one level down) probably pair, but the spec does not say so: a warning names
  the property and the config entry that would pair them.

Error replies (a reply that says the request failed) are read from the names here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .. import model as m
from ..input.config import Config, ConfiguredReply
from ..names.naming import words
from .schema import SchemaConverter

FAILURE_WORDS = frozenset("error errors failure failed fail rejected rejection denied".split())
"""A reply whose name ends in one of these says the request failed."""


def error_replies(names: tuple[str, ...], config: Config) -> tuple[str, ...]:
    """The replies that say a request failed: the config's ``error_replies``, else those
    whose name ends in a word of failure (``SubscriptionStatusError``, ``Rejected``),
    when another reply is left to say it worked."""
    if config.error_replies is not None:
        return tuple(n for n in names if n in config.error_replies)
    failed = tuple(n for n in names if (words(n) or [""])[-1].lower() in FAILURE_WORDS)
    return failed if len(failed) < len(names) else ()


def wires(conv: SchemaConverter, msg: m.Message) -> set[str]:
    """The wire names of a message's top-level payload properties (none unless a model)."""
    model = conv.model_of(msg.type)
    return {f.wire for f in model.fields} if model is not None else set()


def carries(conv: SchemaConverter, msg: m.Message, path: str) -> bool:
    """Whether a message's payload has the property at ``path`` (``data/operation_id``)."""
    return m.field_path(msg.type, path, conv.types) is not None


def pair_by_correlation(
    channels: Iterable[m.Channel],
    conv: SchemaConverter,
    config: Config,
    answers: set[str],
    warn: Callable[[m.Message, str], None],
) -> None:
    """Give each client event with a ``correlationId`` and no reply the server events of
    its channel whose ``correlationId`` names the same property. ``answers``: the client
    events that are themselves replies (to a server's request), left alone."""
    for channel in channels:
        for request in channel.client_messages:
            field = request.correlation
            if request.reply is not None or field is None or request.name in answers:
                continue
            replies = [
                msg.name
                for msg in channel.server_messages
                if msg.correlation == field and carries(conv, msg, field)
            ]
            if not replies or not carries(conv, request, field):
                continue
            names = tuple(dict.fromkeys(replies))
            request.reply = m.Reply(
                names, channel.key, field, "correlationId", error_replies(names, config)
            )
            warn(
                request,
                f"{request.name} is answered by {' or '.join(names)}: they carry the same "
                f"correlationId ({field}), though no operation's reply says so; set "
                f"sockgen.replies.{request.name} in a config to say otherwise",
            )


_ID_LIKE = re.compile(
    r"(?:^|_)(?:request|req|operation|op|correlation|transaction|command)_?id$", re.I
)
"""A property name that says it identifies one request (not ``id`` alone, nor ``room_id``,
nor ``call_id``, which names a function call in realtime APIs)."""


def _id_paths(conv: SchemaConverter, msg: m.Message) -> set[str]:
    """The id-like properties of a message's payload, at the top or one level down."""
    out: set[str] = set()
    model = conv.model_of(msg.type)
    for f in model.fields if model is not None else []:
        if _ID_LIKE.search(f.wire):
            out.add(f.wire)
        inner = m.model_in(f.type, conv.types)
        for g in inner.fields if inner is not None else []:
            if _ID_LIKE.search(g.wire):
                out.add(f"{f.wire}/{g.wire}")
    return out


def suggest_pairs(
    channels: Iterable[m.Channel],
    conv: SchemaConverter,
    config: Config,
    warn: Callable[[m.Message, str], None],
) -> None:
    """Warn about each client event with no reply (and no config entry) whose id-like
    property server events of its channel carry too: it is likely their request."""
    for channel in channels:
        carried = {msg.name: _id_paths(conv, msg) for msg in channel.server_messages}
        for request in channel.client_messages:
            if request.reply is not None or request.name in config.replies:
                continue
            for path in sorted(_id_paths(conv, request)):
                answers = [name for name, paths in carried.items() if path in paths]
                if answers:
                    warn(
                        request,
                        f"{request.name} and {', '.join(answers)} carry {path}, but the spec "
                        "pairs no reply with it; if they answer it, say so in a config: "
                        f"sockgen.replies.{request.name}: {{replies: [...], correlation: {path}}}",
                    )
                    break


def apply_config(channels: list[m.Channel], conv: SchemaConverter, config: Config) -> None:
    """``sockgen.replies``: each entry replaces its client event's reply (checked: the
    names are the spec's events on one channel, the correlation a property of each)."""
    requests = {msg.name: (c, msg) for c in channels for msg in c.client_messages}
    for name, entry in config.replies.items():
        if name not in requests:
            _refuse(config, entry, "", f"{name} is no client event", sorted(requests))
        channel, request = requests[name]
        if not entry.replies:
            request.reply = None
            continue
        known = [msg.name for msg in channel.server_messages]
        for i, reply in enumerate(entry.replies):
            if reply not in known:
                what = f"{reply} is no server event of the {channel.key} channel"
                _refuse(config, entry, f"/replies/{i}", what, known)
        field = entry.correlation
        if field is not None:
            by_name = {msg.name: msg for msg in channel.server_messages}
            for msg in [request, *(by_name[r] for r in entry.replies)]:
                if not carries(conv, msg, field):
                    what = f"{msg.name} has no property {field!r}"
                    _refuse(config, entry, "/correlation", what, sorted(wires(conv, msg)))
        names = tuple(dict.fromkeys(entry.replies))
        request.reply = m.Reply(
            names, channel.key, field, f"config#{entry.pointer}", error_replies(names, config)
        )


def _refuse(
    config: Config, entry: ConfiguredReply, where: str, what: str, known: list[str]
) -> None:
    message = f"sockgen.replies: {what}; the spec has: {', '.join(known) or 'none'}"
    if config.document is None:  # (entries come from a config document)
        raise AssertionError(message)
    raise config.document.error(message, entry.pointer + where)
