"""Stage 5b: views to files, through Jinja2 templates.

Templates print only escaped fragments (:mod:`sockgen.emit.pycode`); the
environment's ``finalize`` refuses anything else. Each Python module's imports
are computed from its code (:mod:`sockgen.emit.imports`), then the module is
formatted (:mod:`sockgen.emit.formatting`), so what is written is lint-clean and
formatted as it is. The files produced must be the ones ``layout`` predicts.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from ..names.layout import files as layout_files
from . import formatting
from .imports import MARKER, block, statements
from .pycode import Code, UnsafeOutput, docstring, ident, join, literal
from .views import ChannelView, PackageView


def _finalize(value: Any) -> Any:
    if isinstance(value, Code) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if value is None or value == "":
        return ""
    raise UnsafeOutput(f"template printed a value that went through no escaping: {value!r}")


@functools.cache
def _environment() -> jinja2.Environment:
    """The Jinja environment (built once: compiling the templates is most of a small spec's time)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sockgen.emit", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
    )
    env.filters.update(lit=literal, ident=ident, join=join, rendered=Code, doc=docstring)
    env.globals["header"] = _header
    return env


def _header(*paragraphs: str) -> Code:
    """A module docstring's body: paragraphs of (raw) text, wrapped and escaped."""
    return docstring("\n\n".join(paragraphs), 0)


def _module(text: str, local: dict[str, str]) -> str:
    """A rendered module with its imports filled in, formatted."""
    if MARKER in text:
        head, _, body = text.partition(MARKER)
        imports = block(head + body, local)
        body = body.lstrip("\n")
        # isort: two blank lines before a class or def after the imports, else one
        gap = "\n\n\n" if body.startswith(("class ", "def ", "async def ", "@")) else "\n\n"
        text = head + imports + gap + body if imports else head.rstrip("\n") + "\n\n" + body
    return formatting.python(text)


def _locals(view: PackageView, channel: ChannelView | None, importer: str) -> dict[str, str]:
    """Which names a module of a channel (or the package) imports from its neighbours."""
    shared = {str(n): "..shared.models" for n in view.shared.exports}
    if importer == "messages":
        return shared
    if importer == "channel":
        assert channel is not None
        out = {str(n): ".messages" for n in channel.messages.exports}
        out["CHANNEL"] = ".connection"
        out[f"Async{channel.prefix}Connection"] = ".connection"
        return {**shared, **out}
    # _client.py: each channel's resources
    return {
        f"{prefix}{c.prefix}Resource": f".{c.module}.connection"
        for c in view.channels
        for prefix in ("", "Async")
    }


def render(view: PackageView, *, readme: bool = True, pyproject: bool = False) -> dict[str, str]:
    """Every file of the package (and its ``pyproject.toml``), path -> text."""
    env = _environment()
    pkg = str(view.package)
    out: dict[str, str] = {}

    def put(path: str, template: str, local: dict[str, str], **ctx: Any) -> None:
        out[f"{pkg}/{path}"] = _module(env.get_template(template).render(p=view, **ctx), local)

    shared = {str(n): ".models" for n in view.shared.exports}
    put("shared/models.py", "models.py.jinja", {}, view=view.shared, channel=None)
    put(
        "shared/__init__.py", "shared_init.py.jinja", {}, view=view.shared, imports=_imports(shared)
    )
    for c in view.channels:
        put(
            f"{c.module}/messages.py",
            "models.py.jinja",
            _locals(view, c, "messages"),
            view=c.messages,
            channel=c,
        )
        put(f"{c.module}/connection.py", "connection.py.jinja", _locals(view, c, "channel"), c=c)
        put(f"{c.module}/client.py", "handler_client.py.jinja", _locals(view, c, "channel"), c=c)
        put(
            f"{c.module}/__init__.py",
            "channel_init.py.jinja",
            {},
            c=c,
            imports=_imports(_channel_names(view, c)),
        )
    top = {str(view.client): "._client", str(view.async_client): "._client"}
    put("_client.py", "client.py.jinja", _locals(view, None, "client"))
    put("_contract.py", "contract.py.jinja", {})
    # the runtime check first: it runs before anything imports from the runtime
    put(
        "__init__.py",
        "package_init.py.jinja",
        {},
        imports=_imports({**top, "_contract": ".:_contract"}),
    )
    fakes = {str(c.alias): f".:{c.module}" for c in view.fakes}
    put("testing.py", "testing.py.jinja", {**top, **fakes})
    out[f"{pkg}/py.typed"] = ""
    if readme:
        text = env.get_template("README.md.jinja").render(p=view)
        out[f"{pkg}/README.md"] = formatting.markdown(text)
    if pyproject:
        out["pyproject.toml"] = env.get_template("pyproject.toml.jinja").render(p=view)
    _check_layout(pkg, view, out, readme)
    return dict(sorted(out.items()))


def _imports(names: dict[str, str]) -> Code:
    """Import statements for a package ``__init__``: each name from its module."""
    return Code(statements(names, names))


def _channel_names(view: PackageView, c: ChannelView) -> dict[str, str]:
    """What a channel package re-exports, by the module that defines it."""
    shared = {str(n) for n in view.shared.exports}
    names = {
        str(n): "..shared.models" if str(n) in shared else ".messages" for n in c.message_exports
    }
    for prefix in ("", "Async"):
        for kind in ("Connection", "Resource"):
            names[f"{prefix}{c.prefix}{kind}"] = ".connection"
    names[f"{c.prefix}Client"] = ".client"
    return names


def _check_layout(pkg: str, view: PackageView, out: dict[str, str], readme: bool) -> None:
    """The files are the ones ``layout`` predicts (what the Pants plugin maps)."""
    expected = set(layout_files(pkg, [str(c.module) for c in view.channels]))
    if not readme:
        expected.discard(f"{pkg}/README.md")
    produced = {p for p in out if p != "pyproject.toml"}
    if produced != expected:
        raise AssertionError(f"layout drift: {sorted(produced ^ expected)}")
