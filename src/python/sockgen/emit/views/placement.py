"""Where each named type lives (a channel's ``messages.py`` or ``shared/models.py``), and the
``*Param`` dict twin of each type a client sends.
"""

from __future__ import annotations

from collections.abc import Iterable

from ... import model as m
from ...names.naming import unique
from ..pycode import Code, annotation


def place_types(api: m.Api) -> dict[str, str]:
    """Each named type goes to the one channel module that uses it, or to ``shared``."""
    users: dict[str, set[str]] = {name: set() for name in api.types}
    for channel in api.channels:
        roots = [msg.type for msg in [*channel.client_messages, *channel.server_messages]]
        roots += [msg.example_type for msg in channel.server_messages if msg.example_type]
        roots += [msg.example_type for msg in channel.client_messages if msg.example_type]
        roots += [
            p.type for p in [*channel.path_params, *channel.query_params, *channel.header_params]
        ]
        for name in _closure(api, roots):
            users[name].add(channel.module)
    return {
        name: (next(iter(mods)) if len(mods) == 1 else "shared")
        for name, mods in sorted(users.items())
    }


def _closure(api: m.Api, roots: Iterable[m.TypeRef]) -> list[str]:
    """Every named type reachable from ``roots``, each once."""
    seen: dict[str, None] = {}
    stack = [name for t in roots for name in m.refs(t)]
    while stack:
        name = stack.pop()
        if name in seen or name not in api.types:
            continue
        seen[name] = None
        stack.extend(m.refs(api.types[name]))
    return list(seen)


class ParamNames:
    """The ``*Param`` dict twin of every named type a client sends that holds a model."""

    def __init__(self, api: m.Api, modules: dict[str, str]) -> None:
        self.api = api
        self.modules = modules
        roots = [msg.type for c in api.channels for msg in c.client_messages if not msg.binary]
        sent = _closure(api, roots)
        holds_model = {n for n in sent if isinstance(api.types[n], m.ModelDef)}
        changed = True
        while changed:  # aliases of unions of models get twins too
            changed = False
            for n in sent:
                if n not in holds_model and any(r in holds_model for r in m.refs(api.types[n])):
                    holds_model.add(n)
                    changed = True
        taken = set(api.types)
        self.names = {n: unique(f"{n}Param", taken) for n in sent if n in holds_model}

    def of(self, name: str) -> str:
        """The name to use for ``name`` in a dict sent to the server."""
        return self.names.get(name, name)

    def annotation(self, t: m.TypeRef) -> Code:
        return annotation(t, self.of, wire_forms=True)
