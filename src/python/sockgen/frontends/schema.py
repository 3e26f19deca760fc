"""Stage 4: JSON Schema to the model's types.

One walker for every spec kind (AsyncAPI payloads and OpenAPI schemas are
both JSON Schema dialects). Object schemas become named models, named by the
``$ref`` that reached them (``#/components/schemas/ChatMessage`` ->
``ChatMessage``) or by where they sit (``ChatMessage`` + ``payload`` ->
``ChatMessagePayload``). Recursion works through names: a model is named
before its fields are converted, so a schema that reaches itself gets a
forward reference.

Unions are discriminated where a tag can be found: a declared
``discriminator``, or a property that every member pins to one value
(``const``, a one-value ``enum``, a one-value ``pattern`` such as ``^ping$``,
or ``x-fern-type: literal<"ping">``). What was guessed is reported.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from .. import model as m
from ..input.limits import MAX_SCHEMA_DEPTH
from ..input.refs import Location, Resolver
from ..names.identifiers import class_name, field_name
from ..names.naming import pascal

_LITERAL_PATTERN = re.compile(r"^\^?([A-Za-z0-9_.:\-]+)\$?$")
_FERN_LITERAL = re.compile(r'^literal<"?(.*?)"?>$')
#: Property names that usually tell events apart, most likely first.
TAG_PREFERENCE = ("type", "event", "action", "kind", "op", "method", "messageType", "name")

_FORMATS: dict[str, m.PrimName] = {
    "date-time": "datetime",
    "date": "date",
    "uuid": "UUID",
    "time": "time",
}

Warn = Callable[[Location, str], None]


#: Schema formats read as JSON Schema (``schemaFormat``, parameters such as ``;version=``
#: aside): JSON Schema, AsyncAPI's Schema Object (a superset) and OpenAPI's (read as the
#: converter reads OpenAPI documents: ``nullable`` and all).
JSON_SCHEMA_FORMATS = frozenset(
    {
        "application/schema+json",
        "application/schema+yaml",
        "application/vnd.aai.asyncapi",
        "application/vnd.aai.asyncapi+json",
        "application/vnd.aai.asyncapi+yaml",
        "application/vnd.oai.openapi",
        "application/vnd.oai.openapi+json",
        "application/vnd.oai.openapi+yaml",
    }
)
#: Other schema languages, by the start of their media type.
_OTHER_FORMATS = (
    ("application/vnd.apache.avro", "Avro"),
    ("application/vnd.google.protobuf", "Protobuf"),
    ("application/x-protobuf", "Protobuf"),
    ("application/raml", "RAML"),
)


def check_schema_format(value: object, loc: Location) -> None:
    """Nothing when ``value`` (a ``schemaFormat``) names a JSON Schema dialect sockgen
    reads; else a one-line error naming the format, at ``loc``."""
    media = value.split(";")[0].strip().lower() if isinstance(value, str) else ""
    if media in JSON_SCHEMA_FORMATS:
        return
    language = next((name for start, name in _OTHER_FORMATS if media.startswith(start)), None)
    what = f"{language} schemas are" if language else "it is"
    raise loc.error(
        f"schemaFormat {value!r} is not supported ({what} not JSON Schema): sockgen reads "
        "JSON Schema, AsyncAPI and OpenAPI schemas"
    )


def _marked_binary(node: dict[str, Any]) -> bool:
    return "binary" in (node.get("format"), node.get("contentEncoding")) or (
        node.get("x-messagepack-type") == "bin"
    )


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


#: Enums with more values than this are named aliases rather than inline ``Literal[...]``.
INLINE_VALUES = 64


class SchemaConverter:
    """Converts schemas reached from one spec; collects every named type it creates."""

    def __init__(self, resolver: Resolver, warn: Warn, taken: set[str]) -> None:
        self.resolver = resolver
        self.warn = warn
        self.taken = taken
        self.types: dict[str, m.TypeDef] = {}
        self.tags: dict[str, dict[str, m.JsonScalar]] = {}
        """Model name -> its single-valued properties (candidate union tags)."""
        self.examples: dict[str, list[Any]] = {}
        self._named: dict[Location, str] = {}
        self._in_progress: set[Location] = set()
        self._anchors: list[m.NamedRef] = []
        self._depth = 0
        self._binary_strings = False

    @contextlib.contextmanager
    def binary_strings(self, on: bool) -> Iterator[None]:
        """Within: a string marked binary (``format``/``contentEncoding: binary``, or
        ``x-messagepack-type: bin``) is ``bytes``, as in MessagePack payloads."""
        before, self._binary_strings = self._binary_strings, on
        try:
            yield
        finally:
            self._binary_strings = before

    # --- entry points ---------------------------------------------------------

    def convert(self, node: Any, loc: Location, hint: str) -> m.TypeRef:
        """The type of the schema ``node`` found at ``loc``; ``hint`` names what it creates."""
        if self._depth >= MAX_SCHEMA_DEPTH:
            raise loc.error(
                f"schemas nest more than {MAX_SCHEMA_DEPTH} levels here (properties, items, "
                "unions and $refs); refused"
            )
        self._depth += 1
        try:
            return self._convert(node, loc, hint)
        finally:
            self._depth -= 1

    def _convert(self, node: Any, loc: Location, hint: str) -> m.TypeRef:
        if node is True or node is None:
            return m.ANY
        if node is False:
            self.warn(loc, "schema 'false' (nothing is valid) is typed as Any")
            return m.ANY
        if not isinstance(node, dict):
            raise loc.error(f"a schema must be an object or a boolean, got {type(node).__name__}")
        if "schemaFormat" in node and "schema" in node and "$ref" not in node:
            # an AsyncAPI 3 Multi Format Schema Object: the schema, in the format it names
            check_schema_format(node["schemaFormat"], loc.at("schemaFormat"))
            return self.convert(node["schema"], loc.at("schema"), hint)
        if loc in self._named:  # converted before (a message on both sides)
            return self._nullable(node, m.NamedRef(self._named[loc]))
        if "$ref" in node:
            return self._ref(node, loc, hint)
        if "$recursiveRef" in node or "$dynamicRef" in node:
            if not self._anchors:
                raise loc.error(
                    "$recursiveRef/$dynamicRef with no enclosing $recursiveAnchor/$dynamicAnchor"
                )
            return self._nullable(node, self._anchors[-1])
        return self._nullable(node, self._inline(node, loc, hint))

    def model_of(self, ref: m.TypeRef) -> m.ModelDef | None:
        if isinstance(ref, m.NamedRef):
            t = self.types.get(ref.name)
            return t if isinstance(t, m.ModelDef) else None
        return None

    # --- references -----------------------------------------------------------

    def _ref(self, node: dict[str, Any], loc: Location, hint: str) -> m.TypeRef:
        target_loc = self.resolver.target(node["$ref"], loc)
        if target_loc in self._named:
            return self._nullable(node, m.NamedRef(self._named[target_loc]))
        target = self.resolver.get(target_loc)
        if target_loc in self._in_progress:
            raise target_loc.error(
                f"recursive $ref without an object in between (reached again from {loc}); "
                "only objects, unions and arrays of them can be recursive"
            )
        if target_loc.pointer == "":  # a whole file: named after it (requests/IamRequest.yaml)
            name_hint = target_loc.doc.path.stem
        elif target_loc.last and not target_loc.last.isdigit():
            name_hint = target_loc.last
        else:
            name_hint = hint
        self._in_progress.add(target_loc)
        try:
            result = self.convert(target, target_loc, name_hint)
        finally:
            self._in_progress.discard(target_loc)
        return self._nullable(node, result)

    # --- the schema itself ----------------------------------------------------

    def _nullable(self, node: dict[str, Any], t: m.TypeRef) -> m.TypeRef:
        if node.get("nullable") is True:
            return m.optional(t)
        return t

    def _inline(self, node: dict[str, Any], loc: Location, hint: str) -> m.TypeRef:
        if "const" in node:
            value = node["const"]
            return self._literal((value,), loc.at("const"), hint) if _scalar(value) else m.ANY
        if "enum" in node and isinstance(node["enum"], list):
            values = tuple(v for v in node["enum"] if _scalar(v))
            if not values:
                return m.ANY
            if node.get("type") == "array" and "items" in node:
                # the enum was meant for the items (a list of flags)
                self.warn(loc, "'enum' of scalars on an array is read as the enum of its items")
                return m.ListType(self._literal(values, loc.at("enum"), hint))
            return self._literal(values, loc.at("enum"), hint)
        if "allOf" in node:
            return self._all_of(node, loc, hint)
        for key in ("oneOf", "anyOf"):
            if key in node:
                return self._union(node, key, loc, hint)
        types = node.get("type")
        if isinstance(types, list):
            non_null = [t for t in types if t != "null"]
            members = [self._typed({**node, "type": t}, loc, hint) for t in non_null] or [m.NONE]
            result: m.TypeRef = members[0] if len(members) == 1 else m.UnionType(tuple(members))
            return m.optional(result) if "null" in types else result
        return self._typed(node, loc, hint)

    def _literal(self, values: tuple[m.JsonScalar, ...], loc: Location, hint: str) -> m.TypeRef:
        """``Literal[...]`` of the values, once each (``1`` and ``True`` are two values).

        A float cannot be a ``Literal`` member: the floats are typed ``float`` instead,
        the nearest sound type, with a warning. An enum of more than
        :data:`INLINE_VALUES` values is a named alias, written once and used by name.
        """
        exact = tuple({(type(v), v): v for v in values if not isinstance(v, float)}.values())
        literal: m.TypeRef | None = m.LiteralType(exact) if exact else None
        if len(exact) > INLINE_VALUES:
            name = self._named.get(loc) or class_name(hint or "Values", self.taken)
            self._named[loc] = name
            self.types[name] = m.AliasDef(name, m.LiteralType(exact), source=str(loc))
            literal = m.NamedRef(name)
        floats = [v for v in values if isinstance(v, float)]
        if not floats:
            assert literal is not None  # values is not empty
            return literal
        shown = ", ".join(repr(v) for v in floats[:3]) + (", ..." if len(floats) > 3 else "")
        self.warn(loc, f"float values ({shown}) cannot be Literal members: typed float")
        members = [x for x in (literal, m.Prim("float")) if x is not None]
        return members[0] if len(members) == 1 else m.UnionType(tuple(members))

    def _typed(self, node: dict[str, Any], loc: Location, hint: str) -> m.TypeRef:
        kind = node.get("type")
        if kind is None:
            if "properties" in node or "additionalProperties" in node or "required" in node:
                kind = "object"
            elif "items" in node:
                kind = "array"
            else:
                return m.ANY
        if kind == "object":
            return self._object(node, loc, hint)
        if kind == "array":
            items = node.get("items", True)
            if isinstance(items, list):  # draft-4 tuple form
                return m.ListType(m.ANY)
            return m.ListType(self.convert(items, loc.at("items"), hint + "Item"))
        if kind == "string":
            if "pattern" in node and isinstance(node["pattern"], str):
                pinned = self._pinned_pattern(node["pattern"])
                if pinned is not None:
                    return m.LiteralType((pinned,))
            fern = self._fern_literal(node)
            if fern is not None:
                return m.LiteralType((fern,))
            if self._binary_strings and _marked_binary(node):
                return m.Prim("bytes")
            return m.Prim(_FORMATS.get(str(node.get("format", "")), "str"))
        if kind == "integer":
            return m.Prim("int")
        if kind == "number":
            return m.Prim("float")
        if kind == "boolean":
            fern = self._fern_literal(node)
            return m.LiteralType((fern == "true",)) if fern in ("true", "false") else m.Prim("bool")
        if kind == "null":
            return m.NONE
        raise loc.at("type").error(f"unknown schema type {kind!r}")

    @staticmethod
    def _pinned_pattern(pattern: str) -> str | None:
        """The one string a pattern like ``^ping$`` allows, or None."""
        if not (pattern.startswith("^") and pattern.endswith("$")):
            return None
        match = _LITERAL_PATTERN.match(pattern)
        if match is None or "." in match.group(1):  # '.' is a wildcard
            return None
        return match.group(1)

    @staticmethod
    def _fern_literal(node: dict[str, Any]) -> str | None:
        fern = node.get("x-fern-type")
        if isinstance(fern, str):
            match = _FERN_LITERAL.match(fern)
            if match:
                return match.group(1)
        return None

    # --- objects --------------------------------------------------------------

    def _object(self, node: dict[str, Any], loc: Location, hint: str) -> m.TypeRef:
        props = node.get("properties")
        extra = node.get("additionalProperties")
        if not props:
            if isinstance(extra, dict) and extra:
                return m.DictType(
                    self.convert(extra, loc.at("additionalProperties"), hint + "Value")
                )
            if extra is False:
                # an object that must be empty; a model with no fields says that best
                pass
            else:
                return m.DictType(m.ANY)
        title = node.get("title")
        name = class_name(title if not hint and isinstance(title, str) else hint, self.taken)
        self._named[loc] = name
        anchored = node.get("$recursiveAnchor") is True or "$dynamicAnchor" in node
        if anchored:
            self._anchors.append(m.NamedRef(name))
        try:
            model = self._fields(node, loc, name)
        finally:
            if anchored:
                self._anchors.pop()
        self.types[name] = model
        self._collect_examples(name, node)
        return m.NamedRef(name)

    def _fields(self, node: dict[str, Any], loc: Location, name: str) -> m.ModelDef:
        props = node.get("properties") or {}
        if not isinstance(props, dict):
            raise loc.at("properties").error("'properties' must be an object")
        listed = node.get("required") or []
        if not isinstance(listed, list):
            raise loc.at("required").error("'required' must be a list of property names")
        required = {str(r) for r in listed if isinstance(r, (str, int, float))}
        taken: set[str] = set()
        fields = [
            self._field(str(wire), prop, loc.at("properties", str(wire)), name, required, taken)
            for wire, prop in props.items()
        ]
        self.tags[name] = {
            f.wire: f.type.values[0]
            for f in fields
            if isinstance(f.type, m.LiteralType) and len(f.type.values) == 1
        }
        return m.ModelDef(
            name=name,
            fields=fields,
            description=str(node.get("description") or node.get("title") or ""),
            source=str(loc),
        )

    def _field(
        self, wire: str, prop: Any, loc: Location, model: str, required: set[str], taken: set[str]
    ) -> m.FieldDef:
        ftype = self.convert(prop, loc, model + pascal(wire))
        resolved = self._resolved(prop, loc)
        default = self._default(prop, resolved, ftype, loc)
        is_tag = isinstance(ftype, m.LiteralType) and len(ftype.values) == 1
        if isinstance(ftype, m.LiteralType) and is_tag and default is m.MISSING:
            default = ftype.values[0]
        is_required = wire in required
        if (not is_required and not is_tag) or default is None:
            ftype = m.optional(ftype)
        description = resolved.get("description", "") if isinstance(resolved, dict) else ""
        return m.FieldDef(
            name=field_name(wire, taken),
            wire=wire,
            type=ftype,
            required=is_required and default is m.MISSING,
            default=default,
            description=str(description or ""),
        )

    def _default(self, prop: Any, resolved: Any, ftype: m.TypeRef, loc: Location) -> object:
        """A property's ``default`` (its own over its ``$ref`` target's), when it fits its type."""
        default: object = m.MISSING
        for node in (resolved, prop):
            if isinstance(node, dict) and "default" in node:
                default = node["default"]
        if default is m.MISSING or default is None or m.fits(ftype, default, self.types):
            return default
        self.warn(loc, f"default {default!r} does not fit the property's type; ignored")
        return m.MISSING

    def _resolved(self, node: Any, loc: Location) -> Any:
        """``node`` through its ``$ref``s (already converted, so a broken one was reported)."""
        return self.resolver.deref(node, loc)[0]

    def _collect_examples(self, name: str, node: dict[str, Any]) -> None:
        found = schema_examples(node)
        if found:
            self.examples[name] = found

    # --- allOf ----------------------------------------------------------------

    def _all_of(self, node: dict[str, Any], loc: Location, hint: str) -> m.TypeRef:
        parts = node["allOf"]
        if not isinstance(parts, list):
            raise loc.at("allOf").error("'allOf' must be a list")
        own = {k: v for k, v in node.items() if k != "allOf"}
        if len(parts) == 1 and not (own.get("properties") or own.get("required")):
            return self.convert(parts[0], loc.at("allOf", 0), hint)
        merged = self._merge(node, loc, set())
        return self._object(merged, loc, hint)

    def merge_all_of(self, node: dict[str, Any], loc: Location) -> dict[str, Any]:
        """One object schema with the properties and requirements of every ``allOf`` part."""
        return self._merge(node, loc, set())

    def _merge(self, node: dict[str, Any], loc: Location, seen: set[Location]) -> dict[str, Any]:
        """One object schema with the properties and requirements of every ``allOf`` part."""
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for i, part in enumerate(node.get("allOf") or []):
            part_node, part_loc = self.resolver.deref(part, loc.at("allOf", i))
            if part_loc in seen:
                raise part_loc.error("allOf includes itself")
            if not isinstance(part_node, dict):
                continue
            sub = (
                self._merge(part_node, part_loc, seen | {part_loc})
                if "allOf" in part_node
                else part_node
            )
            if any(k in sub for k in ("oneOf", "anyOf")) and not sub.get("properties"):
                self.warn(
                    part_loc,
                    "a union inside allOf cannot be merged into one object; it is left out",
                )
            for key, value in (sub.get("properties") or {}).items():
                merged["properties"][key] = value
            merged["required"].extend(
                r for r in sub.get("required") or [] if r not in merged["required"]
            )
            for key in ("description", "title", "additionalProperties", "example", "examples"):
                if key in sub and key not in merged:
                    merged[key] = sub[key]
        for key, value in node.items():
            if key == "properties":
                merged["properties"].update(value or {})
            elif key == "required":
                merged["required"].extend(r for r in value or [] if r not in merged["required"])
            elif key not in ("allOf", "type"):
                merged[key] = value
        return merged

    # --- unions ---------------------------------------------------------------

    def _union(self, node: dict[str, Any], key: str, loc: Location, hint: str) -> m.TypeRef:
        options = node[key]
        if not isinstance(options, list) or not options:
            raise loc.at(key).error(f"'{key}' must be a non-empty list")
        nullable = False
        members: list[m.TypeRef] = []
        for i, option in enumerate(options):
            option_loc = loc.at(key, i)
            resolved, _ = self.resolver.deref(option, option_loc)
            if isinstance(resolved, dict) and resolved.get("type") == "null" and len(resolved) <= 2:
                nullable = True
                continue
            member_hint = self._member_hint(resolved, hint, i)
            t = self.convert(option, option_loc, member_hint)
            if t == m.NONE:
                nullable = True
            elif t not in members:
                members.append(t)
        if not members:
            return m.NONE
        if len(members) == 1:
            result = members[0]
        else:
            declared = node.get("discriminator")
            prop = declared.get("propertyName") if isinstance(declared, dict) else None
            prop = prop if isinstance(prop, str) else None
            result = m.UnionType(tuple(members), self.discriminator(members, prop, loc))
        return m.optional(result) if nullable else result

    def _member_hint(self, resolved: Any, hint: str, i: int) -> str:
        if isinstance(resolved, dict):
            title = resolved.get("title")
            if isinstance(title, str) and title:
                return title
            for prop in TAG_PREFERENCE:
                schema = (resolved.get("properties") or {}).get(prop)
                if isinstance(schema, dict):
                    value = schema.get("const", (schema.get("enum") or [None])[0])
                    if isinstance(value, str) and value:
                        return hint + pascal(value)
        return f"{hint}Option{i + 1}"

    def discriminator(
        self, members: list[m.TypeRef], declared: str | None, loc: Location
    ) -> str | None:
        """A property every member pins to a distinct value, or None."""
        models = [self.model_of(t) for t in members]
        if any(model is None for model in models):
            if declared:
                self.warn(loc, f"discriminator {declared!r} ignored: not every member is an object")
            return None
        tag_sets = [self.tags.get(model.name, {}) for model in models if model is not None]
        candidates = [declared] if declared else []
        common = set.intersection(*(set(t) for t in tag_sets)) if tag_sets else set()
        candidates += [p for p in TAG_PREFERENCE if p in common] + sorted(
            common - set(TAG_PREFERENCE)
        )
        for prop in candidates:
            values = [t.get(prop, m.MISSING) for t in tag_sets]
            if m.MISSING not in values and len({repr(v) for v in values}) == len(values):
                if not declared:
                    self.warn(
                        loc,
                        f"union discriminated by {prop!r} (inferred: each member pins it to one value)",
                    )
                return prop
        if declared:
            self.warn(
                loc,
                f"discriminator {declared!r} does not pin a distinct value in every member; "
                "members are matched by shape instead",
            )
        return None


_EXAMPLE_OBJECT_KEYS = frozenset({"summary", "description", "value", "externalValue"})


def schema_examples(schema: Any, *, oai_meta: bool = False) -> list[Any]:
    """A schema's examples: ``example``, ``examples``, and (``oai_meta``: an event's payload)
    OpenAI's ``x-oaiMeta.example``, JSON text that documents the event.

    OpenAPI Example Objects written into a schema's ``examples`` (``{summary,
    value}``) give their ``value``, unless the schema itself has such properties.
    """
    if not isinstance(schema, dict):
        return []
    found = [schema["example"]] if "example" in schema else []
    examples = schema.get("examples")
    if isinstance(examples, list):
        props = schema.get("properties")
        own = set(props) if isinstance(props, dict) else set()
        for item in examples:
            if (
                isinstance(item, dict)
                and "value" in item
                and set(item) <= _EXAMPLE_OBJECT_KEYS
                and not (own & set(item))
            ):
                found.append(item["value"])
            else:
                found.append(item)
    meta = schema.get("x-oaiMeta") if oai_meta else None
    if isinstance(meta, dict) and isinstance(meta.get("example"), str):
        try:
            found.append(json.loads(meta["example"]))
        except ValueError:
            pass
    return found
