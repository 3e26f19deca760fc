"""What both front ends (AsyncAPI, OpenAPI) share: their inputs, the version check, the Api."""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping
from typing import Any

from packaging.version import InvalidVersion, Version

from .. import model as m
from ..errors import SpecError
from ..input.config import Config
from ..input.refs import Location, Resolver
from ..names.identifiers import AMBIGUOUS, RESERVED_ATTRIBUTES, RESERVED_CLASS_NAMES
from ..names.naming import pascal, snake, unique
from .replies import apply_config
from .schema import SchemaConverter
from .security import Requirement, Security, read_security


class FrontEnd:
    """A spec kind's reader. Subclasses set ``kind``, ``versions`` and ``supported``."""

    kind: str
    """The top-level key that names the spec kind and holds its version."""
    versions: str
    """A regular expression for the versions this front end reads."""
    supported: str
    label: str
    """How messages name the spec kind (``AsyncAPI``)."""

    def __init__(
        self, root: Location, resolver: Resolver, conv: SchemaConverter, config: Config
    ) -> None:
        self.root = root
        self.doc = root.doc.data
        self.resolver = resolver
        self.conv = conv
        self.config = config
        self.version = str(self.doc.get(self.kind, ""))
        if not re.match(self.versions, self.version):
            raise root.at(self.kind).error(
                f"unsupported {self.label} version {self.version!r} (supported: {self.supported})"
            )

    def path_params(
        self, path: str, lookup: Callable[[str], tuple[m.TypeRef, str]]
    ) -> list[m.Param]:
        """One required parameter per ``{name}`` in ``path`` (a name used twice fills both
        places); ``lookup`` gives its type and description."""
        taken: set[str] = set()
        params = []
        for name in dict.fromkeys(re.findall(r"\{([^{}]+)\}", path)):
            t, description = lookup(name)
            params.append(
                m.Param(
                    name=param_name(name, taken),
                    wire=name,
                    type=t,
                    required=True,
                    description=description,
                )
            )
        return params

    def read_auth(self, security: list[Requirement]) -> Security:
        """The credentials ``security`` names (read before the channels, whose handshake
        headers must not repeat a credential's)."""
        settings = self.config.stainless.get("client_settings")
        opts = settings.get("opts") if isinstance(settings, Mapping) else None
        package = re.sub(r"_(sdk|client)$", "", self.config.package)
        return read_security(
            self.resolver,
            security,
            opts if isinstance(opts, Mapping) else {},
            package.upper(),
            self.conv.warn,
        )

    def make_api(self, channels: list[m.Channel], base_url: str | None, auth: Security) -> m.Api:
        apply_config(channels, self.conv, self.config)  # sockgen.replies: the last word
        info = self.doc.get("info")
        info = info if isinstance(info, dict) else {}
        title = str(info.get("title") or self.root.doc.path.stem)
        client_class = self._client_class(title)
        return m.Api(
            title=title,
            package=self.config.package,
            client_class=client_class,
            security=auth.schemes,
            security_optional=auth.optional,
            client_options=auth.options,
            base_url=base_url,
            channels=channels,
            types=self.conv.types,
            description=str(info.get("description") or ""),
            version=str(info.get("version") or ""),
            sdk_version=self._sdk_version(info),
            websockets_extra=self.config.websockets_extra,
            source_name=self.root.doc.name,
        )

    def _sdk_version(self, info: dict[str, Any]) -> str | None:
        """The SDK's version: the config's (checked), else ``info.version`` as PEP 440 writes it
        (``v1.2`` -> ``1.2``), else none (the CLI, which writes ``pyproject.toml``, warns)."""
        chosen = self.config.sdk_version
        if chosen is not None:
            try:
                return str(Version(chosen))
            except InvalidVersion:
                raise SpecError(
                    f"sdk_version {chosen!r} is not a PEP 440 version (1.2.0, 2.0.0rc1, ...)"
                ) from None
        try:
            return str(Version(str(info.get("version"))))
        except InvalidVersion:
            return None

    def _client_class(self, title: str) -> str:
        """The top-level client's class: the config's, else the title's, clear of every
        other class and import of the package (``Required`` -> ``RequiredClient``)."""
        # every model's class and each channel's classes (generate.py reserved those)
        taken = self.conv.taken | RESERVED_CLASS_NAMES
        chosen = self.config.client_class
        if chosen is not None:
            if chosen in taken or f"Async{chosen}" in taken:
                raise SpecError(
                    f"client_class {chosen!r} is also a name the generated package uses; "
                    "choose another (sockgen.client_class in the config)"
                )
            return chosen
        name = pascal(title)
        if name in taken or f"Async{name}" in taken or keyword.iskeyword(name) or name in AMBIGUOUS:
            name += "Client"
        return unique(name, taken)


def param_name(wire: str, taken: set[str]) -> str:
    """A connect() keyword for a spec parameter: snake_case, clear of the method's own keywords."""
    name = snake(wire)
    reserved = RESERVED_ATTRIBUTES | {
        "on_reconnecting",
        "max_retries",
        "initial_delay",
        "max_delay",
        "max_queue_size",
        "extra_query",
        "extra_headers",
        "websocket_options",
        "headers",
        "path_params",
        "protocol",
    }
    if name in reserved:
        name += "_"
    return unique(name, taken)


def query_params(
    conv: SchemaConverter, schema: Any, at: Location, resolver: Resolver
) -> list[m.Param]:
    """Typed connect() parameters from an object schema's properties."""
    node, loc = resolver.deref(schema, at)
    if not isinstance(node, Mapping):
        raise loc.error("query parameters must be an object schema")
    merged = conv.merge_all_of(dict(node), loc) if "allOf" in node else node
    required = set(merged.get("required") or [])
    properties = merged.get("properties") or {}
    if not isinstance(properties, Mapping):
        raise loc.at("properties").error("'properties' must be an object")
    taken: set[str] = set()
    params = []
    for wire, prop in properties.items():
        prop_loc = loc.at("properties", str(wire))
        t = conv.convert(prop, prop_loc, pascal(str(wire)))
        resolved, _ = resolver.deref(prop, prop_loc)
        described = resolved if isinstance(resolved, Mapping) else {}
        params.append(
            m.Param(
                name=param_name(str(wire), taken),
                wire=str(wire),
                type=t,
                required=str(wire) in required,
                description=str(described.get("description") or ""),
                default=described.get("default", m.MISSING),
            )
        )
    return params
