"""Stage 3a: the AsyncAPI front end (3.0, and 2.0 to 2.6).

A document describes one application, a server or a client: 3.x operations
say what it sends (``action: send``) and receives; in 2.x, ``subscribe`` is
what it sends and ``publish`` what it receives. Which side a document takes is
decided from evidence by :mod:`sockgen.frontends.asyncapi.sides` (``direction`` in the config, or
``--direction``, overrides it), and every operation's messages land on the
client or the server side accordingly. Replies go the other way. A channel
message that no operation names keeps the side an operation elsewhere gave
it, or gets one from its own name (both sides when even that is silent).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ... import model as m
from ...errors import SpecError
from ...input.config import Config
from ...input.refs import Location, Resolver
from ...names.identifiers import class_prefix
from ...names.layout import channel_modules
from ...names.naming import pascal
from .. import replies as replies_of
from ..base import FrontEnd, param_name, query_params
from ..events import payload_message, plan
from ..schema import TAG_PREFERENCE, SchemaConverter, check_schema_format
from ..security import Security, requirements
from . import sides
from .wording import pair_clues


@dataclass
class Directions:
    """One channel's message locations, by the side that sends them."""

    client: list[Location]
    server: list[Location]

    def add(self, locs: list[Location] | tuple[Location, ...], to_server: bool) -> None:
        target = self.client if to_server else self.server
        target.extend(loc for loc in locs if loc not in target)


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
        self.auth = Security([], True, [])
        self.requests: dict[Location, tuple[str, tuple[Location, ...]]] = {}
        """A client request's message -> the channel and the messages of its reply."""
        self.answering: set[Location] = set()
        """The messages that reply to a server's request (a client sends them)."""
        self.message_at: dict[str, Location] = {}
        """A message's class name -> the message (where warnings about it point)."""

    # --- top level --------------------------------------------------------------

    def api(self) -> m.Api:
        channels_node = self.doc.get("channels") or {}
        if not isinstance(channels_node, Mapping):
            raise self.root.at("channels").error("'channels' must be an object")
        modules = channel_modules(str(k) for k in channels_node)
        directions = self._directions(channels_node)
        server = self._server()
        reqs = requirements(
            self.resolver,
            server.node.get("security"),
            server.at.at("security"),
            self.root.at("components", "securitySchemes"),
            self.v3,
        )
        self.auth = self.read_auth(reqs)
        channels = [
            self._channel(str(key), modules[str(key)], directions[str(key)], server)
            for key in channels_node
        ]
        self._link_replies(channels)
        answering = {str(self._target(loc).at("payload")) for loc in self.answering}
        answers = {
            msg.name for c in channels for msg in c.client_messages if msg.source in answering
        }
        replies_of.pair_by_correlation(
            channels,
            self.conv,
            self.config,
            answers,
            lambda msg, text: self.conv.warn(self.message_at[msg.name].at("correlationId"), text),
        )
        replies_of.suggest_pairs(
            channels,
            self.conv,
            self.config,
            lambda msg, text: self.conv.warn(self.message_at[msg.name], text),
        )
        base_url = server.base_url
        if base_url and self.v3 and server.pathname not in ("", "/"):
            # a channel address that repeats the server's pathname already carries it
            if channels and all(c.path.startswith(server.pathname) for c in channels):
                base_url = base_url[: len(base_url) - len(server.pathname)]
        api = self.make_api(channels, base_url, self.auth)
        api.side = self.side.report()
        return api

    def _server(self) -> Server:
        """The first ws/wss server: base URL, pathname, query parameters it implies."""
        servers = self.doc.get("servers") or {}
        for key, server in servers.items() if isinstance(servers, Mapping) else ():
            node, at = self.resolver.deref(server, self.root.at("servers", str(key)))
            if not isinstance(node, Mapping):
                continue
            protocol = str(node.get("protocol", "")).lower()
            if protocol not in ("ws", "wss"):
                continue
            if self.v3:
                host, pathname = str(node.get("host", "")), str(node.get("pathname", "") or "")
                raw = f"{host}{pathname}"
            else:
                raw = str(node.get("url", ""))
                raw = raw.split("://", 1)[1] if "://" in raw else raw
                pathname = "/" + raw.split("/", 1)[1] if "/" in raw else ""
            if not raw:
                continue
            declared = node.get("variables")
            variables: Mapping[str, Any] = declared if isinstance(declared, Mapping) else {}
            base, query = self._server_url(f"{protocol}://{raw}", variables, at)
            return Server(base, pathname.split("?", 1)[0], query, node, at)
        return Server(None, "", [], {}, self.root)

    def _server_url(
        self, url: str, variables: Mapping[str, Any], at: Location
    ) -> tuple[str | None, list[m.Param]]:
        """``url`` with its ``{variables}`` filled from their defaults.

        A variable without a default in the query string becomes a required query
        parameter of every channel; one in the host or path leaves no base URL
        (the user passes ``base_url``).
        """
        address, _, query = url.partition("?")
        base = _fill_variables(address, variables)
        params: list[m.Param] = []
        kept: list[str] = []
        taken: set[str] = set()
        for pair in filter(None, query.split("&")):
            name, _, raw = pair.partition("=")
            filled = _fill_variables(raw, variables)
            if filled is not None:
                kept.append(f"{name}={filled}")
                continue
            var = variables.get(raw.strip("{}"))
            description = str(var.get("description") or "") if isinstance(var, Mapping) else ""
            params.append(m.Param(param_name(name, taken), name, m.Prim("str"), True, description))
        full = (base or "") + ("?" + "&".join(kept) if kept else "")
        if base is None or not _usable_url(full):
            self.conv.warn(at, "the server URL is not usable as it is; clients pass base_url")
            return None, params
        return full, params

    # --- which messages go which way ---------------------------------------------

    def _directions(self, channels: Mapping[str, Any]) -> dict[str, Directions]:
        """Channel key -> its client and server message locations."""
        ops = self._operations_v3(channels) if self.v3 else self._operations_v2(channels)
        facts = {loc: self._facts(loc) for op in ops for loc in (*op.messages, *op.replies)}
        info = self.doc.get("info") if isinstance(self.doc.get("info"), Mapping) else {}
        document = sides.Document(
            self.root,
            ops,
            facts,
            v2=not self.v3,
            title=str(info.get("title") or ""),
            description=str(info.get("description") or ""),
        )
        self.side = sides.decide(document, forced=self.config.direction, warn=self.conv.warn)
        out: dict[str, Directions] = {str(k): Directions([], []) for k in channels}
        known: dict[Location, bool] = {}
        for op in ops:
            for reply, locs in ((False, op.messages), (True, op.replies)):
                to_server = self.side.client_sends(op, reply)
                out[op.channel].add(locs, to_server)
                for loc in locs:
                    known.setdefault(loc, to_server)
            if op.replies and self.side.client_sends(op):  # a client's request and its reply
                for loc in op.messages:
                    self.requests.setdefault(loc, (op.reply_channel or op.channel, op.replies))
            elif op.replies:  # the server asks, the client answers
                self.answering.update(op.replies)
        for key in channels:
            self._unowned(str(key), out[str(key)], known)
        return out

    def _unowned(self, key: str, dirs: Directions, known: dict[Location, bool]) -> None:
        """Messages of channel ``key`` that no operation of it names get a side of their own."""
        used = set(dirs.client) | set(dirs.server)
        lone: list[Location] = []
        for loc in self._channel_messages(key):
            target = self._target(loc)
            if target in used:
                continue
            if target in known:
                dirs.add([target], known[target])
            else:
                lone.append(target)
        if not lone:
            return
        facts = {loc: self._facts(loc) for loc in lone}
        pairs = pair_clues({str(loc): list(f.names) for loc, f in facts.items()})
        for loc in lone:
            way, clues = sides.lone_message_way(facts[loc], pairs.get(str(loc)))
            if way is None:
                self.conv.warn(
                    loc,
                    "no operation sends or receives this message and its name does not say which "
                    "way it goes; it is typed on both sides",
                )
                dirs.add([loc], True)
                dirs.add([loc], False)
            else:
                why = max(clues, key=lambda c: c.weight).why
                self.conv.warn(
                    loc,
                    f"no operation names this message; read as "
                    f"{'a client' if way == 'c2s' else 'a server'} message ({why})",
                )
                dirs.add([loc], way == "c2s")

    def _target(self, loc: Location) -> Location:
        """Where a message really lives, through any chain of $refs."""
        return self.resolver.deref(self.resolver.get(loc), loc)[1]

    def _facts(self, loc: Location) -> sides.MessageFacts:
        node = self.resolver.get(loc)
        if not isinstance(node, Mapping):
            raise loc.error("a message must be an object")
        names = [loc.last, *(str(node[k]) for k in ("name", "title") if node.get(k))]
        names += tag_values(self.resolver, node.get("payload"), loc.at("payload"))
        texts = tuple(
            (k, str(node[k])) for k in ("summary", "description") if isinstance(node.get(k), str)
        )
        return sides.MessageFacts(loc, tuple(names), texts)

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
        if not isinstance(messages, Mapping):
            raise chan_loc.at("messages").error("'messages' must be an object")
        return [chan_loc.at("messages", str(k)) for k in messages]

    def _op_messages(self, op: Mapping[str, Any], at: Location, key: str) -> list[Location]:
        refs = op.get("messages")
        if refs is None:
            return [self._target(loc) for loc in self._channel_messages(key)]
        if not isinstance(refs, list):
            raise at.at("messages").error("'messages' must be a list of $refs")
        out = []
        for i, ref in enumerate(refs):
            if not isinstance(ref, Mapping) or "$ref" not in ref:
                raise at.at("messages", i).error("an operation message must be a $ref")
            out.append(self._target(self.resolver.target(ref["$ref"], at.at("messages", i))))
        return out

    def _operations_v3(self, channels: Mapping[str, Any]) -> list[sides.Operation]:
        ops_node = self.doc.get("operations") or {}
        if not isinstance(ops_node, Mapping):
            raise self.root.at("operations").error("'operations' must be an object")
        out = []
        for op_key, op in ops_node.items():
            at = self.root.at("operations", str(op_key))
            node, at = self.resolver.deref(op, at)
            if not isinstance(node, Mapping):
                raise at.error("an operation must be an object")
            action = node.get("action")
            if action not in ("send", "receive"):
                raise at.at("action").error(
                    f"operation action must be 'send' or 'receive', got {action!r}"
                )
            key = self._channel_key(node.get("channel"), at.at("channel"), channels)
            messages = self._op_messages(node, at, key)
            reply = node.get("reply")
            replies: list[Location] = []
            reply_key = key
            if reply is not None:
                reply, reply_at = self.resolver.deref(reply, at.at("reply"))
                if not isinstance(reply, Mapping):
                    raise reply_at.error("'reply' must be an object")
                reply_key = (
                    self._channel_key(reply["channel"], reply_at.at("channel"), channels)
                    if "channel" in reply
                    else key
                )
                replies = self._op_messages(reply, reply_at, reply_key)
            out.append(
                sides.Operation(
                    at=at,
                    key=str(op_key),
                    channel=key,
                    app_sends=action == "send",
                    messages=tuple(messages),
                    replies=tuple(replies),
                    has_reply=reply is not None,
                    reply_channel=reply_key,
                    texts=_texts(node),
                )
            )
        return out

    def _operations_v2(self, channels: Mapping[str, Any]) -> list[sides.Operation]:
        out = []
        for key in channels:
            chan_loc = self.root.at("channels", str(key))
            chan, chan_loc = self.resolver.deref(self.resolver.get(chan_loc), chan_loc)
            for verb in ("publish", "subscribe"):
                op = chan.get(verb) if isinstance(chan, Mapping) else None
                if not isinstance(op, Mapping):
                    continue
                op_loc = chan_loc.at(verb)
                messages = self._v2_messages(op, op_loc)
                out.append(
                    sides.Operation(
                        at=op_loc,
                        key=str(op.get("operationId") or f"{key} {verb}"),
                        channel=str(key),
                        # 2.x: 'subscribe' is what the described application sends
                        app_sends=verb == "subscribe",
                        messages=tuple(messages),
                        texts=_texts(op),
                        named="operationId" in op,
                    )
                )
        return out

    def _v2_messages(self, op: Mapping[str, Any], at: Location) -> list[Location]:
        msg = op.get("message")
        if msg is None:
            return []
        node, loc = self.resolver.deref(msg, at.at("message"))
        if isinstance(node, Mapping) and "oneOf" in node and "payload" not in node:
            if not isinstance(node["oneOf"], list):
                raise loc.at("oneOf").error("'oneOf' must be a list of messages")
            return [self._target(loc.at("oneOf", i)) for i in range(len(node["oneOf"]))]
        return [loc]

    # --- one channel --------------------------------------------------------------

    def _channel(self, key: str, module: str, dirs: Directions, server: Server) -> m.Channel:
        chan_loc = self.root.at("channels", key)
        chan, chan_loc = self.resolver.deref(self.resolver.get(chan_loc), chan_loc)
        if not isinstance(chan, Mapping):
            raise chan_loc.error("a channel must be an object")
        path = str(chan.get("address") or "/") if self.v3 else key
        if not path.startswith("/"):
            path = "/" + path
        fern = _fern_examples(chan)
        client_msgs = self._messages(dirs.client, fern)
        server_msgs = self._messages(dirs.server, fern)
        forced = self.config.discriminator
        path_params = self._path_params(chan, chan_loc, path)
        query = self._query_params(chan, chan_loc, server)
        headers = self._header_params(chan, chan_loc, server)
        taken = {p.name for p in [*path_params, *query, *headers]}
        extra_query, extra_headers = self._unplaced_params(chan, chan_loc, path, taken)
        return m.Channel(
            key=key,
            module=module,
            class_prefix=class_prefix(module),
            path=path,
            path_params=path_params,
            query_params=[*query, *extra_query],
            header_params=[*headers, *extra_headers],
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
            key = _message_name(node, target)
            if "schemaFormat" in node:  # AsyncAPI 2: the message's payload is in that format
                check_schema_format(node["schemaFormat"], target.at("schemaFormat"))
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
                msg.correlation = self._correlation(node, target)
                self.message_at.setdefault(msg.name, target)
                if all(existing.name != msg.name for existing in out):
                    out.append(msg)
        return out

    def _correlation(self, node: Mapping[str, Any], at: Location) -> str | None:
        """The payload property a message's ``correlationId`` names: ``reqid``, or a nested
        one's wire names joined by ``/`` (``data/operation_id``)."""
        if "correlationId" not in node:
            return None
        found, loc = self.resolver.deref(node["correlationId"], at.at("correlationId"))
        location = str(found.get("location") or "") if isinstance(found, Mapping) else ""
        prefix = "$message.payload#/"
        tokens = location[len(prefix) :].split("/") if location.startswith(prefix) else []
        names = [t.replace("~1", "/").replace("~0", "~") for t in tokens]
        if not names or not all(names) or (len(names) > 1 and any("/" in n for n in names)):
            self.conv.warn(
                loc.at("location"),
                f"correlationId {location!r} names no payload property sockgen can read: "
                "requests and replies are paired in order",
            )
            return None
        return names[0] if len(names) == 1 else "/".join(names)

    def _pairing_field(
        self, request_at: Location, requests: list[m.Message], replies: list[m.Message]
    ) -> str | None:
        """The property a request and its replies are paired by: the one every
        ``correlationId`` names (or the request's alone, when every reply has it), and
        every message of the pair carries; else None (in order, with a warning)."""
        correlations = {msg.correlation for msg in [*requests, *replies]}
        field = next(iter(correlations)) if len(correlations) == 1 else None
        asked = {msg.correlation for msg in requests}
        wire = next(iter(asked)) if len(asked) == 1 else None
        if wire is not None:  # the replies carry the request's id
            if all(replies_of.carries(self.conv, msg, wire) for msg in replies):
                field, correlations = wire, {wire}
        if field is not None and not all(
            replies_of.carries(self.conv, msg, field) for msg in [*requests, *replies]
        ):
            self.conv.warn(
                request_at,
                f"the correlationId names {field}, which not every message of the pair has: "
                "paired in order",
            )
            return None
        if len(correlations) > 1:
            self.conv.warn(
                request_at,
                "the request and its replies name different correlationIds "
                f"({', '.join(sorted(str(c) for c in correlations))}): paired in order",
            )
        return field

    def _link_replies(self, channels: list[m.Channel]) -> None:
        """Each client request the operations pair with a reply gets its :class:`Reply`."""
        by_source: dict[str, list[m.Message]] = {}
        for channel in channels:
            for msg in [*channel.client_messages, *channel.server_messages]:
                by_source.setdefault(msg.source, []).append(msg)
        for request_at, (channel_key, reply_locs) in self.requests.items():
            replies = [
                msg
                for loc in reply_locs
                for msg in by_source.get(str(self._target(loc).at("payload")), [])
            ]
            requests = by_source.get(str(request_at.at("payload")), [])
            if not replies or not requests:
                continue
            field = self._pairing_field(request_at, requests, replies)
            names = tuple(dict.fromkeys(msg.name for msg in replies))
            reply = m.Reply(
                names,
                channel_key,
                field,
                str(request_at),
                replies_of.error_replies(names, self.config),
            )
            for msg in requests:
                msg.reply = reply

    def _path_params(self, chan: Mapping[str, Any], at: Location, path: str) -> list[m.Param]:
        declared = chan.get("parameters") or {}

        def lookup(name: str) -> tuple[m.TypeRef, str]:
            node, loc = self.resolver.deref(declared.get(name, {}), at.at("parameters", name))
            node = node if isinstance(node, Mapping) else {}
            return self._param_type(node, loc, name), str(node.get("description") or "")

        return self.path_params(path, lookup)

    def _param_type(self, node: Mapping[str, Any], loc: Location, name: str) -> m.TypeRef:
        """A Parameter Object's type: its 2.x ``schema``, its ``enum``, else ``str``."""
        if "schema" in node:
            return self.conv.convert(node["schema"], loc.at("schema"), pascal(name))
        if isinstance(node.get("enum"), list):
            return m.LiteralType(tuple(str(v) for v in node["enum"]))
        return m.Prim("str")

    def _binding_params(
        self, chan: Mapping[str, Any], at: Location, server: Server, key: str
    ) -> tuple[list[m.Param], Location] | None:
        """The typed properties of the channel's ws binding ``key`` (``query``,
        ``headers``), else its server's, and where they are; None when neither has one."""
        for node, where in ((chan, at), (server.node, server.at)):
            schema = _ws_binding(node, key)
            if schema is not None:
                loc = where.at("bindings", "ws", key)
                return query_params(self.conv, schema, loc, self.resolver), loc
        return None

    def _header_params(
        self, chan: Mapping[str, Any], at: Location, server: Server
    ) -> list[m.Param]:
        """The channel's ws binding ``headers``, else its server's: typed handshake headers."""
        found = self._binding_params(chan, at, server, "headers")
        if found is None:
            return []
        params, loc = found
        return [p for p in params if not self._credential_header(p.wire, loc)]

    def _credential_header(self, header: str, at: Location) -> bool:
        """Whether a security scheme sends ``header`` (then the client's credential does,
        said in a warning, and ``connect()`` does not take it)."""
        for scheme in self.auth.schemes:
            if (
                scheme.kind in ("bearer", "basic", "header")
                and scheme.name.lower() == header.lower()
            ):
                options = " and ".join(f"{o}=" for o in scheme.options)
                self.conv.warn(
                    at,
                    f"the {header!r} header carries security scheme {scheme.key!r}: "
                    f"the client's {options} sends it; connect() does not take it",
                )
                return True
        return False

    def _unplaced_params(
        self, chan: Mapping[str, Any], at: Location, path: str, taken: set[str]
    ) -> tuple[list[m.Param], list[m.Param]]:
        """Channel parameters the address does not use: a header when their ``location``
        says so, else query parameters (each with a warning saying so)."""
        declared = chan.get("parameters")
        if not isinstance(declared, Mapping):
            return [], []
        placed = set(re.findall(r"\{([^{}]+)\}", path))
        query: list[m.Param] = []
        headers: list[m.Param] = []
        for wire in declared:
            if str(wire) in placed:
                continue
            loc = at.at("parameters", str(wire))
            node, loc = self.resolver.deref(declared[wire], loc)
            node = node if isinstance(node, Mapping) else {}
            location = str(node.get("location") or "")
            header = location.startswith("$message.header#/")
            name = location.split("#/", 1)[1] if header else str(wire)
            if header and self._credential_header(name, loc):
                continue
            if location.startswith("$message.payload"):
                self.conv.warn(
                    loc,
                    f"parameter {wire!r} is read from each message's payload "
                    f"({location}); connect() does not take it",
                )
                continue
            param = self._param(node, loc, str(wire), name, taken)
            (headers if header else query).append(param)
            where = f"the {name!r} handshake header" if header else "a query parameter"
            self.conv.warn(
                loc,
                f"parameter {wire!r} is not in the address {path}; "
                f"connect() takes it as {where} ({param.name}=)",
            )
        return query, headers

    def _param(
        self, node: Mapping[str, Any], loc: Location, key: str, wire: str, taken: set[str]
    ) -> m.Param:
        """An optional ``connect()`` keyword from an AsyncAPI Parameter Object (named after
        its ``key``, sent as ``wire``)."""
        t = self._param_type(node, loc, wire)
        default = node.get("default", m.MISSING)
        return m.Param(
            param_name(key, taken),
            wire,
            t,
            False,
            str(node.get("description") or ""),
            default=str(default) if default is not m.MISSING else m.MISSING,
        )

    def _query_params(self, chan: Mapping[str, Any], at: Location, server: Server) -> list[m.Param]:
        """The channel's ws binding query, else its server's, plus what the server URL needs."""
        found = self._binding_params(chan, at, server, "query")
        params = found[0] if found is not None else []
        wires = {p.wire for p in params}
        taken = {p.name for p in params}
        for p in server.query:
            if p.wire not in wires:
                params.append(
                    m.Param(param_name(p.wire, taken), p.wire, p.type, True, p.description)
                )
        return params


def _message_name(node: Mapping[str, Any], at: Location) -> str:
    """``name``, else the message's key; a one-word ``title`` that spells the same words
    with better case wins (``order.createrequest`` titled ``OrderCreateRequest``)."""
    name = str(node.get("name") or at.last or node.get("title") or "message")
    title = node.get("title")
    if isinstance(title, str) and title.isidentifier() and _letters(title) == _letters(name):
        return title
    return name


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _fill_variables(text: str, variables: Mapping[str, Any]) -> str | None:
    """``text`` with each ``{name}`` replaced by its variable's default; None if one has none."""
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        var = variables.get(match.group(1))
        if isinstance(var, Mapping) and isinstance(var.get("default"), (str, int, float)):
            return str(var["default"])
        missing = True
        return match.group(0)

    filled = re.sub(r"\{([^{}]*)\}", value, text)
    return None if missing else filled


def _usable_url(url: str) -> bool:
    """A ws(s) URL with a host, and nothing that would need quoting."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    printable = url.isprintable() and not any(c.isspace() for c in url)
    return parts.scheme in ("ws", "wss") and bool(parts.hostname) and printable


#: The last word of a reply's name that says the request failed.


def _ws_binding(node: Mapping[str, Any], key: str) -> Any:
    """A ws binding's ``query`` or ``headers`` schema, or None."""
    bindings = node.get("bindings") or {}
    ws = bindings.get("ws") if isinstance(bindings, Mapping) else None
    return ws.get(key) if isinstance(ws, Mapping) else None


@dataclass
class Server:
    """What a channel takes from the document's first WebSocket server."""

    base_url: str | None
    pathname: str
    query: list[m.Param]
    """Query parameters its URL template asks for (``?apikey={apikey}``)."""
    node: Mapping[str, Any]
    at: Location


def _fern_examples(chan: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Message examples from Fern's ``x-fern-examples`` (by message id)."""
    out: dict[str, list[Any]] = {}
    for example in chan.get("x-fern-examples") or []:
        for msg in example.get("messages") or [] if isinstance(example, Mapping) else []:
            if isinstance(msg, Mapping) and "messageId" in msg and "value" in msg:
                out.setdefault(str(msg["messageId"]), []).append(msg["value"])
    return out


def _texts(node: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """An operation's prose, for :mod:`sockgen.frontends.asyncapi.sides`."""
    return tuple(
        (k, str(node[k]))
        for k in ("title", "summary", "description")
        if isinstance(node.get(k), str)
    )


def tag_values(resolver: Resolver, payload: Any, at: Location, depth: int = 0) -> list[str]:
    """The values a payload pins its tag properties to (``type: session.created``).

    Looks into the payload object, its ``allOf`` parts and its ``oneOf``/``anyOf``
    members, one level deep; only properties named like tags count.
    """
    if depth > 2 or not isinstance(payload, Mapping):
        return []
    try:
        node, loc = resolver.deref(payload, at)
    except SpecError:  # a broken $ref is reported where the schema is converted
        return []
    if not isinstance(node, Mapping):
        return []
    if "schemaFormat" in node and "schema" in node:  # a Multi Format Schema Object
        return tag_values(resolver, node["schema"], loc.at("schema"), depth + 1)
    found: list[str] = []
    props = node.get("properties")
    if isinstance(props, Mapping):
        for prop, schema in props.items():
            if str(prop) not in TAG_PREFERENCE:
                continue
            try:
                schema, _ = resolver.deref(schema, loc.at("properties", str(prop)))
            except SpecError:
                continue
            if not isinstance(schema, Mapping):
                continue
            if isinstance(schema.get("const"), str):
                found.append(schema["const"])
            elif isinstance(schema.get("enum"), list) and len(schema["enum"]) == 1:
                found.append(str(schema["enum"][0]))
    for key in ("allOf", "oneOf", "anyOf"):
        parts = node.get(key)
        if isinstance(parts, list):
            for i, part in enumerate(parts):
                found += tag_values(resolver, part, loc.at(key, i), depth + 1)
    return found
