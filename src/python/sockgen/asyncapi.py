"""Stage 3a: the AsyncAPI front end (3.0, and 2.0 to 2.6).

Documents are written from the server's side or the client's. 3.x: an
operation's ``action: send`` is what the described application sends, so a
server-side document's ``send`` operations carry server events. Which side a
document takes is inferred (a ``receive`` operation with a ``reply`` is a
server; a title or description that calls the application a client is a
client; otherwise server, with a warning) and ``direction`` in the config
overrides it. 2.x: ``publish`` carries client events unless the operation's
own summary says it holds server messages (some generators invert 2.x), or
the config says ``direction: server`` (the document's ``publish`` is what the
server publishes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from . import model as m
from .config import Config
from .events import payload_message, plan
from .frontend import FrontEnd, param_name
from .layout import channel_modules
from .naming import pascal
from .refs import Location, Resolver
from .schema import SchemaConverter

_CLIENT_WORDING = re.compile(r"\bclient\b", re.IGNORECASE)
_SERVER_MESSAGES = re.compile(
    r"\bserver\s+(messages?|events?)\b|\bsent by the server\b", re.IGNORECASE
)
_CLIENT_MESSAGES = re.compile(
    r"\bclient\s+(messages?|events?)\b|\bsent by the client\b", re.IGNORECASE
)


class AsyncAPIFrontEnd(FrontEnd):
    kind = "asyncapi"
    versions = r"^(2\.[0-6]|3\.0)\.\d+"
    supported = "2.0 to 2.6, 3.0"
    label = "AsyncAPI"

    def __init__(
        self, root: Location, resolver: Resolver, conv: SchemaConverter, config: Config
    ) -> None:
        super().__init__(root, resolver, conv, config)
        self.v3 = self.version.startswith("3.")

    # --- top level --------------------------------------------------------------

    def api(self) -> m.Api:
        channels_node = self.doc.get("channels") or {}
        if not isinstance(channels_node, Mapping):
            raise self.root.at("channels").error("'channels' must be an object")
        modules = channel_modules(str(k) for k in channels_node)
        directions = self._directions(channels_node)
        channels = [
            self._channel(str(key), modules[str(key)], directions.get(str(key), ([], [])))
            for key in channels_node
        ]
        return self.make_api(channels, self._base_url())

    def _base_url(self) -> str | None:
        servers = self.doc.get("servers") or {}
        for key, server in servers.items() if isinstance(servers, Mapping) else ():
            node, _ = self.resolver.deref(server, self.root.at("servers", key))
            if not isinstance(node, Mapping):
                continue
            protocol = str(node.get("protocol", "")).lower()
            if protocol not in ("ws", "wss"):
                continue
            if self.v3:
                host = str(node.get("host", ""))
                path = str(node.get("pathname", "") or "")
                if host and "{" not in host:
                    return f"{protocol}://{host}{path}"
            else:
                url = str(node.get("url", ""))
                if url and "{" not in url:
                    return url if "://" in url else f"{protocol}://{url}"
        return None

    # --- which messages go which way ---------------------------------------------

    def _perspective(self) -> str:
        if self.config.direction:
            return self.config.direction
        ops = self.doc.get("operations") or {}
        for key, op in ops.items() if isinstance(ops, Mapping) else ():
            node, _ = self.resolver.deref(op, self.root.at("operations", key))
            if isinstance(node, Mapping) and node.get("action") == "receive" and node.get("reply"):
                return "server"
        info = self.doc.get("info") or {}
        text = f"{info.get('title', '')} {info.get('description', '')}"
        if _CLIENT_WORDING.search(text):
            self.conv.warn(
                self.root.at("info"),
                "document taken as written from the client's side "
                "(its title or description says client); set 'direction' in the config to override",
            )
            return "client"
        self.conv.warn(
            self.root,
            "document taken as written from the server's side (send = server events); "
            "set 'direction: client' in the config if it describes a client",
        )
        return "server"

    def _directions(
        self, channels: Mapping[str, Any]
    ) -> dict[str, tuple[list[Location], list[Location]]]:
        """Channel key -> (client message locations, server message locations)."""
        out: dict[str, tuple[list[Location], list[Location]]] = {str(k): ([], []) for k in channels}
        if self.v3:
            self._directions_v3(channels, out)
        else:
            self._directions_v2(channels, out)
        return out

    def _channel_key(self, ref_holder: Any, at: Location, channels: Mapping[str, Any]) -> str:
        if not isinstance(ref_holder, Mapping) or "$ref" not in ref_holder:
            raise at.error("an operation's channel must be a $ref to a channel")
        target = self.resolver.target(ref_holder["$ref"], at)
        for key in channels:
            if target == self.root.at("channels", str(key)):
                return str(key)
        raise at.error(f"channel $ref {ref_holder['$ref']!r} names no channel of this document")

    def _channel_messages(self, key: str) -> list[Location]:
        chan_loc = self.root.at("channels", key)
        chan, chan_loc = self.resolver.deref(self.resolver.get(chan_loc), chan_loc)
        messages = chan.get("messages") or {} if isinstance(chan, Mapping) else {}
        return [chan_loc.at("messages", str(k)) for k in messages]

    def _op_messages(self, op: Mapping[str, Any], at: Location, key: str) -> list[Location]:
        refs = op.get("messages")
        if refs is None:
            return self._channel_messages(key)
        if not isinstance(refs, list):
            raise at.at("messages").error("'messages' must be a list of $refs")
        out = []
        for i, ref in enumerate(refs):
            if not isinstance(ref, Mapping) or "$ref" not in ref:
                raise at.at("messages", i).error("an operation message must be a $ref")
            out.append(self.resolver.target(ref["$ref"], at.at("messages", i)))
        return out

    def _directions_v3(
        self, channels: Mapping[str, Any], out: dict[str, tuple[list[Location], list[Location]]]
    ) -> None:
        server_side = self._perspective() == "server"
        ops = self.doc.get("operations") or {}
        for op_key, op in ops.items() if isinstance(ops, Mapping) else ():
            at = self.root.at("operations", str(op_key))
            node, at = self.resolver.deref(op, at)
            action = node.get("action")
            if action not in ("send", "receive"):
                raise at.at("action").error(
                    f"operation action must be 'send' or 'receive', got {action!r}"
                )
            key = self._channel_key(node.get("channel"), at.at("channel"), channels)
            sent_by_app = action == "send"
            # the app is the server when server_side; server events are what the server sends
            to_client = sent_by_app == server_side
            _add(out[key], self._op_messages(node, at, key), to_client)
            reply = node.get("reply")
            if isinstance(reply, Mapping):
                reply_key = (
                    self._channel_key(reply["channel"], at.at("reply", "channel"), channels)
                    if "channel" in reply
                    else key
                )
                if "messages" in reply:
                    msgs = self._op_messages(reply, at.at("reply"), reply_key)
                else:
                    msgs = self._channel_messages(reply_key)
                _add(out[key], msgs, not to_client)

    def _directions_v2(
        self, channels: Mapping[str, Any], out: dict[str, tuple[list[Location], list[Location]]]
    ) -> None:
        forced = self.config.direction
        for key in channels:
            chan_loc = self.root.at("channels", str(key))
            chan, chan_loc = self.resolver.deref(self.resolver.get(chan_loc), chan_loc)
            for verb in ("publish", "subscribe"):
                op = chan.get(verb) if isinstance(chan, Mapping) else None
                if not isinstance(op, Mapping):
                    continue
                op_loc = chan_loc.at(verb)
                to_client = verb == "subscribe"
                text = f"{op.get('summary', '')} {op.get('description', '')}"
                if forced:
                    to_client = (verb == "publish") == (forced == "server")
                elif _SERVER_MESSAGES.search(text) and not _CLIENT_MESSAGES.search(text):
                    if not to_client:
                        self.conv.warn(
                            op_loc, f"'{verb}' says it holds server messages; read as server events"
                        )
                    to_client = True
                elif _CLIENT_MESSAGES.search(text) and not _SERVER_MESSAGES.search(text):
                    if to_client:
                        self.conv.warn(
                            op_loc, f"'{verb}' says it holds client messages; read as client events"
                        )
                    to_client = False
                _add(out[str(key)], self._v2_messages(op, op_loc), to_client)

    def _v2_messages(self, op: Mapping[str, Any], at: Location) -> list[Location]:
        msg = op.get("message")
        if msg is None:
            return []
        node, loc = self.resolver.deref(msg, at.at("message"))
        if isinstance(node, Mapping) and "oneOf" in node and "payload" not in node:
            return [
                (
                    self.resolver.target(x["$ref"], loc.at("oneOf", i))
                    if isinstance(x, Mapping) and "$ref" in x
                    else loc.at("oneOf", i)
                )
                for i, x in enumerate(node["oneOf"])
            ]
        return [at.at("message")]

    # --- one channel --------------------------------------------------------------

    def _channel(
        self, key: str, module: str, dirs: tuple[list[Location], list[Location]]
    ) -> m.Channel:
        chan_loc = self.root.at("channels", key)
        chan, chan_loc = self.resolver.deref(self.resolver.get(chan_loc), chan_loc)
        if not isinstance(chan, Mapping):
            raise chan_loc.error("a channel must be an object")
        path = str(chan.get("address") or "/") if self.v3 else key
        if not path.startswith("/"):
            path = "/" + path
        fern = _fern_examples(chan)
        client_msgs = self._messages(dirs[0], fern)
        server_msgs = self._messages(dirs[1], fern)
        used = set(dirs[0]) | set(dirs[1])
        for loc in self._channel_messages(key):
            target = self.resolver.deref(self.resolver.get(loc), loc)[1]  # a broken $ref fails here
            if loc not in used and target not in used:
                self.conv.warn(
                    loc, "message is in no operation, so its direction is unknown; left out"
                )
        forced = self.config.discriminator
        return m.Channel(
            key=key,
            module=module,
            class_prefix=pascal(module),
            path=path,
            path_params=self._path_params(chan, chan_loc, path),
            query_params=self._query_params(chan, chan_loc),
            client_messages=client_msgs,
            server_messages=server_msgs,
            client_union=plan(self.conv, client_msgs, chan_loc, forced),
            server_union=plan(self.conv, server_msgs, chan_loc, forced),
            description=str(chan.get("description") or chan.get("summary") or ""),
            resource_path=(module,),
        )

    def _messages(self, locs: list[Location], fern: Mapping[str, list[Any]]) -> list[m.Message]:
        out: list[m.Message] = []
        seen: set[Location] = set()
        for loc in locs:
            node, target = self.resolver.deref(self.resolver.get(loc), loc)
            if target in seen:
                continue
            seen.add(target)
            if not isinstance(node, Mapping):
                raise target.error("a message must be an object")
            key = str(node.get("name") or target.last or node.get("title") or "message")
            examples = []
            for ex in node.get("examples") or []:
                if isinstance(ex, Mapping) and "payload" in ex:
                    examples.append(ex["payload"])
            examples.extend(fern.get(target.last, []))
            for msg in payload_message(
                self.conv,
                node.get("payload"),
                target.at("payload"),
                key,
                description=str(node.get("description") or node.get("summary") or ""),
                examples=examples,
                content_type=node.get("contentType") or self.doc.get("defaultContentType"),
            ):
                if all(existing.name != msg.name for existing in out):
                    out.append(msg)
        return out

    def _path_params(self, chan: Mapping[str, Any], at: Location, path: str) -> list[m.Param]:
        declared = chan.get("parameters") or {}

        def lookup(name: str) -> tuple[m.TypeRef, str]:
            node, loc = self.resolver.deref(declared.get(name, {}), at.at("parameters", name))
            node = node if isinstance(node, Mapping) else {}
            if "schema" in node:
                t: m.TypeRef = self.conv.convert(node["schema"], loc.at("schema"), pascal(name))
            elif isinstance(node.get("enum"), list):
                t = m.LiteralType(tuple(str(v) for v in node["enum"]))
            else:
                t = m.Prim("str")
            return t, str(node.get("description") or "")

        return self.path_params(path, lookup)

    def _query_params(self, chan: Mapping[str, Any], at: Location) -> list[m.Param]:
        bindings = chan.get("bindings") or {}
        ws = bindings.get("ws") if isinstance(bindings, Mapping) else None
        if not isinstance(ws, Mapping) or "query" not in ws:
            return []
        return query_params(self.conv, ws["query"], at.at("bindings", "ws", "query"), self.resolver)


def _fern_examples(chan: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Message examples from Fern's ``x-fern-examples`` (by message id)."""
    out: dict[str, list[Any]] = {}
    for example in chan.get("x-fern-examples") or []:
        for msg in example.get("messages") or [] if isinstance(example, Mapping) else []:
            if isinstance(msg, Mapping) and "messageId" in msg and "value" in msg:
                out.setdefault(str(msg["messageId"]), []).append(msg["value"])
    return out


def query_params(
    conv: SchemaConverter, schema: Any, at: Location, resolver: Resolver
) -> list[m.Param]:
    """Typed connect() parameters from an object schema's properties."""
    node, loc = resolver.deref(schema, at)
    if not isinstance(node, Mapping):
        raise loc.error("query parameters must be an object schema")
    merged = conv.merge_all_of(dict(node), loc) if "allOf" in node else node
    required = set(merged.get("required") or [])
    taken: set[str] = set()
    params = []
    for wire, prop in (merged.get("properties") or {}).items():
        prop_loc = loc.at("properties", str(wire))
        t = conv.convert(prop, prop_loc, pascal(str(wire)))
        resolved, _ = resolver.deref(prop, prop_loc)
        description = (
            str(resolved.get("description") or "") if isinstance(resolved, Mapping) else ""
        )
        default = resolved.get("default", m.MISSING) if isinstance(resolved, Mapping) else m.MISSING
        params.append(
            m.Param(
                name=param_name(str(wire), taken),
                wire=str(wire),
                type=t,
                required=str(wire) in required,
                description=description,
                default=default,
            )
        )
    return params


def _add(
    pair: tuple[list[Location], list[Location]], locs: list[Location], to_client: bool
) -> None:
    target = pair[1] if to_client else pair[0]
    target.extend(loc for loc in locs if loc not in target)
