"""The views of ``<channel>/messages.py`` and ``shared/models.py``: models in dependency
order, the ones that need a rebuild, their ``*Param`` dicts, and a channel's unions.
"""

from __future__ import annotations

import functools
import keyword
from collections.abc import Callable
from dataclasses import dataclass, field

from ... import model as m
from ...names.identifiers import AMBIGUOUS
from ..pycode import Code, FieldOf, annotation, discriminator_field, docstring, ident, literal
from .common import is_tag
from .placement import ParamNames

#: What an incoming message without a known tag is grouped under (callable discriminators).
UNTAGGED = "__untagged__"


@dataclass(frozen=True)
class FieldLine:
    name: Code
    annotation: Code
    value: Code
    """What follows ``=``, or nothing."""
    doc: Code


@dataclass(frozen=True)
class ModelClass:
    name: Code
    doc: Code
    fields: list[FieldLine]
    kind: str = "model"


@dataclass(frozen=True)
class Alias:
    name: Code
    value: Code
    doc: Code
    kind: str = "alias"


@dataclass(frozen=True)
class ParamKey:
    wire: Code
    """The key as a string literal."""
    name: Code | None
    """The key as an identifier (class syntax), or None when it is not one."""
    annotation: Code

    @property
    def ambiguous(self) -> bool:
        """``l``, ``O``, ``I``: pycodestyle's E741, which the wire name does not leave to us."""
        return self.name in AMBIGUOUS


@dataclass(frozen=True)
class ParamDict:
    """The ``TypedDict`` twin of a model: what ``send()`` takes as a plain dict."""

    name: Code
    model: Code
    keys: list[ParamKey]
    kind: str = "params"

    @property
    def functional(self) -> bool:
        return any(k.name is None for k in self.keys)


@dataclass(frozen=True)
class TagFunction:
    """A callable discriminator: tagged messages by tag, the rest matched by shape."""

    property: Code
    tags: list[Code]
    untagged: Code


@dataclass(frozen=True)
class ModelsModule:
    """``<channel>/messages.py`` or ``shared/models.py``."""

    items: list[ModelClass | Alias | ParamDict]
    rebuild: list[Code]
    incoming: Code | None = None
    outgoing: Code | None = None
    outgoing_params: Code | None = None
    tag_function: TagFunction | None = None
    exports: list[Code] = field(default_factory=list)
    """Every name the module defines."""


def models_module(
    api: m.Api,
    module: str,
    modules: dict[str, str],
    params: ParamNames,
    channel: m.Channel | None,
) -> ModelsModule:
    """``shared/models.py`` (``channel`` None) or a channel's ``messages.py``."""
    names = sorted(n for n, mod in modules.items() if mod == module)
    ordered = _order(api, names)  # what a definition refers to comes before it, when it can
    field_of = fields_of(api)
    items: list[ModelClass | Alias | ParamDict] = [
        _definition(api.types[name], field_of) for name in ordered
    ]
    rebuild = _rebuilds(api, ordered, modules, module)
    for name in _order(api, [n for n in names if n in params.names]):
        items.append(_param_item(api, name, params))
    defined = [item.name for item in items]
    if channel is None:
        return ModelsModule(items, rebuild, exports=defined)
    return _with_unions(ModelsModule(items, rebuild, exports=defined), channel, params, field_of)


def _definition(definition: m.TypeDef, field_of: FieldOf) -> ModelClass | Alias:
    if isinstance(definition, m.ModelDef):
        lines = [_field_line(f, field_of) for f in definition.fields]
        return ModelClass(ident(definition.name), _model_doc(definition), lines)
    ann = annotation(definition.type, field_of=field_of)
    return Alias(ident(definition.name), ann, docstring(definition.description, 0))


def _with_unions(
    module: ModelsModule, channel: m.Channel, params: ParamNames, field_of: FieldOf
) -> ModelsModule:
    """A channel's ``messages.py``: its models, and the unions of what each side sends."""
    render = functools.partial(annotation, field_of=field_of)
    server_json = [msg for msg in channel.server_messages if not msg.binary]
    client_json = [msg for msg in channel.client_messages if not msg.binary]
    plan = channel.server_union
    tag_function = None
    if plan.kind == "callable" and plan.discriminator:
        tags = list(dict.fromkeys(literal(msg.tag[1]) for msg in server_json if msg.tag))
        tag_function = TagFunction(literal(plan.discriminator), tags, literal(UNTAGGED))
    client_plan = (
        m.UnionPlan("smart") if channel.client_union.kind == "callable" else channel.client_union
    )
    return ModelsModule(
        module.items,
        module.rebuild,
        incoming=_union(server_json, plan, render, field_of),
        outgoing=_union(client_json, client_plan, render, field_of),
        outgoing_params=_union(client_json, m.UnionPlan("smart"), params.annotation, None),
        tag_function=tag_function,
        exports=[
            *module.exports,
            Code("IncomingMessage"),
            Code("OutgoingMessage"),
            Code("OutgoingMessageParam"),
        ],
    )


def _order(api: m.Api, names: list[str]) -> list[str]:
    """Definitions before use where possible (cycles are broken where first met)."""
    wanted = set(names)
    done: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for dep in m.refs(api.types[name]):
            if dep in wanted:
                visit(dep)
        done.append(name)

    for name in names:
        visit(name)
    return done


def fields_of(api: m.Api) -> FieldOf:
    """A model's Python field name for a wire name (for discriminators)."""

    def field_of(model: str, wire: str) -> str | None:
        definition = api.types.get(model)
        fields = definition.fields if isinstance(definition, m.ModelDef) else []
        return next((f.name for f in fields if f.wire == wire), None)

    return field_of


def attribute_path(api: m.Api, model: str, path: str) -> str | None:
    """The dotted Python attributes of a payload ``path`` (``data/operation_id`` ->
    ``data.operation_id``) in the model named ``model``; None when it has none there."""
    fields = m.field_path(m.NamedRef(model), path, api.types)
    return ".".join(f.name for f in fields) if fields else None


def _field_line(f: m.FieldDef, field_of: FieldOf) -> FieldLine:
    ann = annotation(f.type, field_of=field_of)
    args: list[str] = []
    if f.default is not m.MISSING:
        args.append(f"default={literal(f.default)}")
    elif not f.required:
        args.append("default=None")
    if f.wire != f.name:
        args.append(f"validation_alias={literal(f.wire)}")
        args.append(f"serialization_alias={literal(f.wire)}")
    if not args:
        value = Code("")
    elif len(args) == 1 and args[0].startswith("default="):
        value = Code(args[0][len("default=") :])
    else:
        value = Code(f"Field({', '.join(args)})")
    return FieldLine(ident(f.name), ann, value, docstring(f.description))


def _model_doc(definition: m.ModelDef | m.AliasDef) -> Code:
    parts = [definition.description.strip()] if definition.description.strip() else []
    if definition.source:
        parts.append(f"From ``{definition.source}``.")
    return docstring("\n\n".join(parts))


def _rebuilds(api: m.Api, order: list[str], modules: dict[str, str], module: str) -> list[Code]:
    """Models that refer to a name defined after them, or to an incomplete model."""
    defined: set[str] = {n for n, mod in modules.items() if mod != module}  # imported first
    incomplete: set[str] = set()
    for name in order:
        refs = set(m.refs(api.types[name]))
        if any(r not in defined or r in incomplete for r in refs if r in api.types):
            incomplete.add(name)
        defined.add(name)
    return [ident(n) for n in order if n in incomplete and isinstance(api.types[n], m.ModelDef)]


def _param_item(api: m.Api, name: str, params: ParamNames) -> ParamDict | Alias:
    definition = api.types[name]
    param = params.of(name)
    if isinstance(definition, m.AliasDef):
        return Alias(
            ident(param),
            params.annotation(definition.type),
            docstring(f"``{name}`` as sent in a dict.", 0),
        )
    keys = []
    for f in definition.fields:
        required = f.required or is_tag(f)  # the tag tells the server what it is
        inner = params.annotation(f.type)
        keys.append(
            ParamKey(
                literal(f.wire),
                ident(f.wire) if _key_is_identifier(f.wire) else None,
                Code(f"Required[{inner}]" if required else inner),
            )
        )
    return ParamDict(ident(param), ident(name), keys)


def _key_is_identifier(key: str) -> bool:
    """Whether a dict key can be a ``TypedDict`` class attribute (not a keyword or a
    dunder); other keys take the functional form."""
    return key.isidentifier() and not keyword.iskeyword(key) and not key.startswith("__")


def _union(
    msgs: list[m.Message],
    plan: m.UnionPlan,
    render: Callable[[m.TypeRef], Code],
    field_of: FieldOf | None,
) -> Code:
    """A channel's incoming or outgoing alias: ``A | B``, discriminated, or ``Never``; bare
    text events (``text/plain``) join it after the events told apart by their content."""
    texts = [render(msg.type) for msg in msgs if msg.encoding == "text"]
    structured = [msg for msg in msgs if msg.encoding != "text"]
    if texts and structured:
        inner = _union(structured, plan, render, field_of)
        return Code(" | ".join(dict.fromkeys([inner, *texts])))
    types = list(dict.fromkeys(render(msg.type) for msg in msgs))
    if not types:
        return Code("Never")
    if types == ["None"]:  # JSON null: a type alias cannot be the bare ``None``
        return Code("Literal[None]")
    if len(types) == 1:
        return types[0]
    union = " | ".join(types)
    key = discriminator_field([msg.type for msg in msgs], plan.discriminator, field_of)
    if plan.kind == "discriminated" and key:
        return Code(f"Annotated[{union}, Field(discriminator={literal(key)})]")
    if plan.kind == "callable":
        groups: dict[str, list[str]] = {}
        for msg, t in zip(msgs, (render(msg.type) for msg in msgs), strict=False):
            key = str(msg.tag[1]) if msg.tag else UNTAGGED
            if t not in groups.setdefault(key, []):
                groups[key].append(t)
        parts = [f"Annotated[{' | '.join(ts)}, Tag({literal(k)})]" for k, ts in groups.items()]
        return Code(f"Annotated[{' | '.join(parts)}, Discriminator(_incoming_tag)]")
    return Code(union)
