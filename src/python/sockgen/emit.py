"""Stage 5: the model to files, through Jinja2 templates.

Templates never see spec text directly: every value they print must be a
:class:`Code` made by one of the filters here (``py`` for a Python literal via
``repr``, ``ident`` for a checked identifier, ``doc`` for a docstring body,
``ann`` for a type), and the environment's ``finalize`` refuses anything else.
So nothing from a spec reaches generated code unescaped.
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import jinja2

from . import model as m
from .layout import files as layout_files
from .naming import pascal, snake

RUNTIME_REQUIREMENT = "sockgen_runtime"


class Code(str):
    """Text that is safe to place in generated source."""


class UnsafeOutput(Exception):
    pass


def _finalize(value: Any) -> Any:
    if isinstance(value, (Code, int)) and not isinstance(value, bool):
        return value
    if value is None or value == "":
        return ""
    raise UnsafeOutput(f"template printed a value that went through no escaping filter: {value!r}")


def py(value: Any) -> Code:
    """A Python literal for a JSON value."""
    if isinstance(value, float) and value != value:  # NaN
        return Code('float("nan")')
    return Code(repr(value))


def ident(name: str) -> Code:
    for part in str(name).split("."):
        if not part.isidentifier() or keyword.iskeyword(part):
            raise UnsafeOutput(f"not an identifier: {name!r}")
    return Code(name)


def doc(text: str, indent: int = 4) -> Code:
    """A docstring body: no closing quotes, no stray backslashes, no trailing quote."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = "".join(c if c.isprintable() or c in "\n\t" else _escape_char(c) for c in text)
    pad = " " * indent
    lines = [line.rstrip() for line in text.split("\n")]
    body = "\n".join([lines[0], *[(pad + line) if line else "" for line in lines[1:]]])
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    return Code(body)


def _escape_char(c: str) -> str:
    code = ord(c)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _rendered(text: str) -> Code:
    """A macro's output: already rendered under ``finalize``."""
    return Code(text)


def cjoin(items: Iterable[Any], sep: str = ", ") -> Code:
    """``join`` for already-escaped items."""
    parts = list(items)
    for part in parts:
        _finalize(part)
    return Code(sep.join(str(p) for p in parts))


_PRIMS = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "None": "None",
    "Any": "Any",
    "datetime": "datetime",
    "date": "date",
    "time": "time",
    "UUID": "UUID",
    "bytes": "bytes",
}


class Imports:
    """What a module's type annotations need from typing, datetime and uuid."""

    def __init__(self) -> None:
        self.typing: set[str] = set()
        self.datetime: set[str] = set()
        self.uuid = False
        self.field = False

    def lines(self) -> list[Code]:
        out = []
        if self.datetime:
            out.append(Code(f"from datetime import {', '.join(sorted(self.datetime))}"))
        if self.typing:
            out.append(Code(f"from typing import {', '.join(sorted(self.typing))}"))
        if self.uuid:
            out.append(Code("from uuid import UUID"))
        return out


def ann(t: m.TypeRef, imports: Imports) -> Code:
    """A type annotation built only from identifiers and ``repr`` literals."""
    if isinstance(t, m.Prim):
        if t.name == "Any":
            imports.typing.add("Any")
        elif t.name in ("datetime", "date", "time"):
            imports.datetime.add(t.name)
        elif t.name == "UUID":
            imports.uuid = True
        return Code(_PRIMS[t.name])
    if isinstance(t, m.LiteralType):
        imports.typing.add("Literal")
        return Code(f"Literal[{', '.join(py(v) for v in t.values)}]")
    if isinstance(t, m.ListType):
        return Code(f"list[{ann(t.item, imports)}]")
    if isinstance(t, m.DictType):
        return Code(f"dict[str, {ann(t.value, imports)}]")
    if isinstance(t, m.NamedRef):
        return ident(t.name)
    members = [x for x in t.members if x != m.NONE]
    nullable = len(members) != len(t.members)
    if m.ANY in members:
        imports.typing.add("Any")
        return Code("Any")
    inner: Code
    if len(members) == 1:
        inner = ann(members[0], imports)
    else:
        imports.typing.add("Union")
        inner = Code(f"Union[{', '.join(ann(x, imports) for x in members)}]")
        if t.discriminator:
            imports.typing.add("Annotated")
            imports.field = True
            inner = Code(f"Annotated[{inner}, Field(discriminator={py(t.discriminator)})]")
    if nullable:
        imports.typing.add("Optional")
        return Code(f"Optional[{inner}]")
    return inner


# --- the view model ---------------------------------------------------------------


@dataclass
class FieldView:
    name: Code
    annotation: Code
    value: Code
    """Everything after ``=``, or empty."""
    description: str


@dataclass
class ClassView:
    name: Code
    description: Code
    fields: list[FieldView]
    source: Code


@dataclass
class AliasView:
    name: Code
    annotation: Code
    description: Code


@dataclass
class ModelsModuleView:
    imports: list[Code]
    shared_imports: list[Code]
    items: list[ClassView | AliasView]
    models: list[Code]


@dataclass
class EventView:
    event: Code
    """The ``on(...)`` name as a literal."""
    annotation: Code
    """The type its handlers receive."""
    typevar: Code
    ignore: Code
    """On the first overload: the base class's ``on(event: str)`` is narrowed on purpose."""


@dataclass
class HelperView:
    name: Code
    model: Code
    params: list[tuple[Code, Code, bool]]
    """(name, annotation, required); optional ones default to NOT_GIVEN."""
    description: Code


@dataclass
class NamespaceView:
    attr: Code
    cls: Code
    helpers: list[HelperView]
    children: list[NamespaceView]


@dataclass
class ParamView:
    name: Code
    wire: Code
    annotation: Code
    required: bool
    default: Code
    description: Code


@dataclass
class ChannelView:
    module: Code
    prefix: Code
    key: Code
    path: Code
    description: Code
    incoming: Code
    outgoing: Code
    incoming_members: list[Code]
    outgoing_members: list[Code]
    incoming_plan: str
    outgoing_plan: str
    discriminator: Code
    tag_groups: list[tuple[Code, list[Code]]]
    """callable plans: tag literal -> members (``'__untagged__'`` for the rest)."""
    outgoing_discriminator: Code
    events: list[EventView]
    event_names: list[tuple[Code, Code]]
    message_names: list[Code]
    connection_names: list[Code]
    """Channel-module names that connection.py's annotations use."""
    connection_shared: list[Code]
    path_params: list[ParamView]
    query_params: list[ParamView]
    namespaces: list[NamespaceView]
    namespaces_async: list[NamespaceView]
    raw_text: bool
    client_raw_text: bool
    binary_client: list[Code]
    binary_server: list[Code]
    imports: list[Code]
    incoming_expr: Code
    outgoing_expr: Code
    example_event: Code
    example_outgoing: Code
    title: Code
    """The channel key, escaped for docstrings."""
    table: list[tuple[str, Code, Code, Code]]
    """README rows: (direction, event, model, tag) for every event, client's first."""


@dataclass
class ResourceNode:
    attr: Code
    cls: Code
    channel: ChannelView | None
    children: list[ResourceNode] = field(default_factory=list)


# --- building the views ---------------------------------------------------------------


def _order(names: list[str], api: m.Api) -> list[str]:
    """Definitions before use where possible (cycles are fine: models are rebuilt at the end)."""
    wanted = set(names)
    done: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str) -> None:
        if state.get(name):
            return
        state[name] = 1
        for dep in m.refs(api.types[name]):
            if dep in wanted:
                visit(dep)
        state[name] = 2
        done.append(name)

    for name in names:
        visit(name)
    return done


def _field_view(f: m.FieldDef, imports: Imports) -> FieldView:
    annotation = ann(f.type, imports)
    args: list[str] = []
    if f.default is not m.MISSING:
        if f.wire != f.name and (isinstance(f.default, (dict, list)) or "Literal" in annotation):
            # Field(default=...) loses the annotation's context for type checkers
            imports.typing.add("cast")
            args.append(f"default=cast({py(str(annotation))}, {py(f.default)})")
        else:
            args.append(f"default={py(f.default)}")
    elif not f.required:
        args.append("default=None")
    if f.wire != f.name:
        args.append(f"validation_alias={py(f.wire)}")
        args.append(f"serialization_alias={py(f.wire)}")
    if not args:
        return FieldView(ident(f.name), annotation, Code(""), f.description)
    if len(args) == 1 and args[0].startswith("default="):
        return FieldView(ident(f.name), annotation, Code(args[0][len("default=") :]), f.description)
    imports.field = True
    return FieldView(ident(f.name), annotation, Code(f"Field({', '.join(args)})"), f.description)


def models_module(api: m.Api, module: str) -> tuple[ModelsModuleView, Imports]:
    names = sorted(n for n, mod in api.type_modules.items() if mod == module and n in api.types)
    imports = Imports()
    items: list[ClassView | AliasView] = []
    shared_used: set[str] = set()
    for name in _order(names, api):
        definition = api.types[name]
        if isinstance(definition, m.ModelDef):
            fields = [_field_view(f, imports) for f in definition.fields]
            items.append(
                ClassView(
                    ident(name), doc(definition.description or name), fields, doc(definition.source)
                )
            )
        else:
            items.append(
                AliasView(ident(name), ann(definition.type, imports), doc(definition.description))
            )
    for name in names:
        for ref in m.refs(api.types[name]):
            if api.type_modules.get(ref) == "shared" and module != "shared":
                shared_used.add(ref)
    view = ModelsModuleView(
        imports=imports.lines(),
        shared_imports=[ident(n) for n in sorted(shared_used)],
        items=items,
        models=[ident(n) for n in _order(names, api) if isinstance(api.types[n], m.ModelDef)],
    )
    return view, imports


def _union_expr(msgs: list[m.Message], plan: m.UnionPlan, imports: Imports, tag_fn: str) -> Code:
    json_msgs = [msg for msg in msgs if not msg.binary]
    types = [ann(msg.type, imports) for msg in json_msgs]
    if plan.kind == "none" or not types:
        imports.typing.add("Any")
        return Code("Any")
    if len(types) == 1:
        return types[0]
    imports.typing.add("Union")
    if plan.kind == "discriminated" and plan.discriminator:
        imports.typing.add("Annotated")
        imports.field = True
        return Code(
            f"Annotated[Union[{', '.join(types)}], Field(discriminator={py(plan.discriminator)})]"
        )
    if plan.kind == "callable":
        imports.typing.update(("Annotated", "Any"))  # Any: the tag function's argument
        groups = _tag_groups(json_msgs, types)
        parts = []
        for tag, members in groups:
            inner = members[0] if len(members) == 1 else Code(f"Union[{', '.join(members)}]")
            parts.append(f"Annotated[{inner}, Tag({tag})]")
        return Code(f"Annotated[Union[{', '.join(parts)}], Discriminator({ident(tag_fn)})]")
    return Code(f"Union[{', '.join(types)}]")


UNTAGGED = "__untagged__"


def _tag_groups(json_msgs: list[m.Message], types: list[Code]) -> list[tuple[Code, list[Code]]]:
    groups: dict[str, list[Code]] = {}
    for msg, t in zip(json_msgs, types, strict=False):
        key = str(msg.tag[1]) if msg.tag else UNTAGGED
        groups.setdefault(key, []).append(t)
    return [(py(k), v) for k, v in groups.items()]


def _param_view(p: m.Param, imports: Imports) -> ParamView:
    annotation = ann(p.type if p.required else m.optional(p.type), imports)
    # Optional parameters are left out of the URL unless given: the server applies its own default.
    description = p.description
    if p.default is not m.MISSING:
        description = f"{description} (server default: {p.default!r})".strip()
    return ParamView(
        ident(p.name),
        py(p.wire),
        annotation,
        p.required,
        Code("" if p.required else "None"),
        doc(description, 12),
    )


def _namespaces(
    channel: m.Channel, api: m.Api, imports: Imports, sync: bool
) -> list[NamespaceView]:
    sep = channel.event_name_separator
    if not sep:
        return []
    root: dict[str, Any] = {}
    for msg in channel.client_messages:
        model = api.types.get(msg.name)
        if msg.binary or not isinstance(model, m.ModelDef) or sep not in msg.event:
            continue
        *path, leaf = msg.event.split(sep)
        node = root
        for part in path:
            node = node.setdefault(part, {})
        node.setdefault("__helpers__", []).append((leaf, msg, model))
    prefix = ("" if sync else "Async") + channel.class_prefix

    def build(node: dict[str, Any], trail: list[str]) -> list[NamespaceView]:
        out = []
        for part in sorted(k for k in node if k != "__helpers__"):
            sub = node[part]
            attr = _attr(part)
            helpers = []
            for leaf, msg, model in sorted(sub.get("__helpers__", []), key=lambda x: x[0]):
                params = [
                    (ident(f.name), ann(f.type, imports), f.required)
                    for f in model.fields
                    if not (msg.tag and f.wire == msg.tag[0])
                ]
                params.sort(key=lambda p: not p[2])
                helpers.append(
                    HelperView(
                        ident(_attr(leaf)), ident(msg.name), params, doc(model.description, 8)
                    )
                )
            cls = ident(f"_{prefix}{''.join(pascal(t) for t in [*trail, part])}Namespace")
            out.append(NamespaceView(ident(attr), cls, helpers, build(sub, [*trail, part])))
        return out

    return build(root, [])


def _attr(name: str) -> str:
    from .naming import RESERVED_ATTRIBUTES

    attr = snake(name)
    return attr + "_" if attr in RESERVED_ATTRIBUTES else attr


def channel_view(api: m.Api, channel: m.Channel, imports: Imports) -> ChannelView:
    incoming_expr = _union_expr(
        channel.server_messages, channel.server_union, imports, "_incoming_tag"
    )
    # The outgoing union only types send(); nothing parses it, so no callable discriminator.
    client_plan = channel.client_union
    if client_plan.kind == "callable":
        client_plan = m.UnionPlan("smart")
    outgoing_expr = _union_expr(channel.client_messages, client_plan, imports, "_outgoing_tag")
    server_json = [msg for msg in channel.server_messages if not msg.binary]
    client_json = [msg for msg in channel.client_messages if not msg.binary]
    by_event: dict[str, list[str]] = {}
    for msg in server_json:
        if isinstance(msg.type, m.NamedRef) and isinstance(
            api.types.get(msg.type.name), m.ModelDef
        ):
            by_event.setdefault(msg.event, []).append(msg.type.name)
    # The special handlers share on(): "error" also gets invalid frames and handler
    # errors, "raw_data" binary frames; a spec event of the same name adds its model.
    specials = {"error": ["ErrorEvent"], "raw_data": ["bytes"]}
    events = []
    for i, event in enumerate(sorted(set(by_event) | set(specials))):
        names = [*by_event.get(event, []), *specials.get(event, [])]
        annotation = (
            ident(names[0])
            if len(names) == 1
            else Code(f"Union[{', '.join(ident(n) for n in names)}]")
        )
        events.append(
            EventView(
                py(event),
                annotation,
                ident(f"_F{i}"),
                Code("  # type: ignore[override]" if i == 0 else ""),
            )
        )
    names = sorted(
        {
            msg.name
            for msg in [*channel.client_messages, *channel.server_messages]
            if msg.name in api.types
        }
    )
    used = {
        n for msg in [*channel.client_messages, *channel.server_messages] for n in m.refs(msg.type)
    }
    used |= {n for p in [*channel.path_params, *channel.query_params] for n in m.refs(p.type)}
    for msg in channel.client_messages:
        model = api.types.get(msg.name)
        if isinstance(model, m.ModelDef) and channel.event_name_separator:
            used |= {n for f in model.fields for n in m.refs(f.type)}
    local = sorted({n for n in used | set(names) if api.type_modules.get(n) == channel.module})

    def stringy(msgs: list[m.Message]) -> bool:
        return bool(msgs) and all(
            msg.type == m.Prim("str")
            or (
                isinstance(msg.type, m.LiteralType)
                and all(isinstance(v, str) for v in msg.type.values)
            )
            for msg in msgs
        )

    example_event = Code(by_event[sorted(by_event)[0]][0]) if by_event else Code("")
    example_outgoing = next(
        (ident(msg.name) for msg in client_json if msg.name in api.types), Code("")
    )
    return ChannelView(
        module=ident(channel.module),
        prefix=ident(channel.class_prefix),
        key=py(channel.key),
        path=py(channel.path),
        description=doc(channel.description or f"The {channel.key!r} channel."),
        incoming=Code("IncomingMessage"),
        outgoing=Code("OutgoingMessage"),
        incoming_members=[ann(msg.type, imports) for msg in server_json],
        outgoing_members=[ann(msg.type, imports) for msg in client_json],
        incoming_plan=channel.server_union.kind,
        outgoing_plan=channel.client_union.kind,
        discriminator=py(channel.server_union.discriminator or ""),
        tag_groups=(
            _tag_groups(server_json, [ann(msg.type, imports) for msg in server_json])
            if channel.server_union.kind == "callable"
            else []
        ),
        outgoing_discriminator=py(channel.client_union.discriminator or ""),
        events=events,
        event_names=[(ident(n), py(e)) for e, ns in sorted(by_event.items()) for n in ns],
        message_names=[ident(n) for n in names],
        connection_names=[ident(n) for n in local],
        connection_shared=[
            ident(n) for n in sorted(n for n in used if api.type_modules.get(n) == "shared")
        ],
        path_params=[_param_view(p, imports) for p in channel.path_params],
        query_params=[_param_view(p, imports) for p in channel.query_params],
        namespaces=_namespaces(channel, api, imports, sync=True),
        namespaces_async=_namespaces(channel, api, imports, sync=False),
        raw_text=stringy(server_json),
        client_raw_text=stringy(client_json),
        binary_client=[py(msg.event) for msg in channel.client_messages if msg.binary],
        binary_server=[py(msg.event) for msg in channel.server_messages if msg.binary],
        imports=[],
        incoming_expr=incoming_expr,
        outgoing_expr=outgoing_expr,
        example_event=example_event,
        example_outgoing=example_outgoing,
        title=doc(channel.key),
        table=_event_table(channel),
    )


def _md(text: str) -> Code:
    """Inline code for a Markdown table cell."""
    return Code("`" + str(text).replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`")


def _event_table(channel: m.Channel) -> list[tuple[str, Code, Code, Code]]:
    from .inspect import type_text

    rows = []
    for direction, msgs in (
        ("sends", channel.client_messages),
        ("receives", channel.server_messages),
    ):
        for msg in msgs:
            tag = _md(f"{msg.tag[0]}: {json.dumps(msg.tag[1])}") if msg.tag else Code("")
            model = _md(type_text(msg.type)) if not msg.binary else Code("binary frame")
            rows.append((direction, _md(msg.event), model, tag))
    return rows


def resource_tree(api: m.Api, views: dict[str, ChannelView]) -> list[ResourceNode]:
    roots: list[ResourceNode] = []
    for channel in api.channels:
        level = roots
        node: ResourceNode | None = None
        for i, part in enumerate(channel.resource_path):
            node = next((n for n in level if n.attr == part), None)
            if node is None:
                trail = channel.resource_path[: i + 1]
                node = ResourceNode(
                    ident(_attr(part)),
                    ident("_" + "".join(pascal(p) for p in trail) + "Resource"),
                    None,
                )
                level.append(node)
            level = node.children
        if node is not None:
            node.channel = views[channel.module]
    return roots


# --- rendering ------------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sockgen", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
    )
    env.filters.update(py=py, ident=ident, doc=doc, cjoin=cjoin, rendered=_rendered)
    return env


def _tidy(text: str) -> str:
    """At most two blank lines in a row, one newline at the end."""
    text = re.sub(r"\n{4,}", "\n\n\n", text)
    return text.rstrip("\n") + "\n"


def render(api: m.Api, *, readme: bool = True, pyproject: bool = False) -> dict[str, str]:
    env = _environment()
    pkg = api.package
    out: dict[str, str] = {}
    ctx_api = {
        "package": ident(pkg),
        "client": ident(api.client_class),
        "async_client": ident("Async" + api.client_class),
        "title": doc(api.title),
        "description": doc(api.description),
        "base_url": py(api.base_url),
        "has_base_url": api.base_url is not None,
        "source": doc(api.source_name),
        "extra": py(api.websockets_extra),
        "extra_text": Code(
            api.websockets_extra
            if re.fullmatch(r"[A-Za-z0-9_.-]+", api.websockets_extra)
            else "websockets"
        ),
        "version": py(api.version),
    }
    shared_view, shared_imports = models_module(api, "shared")
    out[f"{pkg}/shared/models.py"] = env.get_template("models.py.jinja").render(
        api=ctx_api,
        view=shared_view,
        field_import=shared_imports.field,
        channel=None,
        imports_shared=False,
    )
    out[f"{pkg}/shared/__init__.py"] = env.get_template("shared_init.py.jinja").render(
        api=ctx_api, view=shared_view
    )
    views: dict[str, ChannelView] = {}
    for channel in api.channels:
        mod = channel.module
        view, imports = models_module(api, mod)
        cv = channel_view(api, channel, imports)
        views[mod] = cv
        shared_for_channel = sorted(
            {
                n
                for msg in [*channel.client_messages, *channel.server_messages]
                for n in m.refs(msg.type)
            }
            | {n for p in [*channel.path_params, *channel.query_params] for n in m.refs(p.type)}
            | {n for ns in _all_helpers(cv.namespaces) for n in ns}
        )
        view.shared_imports = sorted(
            set(view.shared_imports)
            | {ident(n) for n in shared_for_channel if api.type_modules.get(n) == "shared"}
        )
        view.imports = imports.lines()
        connection_imports = Imports()
        connection_imports.typing = imports.typing | {
            "Any",
            "Literal",
            "TypeVar",
            "Union",
            "overload",
        }
        connection_imports.datetime = imports.datetime
        connection_imports.uuid = imports.uuid
        cv.imports = connection_imports.lines()
        ctx = {"api": ctx_api, "view": view, "channel": cv, "field_import": imports.field}
        out[f"{pkg}/{mod}/messages.py"] = env.get_template("models.py.jinja").render(
            **ctx, imports_shared=True
        )
        out[f"{pkg}/{mod}/connection.py"] = env.get_template("connection.py.jinja").render(**ctx)
        out[f"{pkg}/{mod}/client.py"] = env.get_template("handler_client.py.jinja").render(**ctx)
        out[f"{pkg}/{mod}/__init__.py"] = env.get_template("channel_init.py.jinja").render(**ctx)
    tree = resource_tree(api, views)
    ctx_top = {
        "api": ctx_api,
        "channels": [views[c.module] for c in api.channels],
        "tree": tree,
        "nodes": list(_post_order(tree)),
    }
    out[f"{pkg}/_client.py"] = env.get_template("client.py.jinja").render(**ctx_top)
    out[f"{pkg}/__init__.py"] = env.get_template("package_init.py.jinja").render(**ctx_top)
    out[f"{pkg}/py.typed"] = ""
    if readme:
        out[f"{pkg}/README.md"] = env.get_template("README.md.jinja").render(**ctx_top)
    if pyproject:
        out["pyproject.toml"] = env.get_template("pyproject.toml.jinja").render(**ctx_top)
    expected = set(layout_files(pkg, [c.module for c in api.channels]))
    if not readme:
        expected.discard(f"{pkg}/README.md")
    produced = {p for p in out if p != "pyproject.toml"}
    assert produced == expected, f"layout drift: {sorted(produced ^ expected)}"
    return {
        path: (text if path.endswith("py.typed") else _tidy(text))
        for path, text in sorted(out.items())
    }


def _post_order(nodes: list[ResourceNode]) -> Iterable[ResourceNode]:
    for node in nodes:
        yield from _post_order(node.children)
        yield node


def _all_helpers(namespaces: list[NamespaceView]) -> Iterable[list[str]]:
    for ns in namespaces:
        yield [str(h.model) for h in ns.helpers]
        yield from _all_helpers(ns.children)
