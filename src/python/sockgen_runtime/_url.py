"""Building the handshake URL: scheme mapping, path parameters, query strings."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from urllib.parse import quote, urlsplit, urlunsplit

from .errors import SockgenError

_SCHEMES = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}
_PARAM = re.compile(r"\{([^{}]+)\}")


class URLError(SockgenError, ValueError):
    """A URL cannot be built from the given base URL and parameters."""


def websocket_base(base_url: str, protocol: str = "ws") -> tuple[str, str, str, str]:
    """Split ``base_url`` into (scheme, netloc, path, query), mapping http(s) to ws(s).

    A base URL without a scheme (``"localhost:8000"``) takes ``protocol``.
    """
    if "://" not in base_url:
        base_url = f"{protocol}://{base_url}"
    parts = urlsplit(base_url)
    scheme = _SCHEMES.get(parts.scheme.lower())
    if scheme is None:
        raise URLError(
            f"unsupported URL scheme {parts.scheme!r} in {base_url!r} (use ws, wss, http or https)"
        )
    if not parts.netloc:
        raise URLError(f"base URL {base_url!r} has no host")
    return scheme, parts.netloc, parts.path, parts.query


def fill_path(template: str, params: Mapping[str, object]) -> str:
    """Substitute ``{name}`` placeholders, percent-encoding each value as one segment."""
    wanted = _PARAM.findall(template)
    missing = [name for name in wanted if params.get(name) is None]
    if missing:
        raise URLError(f"missing path parameter(s) {', '.join(missing)} for {template!r}")
    unknown = sorted(set(params) - set(wanted))
    if unknown:
        raise URLError(f"unknown path parameter(s) {', '.join(unknown)} for {template!r}")
    return _PARAM.sub(lambda m: quote(_scalar(params[m.group(1)]), safe=""), template)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _scalar(value.value)
    return str(value)


def header_values(params: Mapping[str, object] | None) -> dict[str, str]:
    """Typed header arguments as header values: None is left out, scalars as in the query."""
    return {name: _scalar(value) for name, value in (params or {}).items() if value is not None}


def query_pairs(query: Mapping[str, object]) -> list[tuple[str, str]]:
    """Flatten query parameters: None is left out, lists repeat the key, bools are lowercase."""
    pairs: list[tuple[str, str]] = []
    for key, value in query.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend((key, _scalar(item)) for item in value if item is not None)
        else:
            pairs.append((key, _scalar(value)))
    return pairs


def build_url(
    base_url: str,
    path: str = "",
    *,
    protocol: str = "ws",
    path_params: Mapping[str, object] | None = None,
    query: Mapping[str, object] | None = None,
    extra_query: Mapping[str, object] | None = None,
) -> str:
    """The full ``ws://`` or ``wss://`` URL for a handshake.

    ``extra_query`` overrides ``query`` key by key; both keep the base URL's own query.
    """
    scheme, netloc, base_path, base_query = websocket_base(base_url, protocol)
    filled = fill_path(path, path_params or {})
    full_path = base_path.rstrip("/") + ("/" + filled.lstrip("/") if filled else "")
    merged: dict[str, object] = dict(query or {})
    merged.update(extra_query or {})
    encoded = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query_pairs(merged))
    full_query = "&".join(part for part in (base_query, encoded) if part)
    return urlunsplit((scheme, netloc, full_path or "/", full_query, ""))


def merge_headers(*layers: Mapping[str, str] | None) -> dict[str, str]:
    """Later layers win, compared case-insensitively; the last spelling is kept."""
    merged: dict[str, tuple[str, str]] = {}
    for layer in layers:
        for name, value in (layer or {}).items():
            merged[name.lower()] = (name, value)
    return dict(merged.values())
