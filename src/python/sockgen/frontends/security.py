"""The handshake's credentials: a spec's security schemes as client options.

Both front ends hand this their security requirements (AsyncAPI 3: a server's list of
scheme objects or ``$ref``s to them; AsyncAPI 2 and OpenAPI: requirement objects that
name schemes) and the ``securitySchemes`` they name. Each scheme sockgen can send on a
WebSocket handshake becomes a :class:`~sockgen.model.SecurityScheme` and the client
options it reads (``api_key``; ``username`` and ``password``), each defaulting to an
environment variable named after the API (``ACME_API_KEY``), as Stainless clients do. A
Stainless config's ``client_settings.opts`` names an option, its variable and its scheme
(``api_key: {read_env: OPENAI_API_KEY, auth: {security_scheme: ApiKeyAuth}}``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import model as m
from ..input.refs import Location, Resolver
from ..names.naming import snake

Warn = Callable[[Location, str], None]

#: Client options no credential may take (the client's own keyword arguments).
_TAKEN = frozenset({"base_url", "headers", "websocket_options", "self"})


@dataclass(frozen=True)
class Requirement:
    """One entry of a ``security`` list: a scheme (AsyncAPI 3), or scheme names that all
    apply (AsyncAPI 2 and OpenAPI; none: no credentials needed)."""

    at: Location
    schemes: tuple[tuple[str, Location], ...]
    """(key, where its scheme object is)."""


@dataclass(frozen=True)
class Security:
    schemes: list[m.SecurityScheme]
    optional: bool
    options: list[m.ClientOption]


def requirements(
    resolver: Resolver, node: object, at: Location, schemes_at: Location, v3: bool
) -> list[Requirement]:
    """The entries of the ``security`` list ``node`` at ``at``."""
    if node is None:
        return []
    if not isinstance(node, list):
        raise at.error("'security' must be a list")
    out = []
    for i, item in enumerate(node):
        item_at = at.at(str(i))
        if v3:  # a Security Scheme Object, or a $ref to one
            _, target = resolver.deref(item, item_at)
            key = target.last if target.pointer.startswith(schemes_at.pointer + "/") else str(i)
            out.append(Requirement(item_at, ((key, target),)))
        elif isinstance(item, Mapping):
            names = tuple((str(k), schemes_at.at(str(k))) for k in item)
            out.append(Requirement(item_at, names))
        else:
            raise item_at.error("a security requirement must be an object of scheme names")
    return out


def read_security(
    resolver: Resolver,
    reqs: list[Requirement],
    settings: Mapping[str, Any],
    env_prefix: str,
    warn: Warn,
) -> Security:
    """The schemes ``reqs`` name that a handshake can carry, and the options they read.
    ``settings``: a Stainless config's ``client_settings.opts``."""
    found: dict[str, m.SecurityScheme] = {}
    optional = False
    named = _named_options(settings)
    for req in reqs:
        if not req.schemes:
            optional = True
        for key, loc in req.schemes:
            if key not in found:
                scheme = _scheme(resolver, key, loc, named, warn, found)
                if scheme is not None:
                    found[key] = scheme
    schemes = list(found.values())
    if reqs and not schemes:
        optional = True  # nothing the SDK can send: connecting without is all it can do
    options: dict[str, m.ClientOption] = {}
    for scheme in schemes:
        for option in scheme.options:
            env = named.get(option, (None, None))[1] or f"{env_prefix}_{option.upper()}"
            options.setdefault(option, m.ClientOption(option, env, scheme.description))
    return Security(schemes, optional, list(options.values()))


def _named_options(settings: Mapping[str, Any]) -> dict[str, tuple[str | None, str | None]]:
    """Option -> (its scheme's key, its environment variable), from ``client_settings.opts``."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for option, spec in settings.items() if isinstance(settings, Mapping) else ():
        if not isinstance(spec, Mapping):
            continue
        auth = spec.get("auth")
        scheme = auth.get("security_scheme") if isinstance(auth, Mapping) else None
        env = spec.get("read_env")
        out[snake(str(option))] = (
            str(scheme) if scheme else None,
            str(env) if isinstance(env, str) and env else None,
        )
    return out


def _scheme(
    resolver: Resolver,
    key: str,
    loc: Location,
    named: Mapping[str, tuple[str | None, str | None]],
    warn: Warn,
    found: Mapping[str, m.SecurityScheme],
) -> m.SecurityScheme | None:
    node, at = resolver.deref(resolver.get(loc), loc)
    if not isinstance(node, Mapping):
        raise at.error("a security scheme must be an object")
    kind_name = str(node.get("type", ""))
    scheme = str(node.get("scheme", "")).lower()
    description = str(node.get("description") or "")
    kind: m.AuthKind
    if kind_name in ("httpApiKey", "apiKey") and node.get("in") in ("header", "query", "cookie"):
        kind, name = node["in"], str(node.get("name") or "")
        if not name:
            raise at.at("name").error(f"API key scheme {key!r} names no {node['in']}")
    elif kind_name == "http" and scheme == "bearer" or kind_name in ("oauth2", "openIdConnect"):
        kind, name = "bearer", "Authorization"
    elif kind_name == "http" and scheme == "basic" or kind_name == "userPassword":
        kind, name = "basic", "Authorization"
    else:
        what = f"{kind_name} ({scheme})" if scheme else kind_name or "no type"
        warn(
            at,
            f"security scheme {key!r} is {what}: the SDK does not send it; pass what it "
            "needs in headers= or extra_query=",
        )
        return None
    options = _options(key, kind, named, {o for s in found.values() for o in s.options})
    return m.SecurityScheme(key, kind, name, options, description, str(at))


def _options(
    key: str, kind: m.AuthKind, named: Mapping[str, tuple[str | None, str | None]], taken: set[str]
) -> tuple[str, ...]:
    """The client options a scheme reads: the one the config names for it, else
    ``api_key`` (``username``/``password``), else names made from its key."""
    chosen = [option for option, (scheme, _) in named.items() if scheme == key]
    if chosen:
        return (chosen[0],)
    if kind == "basic":
        first = ("username", "password")
        if not set(first) & taken:
            return first
        return (f"{snake(key)}_username", f"{snake(key)}_password")
    if "api_key" not in taken:
        return ("api_key",)
    own = snake(key)
    return (own if own not in _TAKEN and own not in taken else f"{own}_key",)
