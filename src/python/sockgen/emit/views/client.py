"""The view of ``_client.py``: the top-level clients' tree of resources
(``client.room``, ``client.beta.realtime``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ... import model as m
from ...names.naming import pascal, unique
from ..pycode import Code, ident, literal
from .common import attr_name, md_inline
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


@dataclass(frozen=True)
class AuthView:
    """The top-level clients' credentials: the spec's security schemes (``SECURITY``) and
    the keyword arguments they read."""

    schemes: list[Code]
    """``Scheme(...)`` calls, in the spec's order."""
    env: Code
    """Option -> environment variable, a dict literal."""
    optional: bool
    options: list[tuple[Code, str]]
    """Each keyword argument and what it is (raw text, for the docstring)."""
    fake_arguments: Code
    """Credentials the fake's clients pass (the first scheme's options, made up)."""
    readme: list[Code]
    """The README's list: each option, where it is sent, its variable (Markdown)."""

    @property
    def credentials(self) -> Code:
        """The ``credentials=`` dict a client passes its base."""
        pairs = ", ".join(f"{literal(str(name))}: {name}" for name, _ in self.options)
        return Code("{" + pairs + "}")


def auth_view(api: m.Api) -> AuthView | None:
    if not api.security:
        return None
    env = {o.name: o.env for o in api.client_options}
    return AuthView(
        schemes=[
            Code(
                f"Scheme({literal(s.key)}, {literal(s.kind)}, {literal(s.name)}, "
                f"{literal(tuple(s.options))})"
            )
            for s in api.security
        ],
        env=literal(env),
        optional=api.security_optional,
        options=[(ident(o.name), _option_doc(api, o)) for o in api.client_options],
        readme=[_readme_line(api, o) for o in api.client_options],
        fake_arguments=Code(
            ", ".join(
                f"{o}={literal('fake-' + o.replace('_', '-'))}" for o in api.security[0].options
            )
        ),
    )


#: Where each kind of scheme sends its credential; ``{}`` is code (a name, a header).
_WHERE = {
    "bearer": "as a bearer token ({})",
    "basic": "in HTTP basic authentication ({})",
    "header": "in the {} header",
    "query": "as the {} query parameter",
    "cookie": "in the {} cookie",
}
_SHOWN = {"bearer": "Authorization: Bearer ...", "basic": "Authorization: Basic ..."}


def _sent(api: m.Api, option: m.ClientOption, code: Callable[[str], str]) -> str:
    """``sent as the `token` query parameter (scheme `queryKey`)``, code as ``code`` writes it."""
    scheme = next(s for s in api.security if option.name in s.options)
    where = _WHERE[scheme.kind].format(code(_SHOWN.get(scheme.kind, scheme.name)))
    return f"sent {where} (scheme {code(scheme.key)})"


def _option_doc(api: m.Api, option: m.ClientOption) -> str:
    """What the clients' docstring says of one credential (raw text)."""
    sent = _sent(api, option, lambda text: f"``{text}``")
    said = f": {option.description}" if option.description else ""
    return f"{sent}{said}; defaults to the ``{option.env}`` environment variable"


def _readme_line(api: m.Api, option: m.ClientOption) -> Code:
    sent = _sent(api, option, lambda text: f"`{md_inline(text)}`")
    return Code(f"`{md_inline(option.name)}`: {sent}; defaults to `{md_inline(option.env)}`")
