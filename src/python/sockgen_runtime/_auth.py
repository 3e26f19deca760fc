"""The handshake's credentials: what a spec's security schemes put in the headers and
the query of every connection, and keeping them out of reprs, logs and errors.

A generated client passes its :class:`Security` (the spec's schemes, and the
environment variable each option defaults to) and the credentials its caller gave;
:meth:`Security.resolve` fills the missing ones from the environment, refuses a client
that could not authenticate at all, and returns :class:`Credentials`: the headers and
query parameters to send, whose repr shows no secret.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

from .errors import SockgenError

__all__ = [
    "Credentials",
    "MissingCredentialsError",
    "RedactedLogger",
    "Scheme",
    "Security",
    "redact_url",
]

SchemeKind = Literal["bearer", "basic", "header", "query", "cookie"]


class MissingCredentialsError(SockgenError, ValueError):
    """A client of an API that needs credentials got none (no argument, no variable)."""


@dataclass(frozen=True)
class Scheme:
    """One security scheme: where its credential goes."""

    key: str
    """Its key in the spec's ``securitySchemes``."""
    kind: SchemeKind
    name: str
    """The header, query parameter or cookie (``Authorization`` for bearer and basic)."""
    options: tuple[str, ...]
    """The client options it sends (``api_key``; ``username`` and ``password``)."""


@dataclass(frozen=True, repr=False)
class Credentials:
    """What the handshake carries; its repr names the headers and parameters, never a value."""

    headers: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    """Every secret string (a key, a password, a header value): what logs must not show."""

    def __repr__(self) -> str:
        names = [*self.headers, *(f"?{name}" for name in self.query)]
        return f"Credentials({', '.join(names) or 'none'})"


@dataclass(frozen=True)
class Security:
    """A spec's security, as a generated client passes it: any one scheme will do."""

    schemes: tuple[Scheme, ...]
    env: Mapping[str, str]
    """Option -> the environment variable it defaults to (``api_key`` -> ``ACME_API_KEY``)."""
    optional: bool = False
    """The spec allows connecting without credentials."""

    def resolve(self, client: str, given: Mapping[str, str | None]) -> Credentials:
        """The credentials ``given`` (the client's arguments; None: left out) and the
        environment provide; :class:`MissingCredentialsError` when no scheme can be sent
        and the spec requires one."""
        values = {
            option: given.get(option) or os.environ.get(env) or None
            for option, env in self.env.items()
        }
        headers: dict[str, str] = {}
        query: dict[str, str] = {}
        cookies: list[str] = []
        sent = False
        for scheme in self.schemes:
            parts = [values.get(option) for option in scheme.options]
            if not all(parts):
                continue
            sent = True
            first = str(parts[0])
            if scheme.kind == "bearer":
                headers.setdefault(scheme.name, f"Bearer {first}")
            elif scheme.kind == "basic":
                pair = base64.b64encode(f"{first}:{parts[1]}".encode()).decode("ascii")
                headers.setdefault(scheme.name, f"Basic {pair}")
            elif scheme.kind == "header":
                headers.setdefault(scheme.name, first)
            elif scheme.kind == "query":
                query.setdefault(scheme.name, first)
            else:
                cookies.append(f"{scheme.name}={first}")
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        if not sent and self.schemes and not self.optional:
            raise MissingCredentialsError(f"{client} needs credentials: {self._how()}")
        secrets = [v for v in values.values() if v] + [*headers.values(), *query.values()]
        secrets += [quote(v, safe="") for v in query.values()]
        secrets += [quote_plus(v) for v in query.values()]
        return Credentials(headers, query, tuple(sorted(set(secrets), key=len, reverse=True)))

    def _how(self) -> str:
        ways = []
        for scheme in self.schemes:
            args = " and ".join(f"{option}=" for option in scheme.options)
            env = " and ".join(self.env[option] for option in scheme.options)
            ways.append(f"pass {args} or set {env}")
        return "; or ".join(dict.fromkeys(ways))


def redact_url(url: str, secrets: Mapping[str, str]) -> str:
    """``url`` with the values of the query parameters in ``secrets`` shown as ``***``."""
    if not secrets:
        return url
    parts = urlsplit(url)
    pairs = [
        (name, "***" if name in secrets else value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(pairs, safe="*")))


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every secret in it shown as ``***`` (longest first)."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, "***")
    return text


class RedactedLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """The WebSocket library's logger (it logs the handshake's request line and headers
    at DEBUG), with the connection's secrets shown as ``***``."""

    def __init__(self, name: str, secrets: tuple[str, ...]) -> None:
        super().__init__(logging.getLogger(name), {})
        self.secrets = secrets

    def log(self, level: int, msg: object, *args: object, **kwargs: object) -> None:
        if self.isEnabledFor(level):
            try:
                text = str(msg) % args if args else str(msg)
            except (TypeError, ValueError):  # as logging itself would show it, near enough
                text = f"{msg} {args!r}"
            shown = redact(text, self.secrets)
            self.logger.log(level, "%s", shown, **kwargs)  # type: ignore[arg-type,unused-ignore]
