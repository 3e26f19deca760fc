"""The view of ``_client.py``: the top-level clients' tree of resources
(``client.room``, ``client.beta.realtime``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ... import model as m
from ...names.naming import pascal, unique
from ..pycode import Code, ident
from .common import attr_name
from .connection import ChannelView


@dataclass(frozen=True)
class ResourceNode:
    attr: Code
    cls: Code
    """The class of this attribute (its async twin: ``Async`` + it)."""
    channel: ChannelView | None
    children: list[ResourceNode]
    own_class: bool
    """Whether _client.py defines the class (a namespace, or a channel with children)."""


def resources(api: m.Api, views: dict[str, ChannelView]) -> list[ResourceNode]:
    """The attribute tree of ``Acme``: ``client.room``, ``client.beta.realtime``."""
    tree: dict[str, object] = {}
    for channel in api.channels:
        node = tree
        for part in channel.resource_path[:-1]:
            child = node.setdefault(part, {})
            assert isinstance(child, dict)
            node = child
        leaf = node.setdefault(channel.resource_path[-1], {})
        assert isinstance(leaf, dict)
        leaf[""] = views[channel.module]

    def build_level(level: dict[str, object], trail: tuple[str, ...]) -> list[ResourceNode]:
        out = []
        taken: set[str] = set()
        for part, sub in level.items():
            if not part:
                continue
            assert isinstance(sub, dict)
            view = sub.get("")
            assert view is None or isinstance(view, ChannelView)
            children = build_level(sub, (*trail, part))
            own = bool(children)
            cls = (
                f"_{''.join(pascal(p) for p in (*trail, part))}Resource"
                if own
                else f"{view.prefix}Resource" if view is not None else ""
            )
            out.append(
                ResourceNode(ident(unique(attr_name(part), taken)), ident(cls), view, children, own)
            )
        return out

    return build_level(tree, ())
