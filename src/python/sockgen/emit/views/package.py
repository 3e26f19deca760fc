"""The view of a whole package, built in one pass over the model: every file's view.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ... import contract
from ... import model as m
from ...version import VERSION
from ..pycode import Code, ident, literal
from .client import AuthView, ResourceNode, auth_view, resources
from .common import headline, md_block, md_inline, plain_word
from .connection import ChannelView, channel_view
from .models import ModelsModule, models_module
from .placement import ParamNames, place_types
from .readme import Example, ReadmeChannel, channel_sections, example
from .testing import FakeChannelView, fake_view


@dataclass
class PackageView:
    package: Code
    client: Code
    async_client: Code
    title_text: str
    """Raw (templates print it through ``doc``), like ``source_text``."""
    title_md: Code
    description_md: Code
    source_text: str
    source_md: Code
    base_url: Code | None
    example_url: Code
    extra: Code
    extra_text: Code
    version: Code
    sdk_version: Code
    """The SDK's version in its ``pyproject.toml`` (a TOML string)."""
    generator: Code
    """``sockgen 0.2.0``: what wrote the package (raw text, for headers and messages)."""
    runtime: Code
    """The runtime releases the package works with (``"sockgen-runtime>=0.2.0,<0.3"``)."""
    runtime_md: Code
    """The same, for Markdown code spans."""
    contract: Code
    """The runtime contract the package is written against (an int literal)."""
    requirements: list[Code]
    """The package's own requirements, TOML strings."""
    extras: list[tuple[Code, Code]]
    """Its extras (the WebSocket libraries): name, then the runtime's extra as a TOML string."""
    channels: list[ChannelView]
    shared: ModelsModule
    resources: list[ResourceNode]
    example: Example | None
    readme_channels: list[ReadmeChannel]
    fakes: list[FakeChannelView]
    auth: AuthView | None
    """The credentials the clients take, when the spec names security schemes."""

    @property
    def fake_name(self) -> Code:
        """The fake server's class (``FakeChat``; its blocking twin ``SyncFakeChat``)."""
        return Code(f"Fake{self.client}")

    @property
    def unknown_example_imports(self) -> list[Code]:
        """The imports of the README's ``unknown_events`` example, in isort's order."""
        lines = [
            f"from {self.package}.testing import {self.fake_name}",
            "from sockgen_runtime import UnknownEvent",
        ]
        return [Code(line) for line in sorted(lines)]

    @property
    def auth_doc(self) -> str:
        """What the clients' docstring says of their credentials (raw text)."""
        if self.auth is None:
            return ""
        lines = [f"``{name}``: {text}." for name, text in self.auth.options]
        if not self.auth.optional:
            lines.append(
                "Without any of them the client refuses to be made (``MissingCredentialsError``)."
            )
        return "\n\n" + "\n\n".join(lines)

    @property
    def auth_md(self) -> list[Code]:
        """The README's list of credentials: option, where it goes, its variable."""
        return self.auth.readme if self.auth is not None else []

    @property
    def fake_auth_doc(self) -> str:
        """What the fake's client makers say of the credentials they pass (raw text)."""
        if self.auth is None:
            return ""
        return f", with made-up credentials ({self.auth.fake_arguments})"

    @property
    def own_resources(self) -> list[ResourceNode]:
        return [n for n in _post_order(self.resources) if n.own_class]


def _post_order(nodes: list[ResourceNode]) -> Iterator[ResourceNode]:
    for node in nodes:
        yield from _post_order(node.children)
        yield node


def build(api: m.Api) -> PackageView:
    """Every view of ``api``'s package, in one pass over the model."""
    modules = place_types(api)
    params = ParamNames(api, modules)
    channels = [channel_view(api, channel, modules, params) for channel in api.channels]
    base_url = literal(api.base_url) if api.base_url is not None else None
    return PackageView(
        package=ident(api.package),
        client=ident(api.client_class),
        async_client=ident("Async" + api.client_class),
        title_text=headline(api.title),
        title_md=Code(md_inline(headline(api.title)).lstrip("#").strip() or api.package),
        description_md=md_block(api.description),
        source_text=api.source_name,
        source_md=md_inline(api.source_name),
        base_url=base_url,
        example_url=literal(api.base_url or "wss://example.com"),
        extra=literal(api.websockets_extra),
        extra_text=Code(api.websockets_extra if plain_word(api.websockets_extra) else "websockets"),
        version=literal(api.version),
        sdk_version=literal(api.sdk_version or "0.0.0"),
        generator=Code(f"sockgen {VERSION}"),
        runtime=literal(contract.RUNTIME),
        runtime_md=md_inline(contract.RUNTIME),
        contract=Code(str(contract.RUNTIME_CONTRACT)),
        requirements=[
            literal(contract.IMPORTS[m])
            for m in ("sockgen_runtime", "pydantic", "typing_extensions")
        ],
        extras=_extras(api.websockets_extra),
        channels=channels,
        shared=models_module(api, "shared", modules, params, None),
        resources=resources(
            api, {c.module: v for c, v in zip(api.channels, channels, strict=False)}
        ),
        example=example(api, channels),
        readme_channels=channel_sections(api, channels),
        fakes=[fake_view(api, channel) for channel in api.channels],
        auth=auth_view(api),
    )


def _extras(websockets_extra: str) -> list[tuple[Code, Code]]:
    """The SDK's extras: each WebSocket library through the runtime's own extra (Stainless'
    ``websockets_extra_name`` renames the websockets one)."""
    name = websockets_extra if plain_word(websockets_extra) else "websockets"
    runtime = contract.RUNTIME.replace("sockgen-runtime", "sockgen-runtime[{}]", 1)
    out = {name: literal(runtime.format("websockets"))}
    out.setdefault("picows", literal(runtime.format("picows")))
    return [(Code(k), v) for k, v in out.items()]
