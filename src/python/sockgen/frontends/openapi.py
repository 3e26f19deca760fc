"""Stage 3b: the OpenAPI 3.0/3.1 front end, driven by a Stainless-style config.

OpenAPI describes the handshake and the event schemas but not which schemas
travel which way; the config's ``resources.<name>.methods.<m>`` with
``type: websocket`` says so (``client_event_schema_uri``,
``server_event_schema_uri``, ``query_params_schema_uri``, ``path``,
``event_name_separator``). Subresources nest. One WebSocket method per
resource. Everything else in a real Stainless config is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .. import model as m
from ..errors import SpecError
from ..input.config import Config
from ..input.refs import Location, Resolver
from ..names.identifiers import class_prefix
from ..names.layout import channel_modules, stainless_websocket_resources
from ..names.naming import pascal, snake
from .base import FrontEnd, query_params
from .events import payload_message, plan
from .schema import SchemaConverter
from .security import requirements


class Events(NamedTuple):
    """One direction's messages, and the discriminator its union declares."""

    messages: list[m.Message]
    discriminator: str | None


class OpenAPIFrontEnd(FrontEnd):
    kind = "openapi"
    versions = r"^3\.[01]\.\d+"
    supported = "3.0, 3.1"
    label = "OpenAPI"

    def __init__(
        self, root: Location, resolver: Resolver, conv: SchemaConverter, config: Config
    ) -> None:
        super().__init__(root, resolver, conv, config)
        if config.document is None:
            raise SpecError(
                "an OpenAPI spec needs a Stainless-style config (--config) naming each WebSocket's "
                "client_event_schema_uri and server_event_schema_uri",
                file=root.doc.name,
            )
        self.cfg_root = Location(config.document, "")

    def api(self) -> m.Api:
        paths = stainless_websocket_resources(self.config.stainless)
        if not paths:
            raise self.cfg_root.at("resources").error(
                "the config has no resource with a 'type: websocket' method"
            )
        keys = ["_".join(p) for p in paths]
        modules = channel_modules(keys)
        channels = [self._channel(path, modules["_".join(path)]) for path in paths]
        servers = self.doc.get("servers") or []
        base_url = None
        if isinstance(servers, list) and servers and isinstance(servers[0], Mapping):
            url = str(servers[0].get("url", ""))
            base_url = url if "://" in url and "{" not in url else None
        reqs = requirements(
            self.resolver,
            self.doc.get("security"),
            self.root.at("security"),
            self.root.at("components", "securitySchemes"),
            v3=False,
        )
        return self.make_api(channels, base_url, self.read_auth(reqs))

    def _resource_loc(self, path: tuple[str, ...]) -> Location:
        loc = self.cfg_root.at("resources", path[0])
        for name in path[1:]:
            loc = loc.at("subresources", name)
        return loc

    def _channel(self, path: tuple[str, ...], module: str) -> m.Channel:
        name, method, at = self._websocket_method(path)
        ws_path = str(method["path"])
        separator = method.get("event_name_separator")
        client = self._events(method["client_event_schema_uri"], at.at("client_event_schema_uri"))
        server = self._events(method["server_event_schema_uri"], at.at("server_event_schema_uri"))
        forced = self.config.discriminator
        client_plan = plan(self.conv, client.messages, at, forced or client.discriminator)
        server_plan = plan(self.conv, server.messages, at, forced or server.discriminator)
        if server_plan.kind in ("smart", "callable"):
            why = (
                f"{server.discriminator!r} does not"
                if server.discriminator
                else "no property that every event pins to one value does"
            )
            raise at.at("server_event_schema_uri").error(
                f"server events must be a discriminated union, but {why} tell them apart "
                f"({', '.join(msg.name for msg in server.messages)})"
            )
        return m.Channel(
            key="_".join(path),
            module=module,
            class_prefix=class_prefix(module),
            path=ws_path if ws_path.startswith("/") else "/" + ws_path,
            path_params=self._path_params(ws_path),
            query_params=self._query(method, at),
            client_messages=client.messages,
            server_messages=server.messages,
            client_union=client_plan,
            server_union=server_plan,
            description=str(method.get("description") or ""),
            event_name_separator=str(separator) if separator else None,
            resource_path=tuple(snake(p) for p in path),
        )

    def _websocket_method(self, path: tuple[str, ...]) -> tuple[str, Mapping[str, Any], Location]:
        """The one ``type: websocket`` method of a resource, checked."""
        res_loc = self._resource_loc(path)
        methods = self.resolver.get(res_loc)["methods"]
        ws = [
            (str(k), v)
            for k, v in methods.items()
            if isinstance(v, Mapping) and v.get("type") == "websocket"
        ]
        if len(ws) > 1:
            names = ", ".join(k for k, _ in ws)
            raise res_loc.at("methods", ws[1][0]).error(
                f"resource {'.'.join(path)!r} has {len(ws)} WebSocket methods ({names}); only one is "
                "allowed per resource: put the others on subresources"
            )
        name, method = ws[0]
        at = res_loc.at("methods", name)
        for required in ("path", "client_event_schema_uri", "server_event_schema_uri"):
            if not isinstance(method.get(required), str):
                raise at.error(f"a websocket method needs '{required}' (a string)")
        return name, method, at

    def _query(self, method: Mapping[str, Any], at: Location) -> list[m.Param]:
        uri = method.get("query_params_schema_uri")
        if not isinstance(uri, str):
            return []
        target = self._schema_target(uri, at.at("query_params_schema_uri"))
        return query_params(
            self.conv, {"$ref": "#" + target.pointer}, Location(target.doc, ""), self.resolver
        )

    def _schema_target(self, uri: str, at: Location) -> Location:
        """A config ``*_schema_uri`` points into the spec (``#/components/schemas/X``)."""
        if not uri.startswith("#"):
            raise at.error(f"schema URI {uri!r} must be a '#/...' pointer into the OpenAPI spec")
        try:
            return self.resolver.target(uri, self.root)
        except SpecError as exc:
            raise at.error(
                f"{uri!r} points to nothing in {self.root.doc.name}: {exc.message}"
            ) from None

    def _events(self, uri: str, at: Location) -> Events:
        """The messages of one direction, and the union's declared discriminator."""
        target = self._schema_target(uri, at)
        node, target = self.resolver.deref(self.resolver.get(target), target)
        if not isinstance(node, Mapping):
            raise target.error("an event schema must be an object")
        declared = node.get("discriminator")
        prop = declared.get("propertyName") if isinstance(declared, Mapping) else None
        prop = prop if isinstance(prop, str) else None
        key = "oneOf" if "oneOf" in node else "anyOf" if "anyOf" in node else None
        messages: list[m.Message] = []
        members = node[key] if key else [{"$ref": "#" + target.pointer}]
        base = Location(target.doc, target.pointer) if key else Location(target.doc, "")
        for i, member in enumerate(members):
            member_loc = base.at(key, i) if key else base
            resolved, real = self.resolver.deref(member, member_loc)
            name = (
                real.last
                if isinstance(member, Mapping) and "$ref" in member
                else (
                    str(resolved.get("title") or f"{target.last}{i + 1}")
                    if isinstance(resolved, Mapping)
                    else target.last
                )
            )
            for msg in payload_message(
                self.conv,
                member,
                member_loc,
                name,
                description=(
                    str(resolved.get("description") or "") if isinstance(resolved, Mapping) else ""
                ),
            ):
                if all(existing.name != msg.name for existing in messages):
                    messages.append(msg)
        return Events(messages, prop)

    def _path_params(self, path: str) -> list[m.Param]:
        paths = self.doc.get("paths")
        item = paths.get(path) if isinstance(paths, Mapping) else None
        declared: dict[str, Any] = {}
        for op in (
            [item, *(v for v in item.values() if isinstance(v, Mapping))]
            if isinstance(item, Mapping)
            else []
        ):
            for p in op.get("parameters") or []:
                p, _ = self.resolver.deref(p, self.root)
                if isinstance(p, Mapping) and p.get("in") == "path":
                    declared[str(p.get("name"))] = p

        def lookup(name: str) -> tuple[m.TypeRef, str]:
            p = declared.get(name, {})
            t: m.TypeRef = (
                self.conv.convert(p["schema"], self.root, pascal(name))
                if "schema" in p
                else m.Prim("str")
            )
            return t, str(p.get("description") or "")

        return self.path_params(path, lookup)
