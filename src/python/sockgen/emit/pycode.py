"""Python source fragments from model values, escaped for every position they take.

Templates print only :class:`Code`; each function here is the one way a kind
of spec text becomes source: :func:`literal` (a JSON value as a literal),
:func:`ident` (a checked identifier), :func:`docstring` (a docstring body,
wrapped and escaped), :func:`annotation` (a type). Nothing from a spec reaches
generated code another way, so no spec text can end a string early or run.
"""

from __future__ import annotations

import keyword
import math
import textwrap
from collections.abc import Callable, Iterable

from .. import model as m

#: The line length generated code is wrapped to (ruff's and black's default).
WIDTH = 88


class Code(str):
    """Text that is safe to place in generated source."""


class UnsafeOutput(Exception):
    """A template tried to print something that went through no escaping function."""


def literal(value: object) -> Code:
    """A JSON value (or a tuple of them, or bytes) as a Python literal."""
    if value is None or isinstance(value, bool):
        return Code(repr(value))
    if isinstance(value, int):
        return Code(repr(value))
    if isinstance(value, float):
        if math.isnan(value):
            return Code('float("nan")')
        if math.isinf(value):
            return Code('float("inf")' if value > 0 else '-float("inf")')
        return Code(repr(value))
    if isinstance(value, str):
        return Code(_string(value))
    if isinstance(value, bytes):
        return Code(repr(value))
    if isinstance(value, (list, tuple)):
        items = ", ".join(literal(v) for v in value)
        return Code(
            f"[{items}]"
            if isinstance(value, list)
            else f"({items}{',' if len(value) == 1 else ''})"
        )
    if isinstance(value, dict):
        return Code(
            "{" + ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
        )
    raise UnsafeOutput(f"not a JSON value: {value!r}")


_SIMPLE_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _string(text: str) -> str:
    """A string literal quoted as black and ruff format it (double quotes, unless single
    ones need fewer escapes); anything not printable (NUL, line separators, lone
    surrogates) is escaped, so the source is valid UTF-8 and one line."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    escapes = {**_SIMPLE_ESCAPES, quote: "\\" + quote}
    return quote + "".join(escapes.get(c) or _char(c) for c in text) + quote


def _char(c: str) -> str:
    if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF:
        return c
    code = ord(c)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def ident(name: str) -> Code:
    """``name`` if it is a Python identifier (dotted for modules), else an error."""
    for part in str(name).split("."):
        if not part.isidentifier() or keyword.iskeyword(part):
            raise UnsafeOutput(f"not an identifier: {name!r}")
    return Code(name)


def docstring(text: str, indent: int = 4) -> Code:
    """The body of a triple-quoted docstring at ``indent``, wrapped to :data:`WIDTH`.

    Paragraphs are re-wrapped; lines that start a list item or sit inside a code
    fence keep their line breaks. Backslashes and quotes are escaped so that no
    text ends the docstring, and anything not printable becomes an escape.
    """
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return Code("")
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').replace("\t", "    ")
    # a lone surrogate in a class docstring breaks the class statement: U+FFFD for it
    text = "".join(
        c if c == "\n" else "\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else _char(c) for c in text
    )
    # the first line follows the opening quotes; a one-line docstring also ends with them
    width = max(40, WIDTH - indent)
    lines = _wrap(text.split("\n"), width, first=width - 3)
    if len(lines) == 1 and len(lines[0]) > width - 6:
        lines = _wrap(text.split("\n"), width, first=width - 3, force=True)
    pad = " " * indent
    body = "\n".join([lines[0], *[(pad + line) if line else "" for line in lines[1:]]])
    # text next to the quotes gets a space, as black and ruff write it ("ok" """)
    if body.startswith('"'):
        body = " " + body
    if body.endswith('"') and len(lines) == 1:
        body += " "
    if len(lines) > 1:  # the closing quotes of a multi-line docstring go on their own line
        body += "\n" + pad
    return Code(body)


def _wrap(lines: list[str], width: int, *, first: int, force: bool = False) -> list[str]:
    """Re-wrapped paragraphs; list items, tables and fenced code keep their lines.

    ``first`` is the room on the first line; ``force`` makes a one-line text two lines
    (its closing quotes would not fit), breaking it before its last word."""
    out: list[str] = []
    paragraph: list[str] = []
    fenced = False

    def fill(text: str, indent: str = "", hang: str = "") -> list[str]:
        """``text`` wrapped: the docstring's first line has ``first`` columns, others ``width``."""
        room = first if not out else width
        lines = _fill(text, room, indent, hang)
        if room == width or len(lines) <= 1:
            return lines or [""]
        rest = text.split()[len(lines[0].split()) :]
        more = _fill(" ".join(rest), width, hang, hang)
        return [lines[0], *more]

    def flush() -> None:
        if paragraph:
            out.extend(fill(" ".join(paragraph)))
            paragraph.clear()

    for raw in lines:
        line = raw.rstrip()
        stripped = line.lstrip()
        if stripped.startswith("```"):
            flush()
            fenced = not fenced
            out.append(line)
        elif fenced or not stripped:
            flush()
            out.append(line)
        elif _structured(stripped):
            flush()
            lead = line[: len(line) - len(stripped)]
            hang = lead + " " * (2 if stripped[:2] in ("- ", "* ", "+ ") else 3)
            out.extend(fill(stripped, lead, hang))
        else:
            paragraph.append(stripped)
    flush()
    while out and not out[-1]:
        out.pop()
    if force and len(out) == 1 and " " in out[0]:
        words = out[0].split(" ")
        out = [" ".join(words[:-1]), words[-1]]
    return out or [""]


def _fill(text: str, width: int, indent: str, hang: str) -> list[str]:
    """Words to lines; a word longer than a line (a URL) is kept whole."""
    return textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=hang,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _structured(line: str) -> bool:
    """A list item, table row, heading or quote: its line breaks mean something."""
    return (
        line[:2] in ("- ", "* ", "+ ")
        or (line[:1].isdigit() and ". " in line[:4])
        or line.startswith(("|", "#", ">"))
    )


# --- types ----------------------------------------------------------------------------------

_PRIMS: dict[m.PrimName, str] = {
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

#: What a dict sent to the server may hold for a typed value: the wire form too.
_WIRE_FORMS: dict[m.PrimName, str] = {
    "datetime": "datetime | str",
    "date": "date | str",
    "time": "time | str",
    "UUID": "UUID | str",
    "bytes": "bytes | str",
}


#: The Python name of a model's field, by the model's class name and the field's wire name.
FieldOf = Callable[[str, str], "str | None"]


def annotation(
    t: m.TypeRef,
    name: Callable[[str], str] = str,
    *,
    wire_forms: bool = False,
    field_of: FieldOf | None = None,
) -> Code:
    """A type annotation: ``X | None``, ``Literal["a", 1]``, ``list[X]``, ``Annotated[...]``.

    ``name`` maps a named type to the name to print (a model, or its ``Param``
    twin); ``wire_forms`` accepts the JSON form of typed strings (``datetime | str``).
    ``field_of`` turns a discriminator's wire name into the members' Python field
    name (pydantic wants the field); without it the wire name is the field name.
    """
    if isinstance(t, m.Prim):
        return Code(_WIRE_FORMS[t.name] if wire_forms and t.name in _WIRE_FORMS else _PRIMS[t.name])
    if isinstance(t, m.LiteralType):
        return Code(f"Literal[{', '.join(literal(v) for v in t.values)}]")
    if isinstance(t, m.ListType):
        return Code(f"list[{annotation(t.item, name, wire_forms=wire_forms, field_of=field_of)}]")
    if isinstance(t, m.DictType):
        value = annotation(t.value, name, wire_forms=wire_forms, field_of=field_of)
        return Code(f"dict[str, {value}]")
    if isinstance(t, m.NamedRef):
        return ident(name(t.name))
    flat = _flat(t)
    members = [x for x in flat if x != m.NONE]
    if m.ANY in members:
        return Code("Any")
    values = [v for x in members if isinstance(x, m.LiteralType) for v in x.values]
    parts: list[str] = []
    for x in members:
        if isinstance(x, m.LiteralType):
            if values:  # all of a union's literal values in one Literal[...], each once
                once = {(type(v), v): v for v in values}.values()
                parts.append(f"Literal[{', '.join(literal(v) for v in once)}]")
                values = []
        else:
            part = annotation(x, name, wire_forms=wire_forms, field_of=field_of)
            if part not in parts:
                parts.append(part)
    inner = " | ".join(parts) if parts else "None"
    key = discriminator_field(members, t.discriminator, field_of) if not wire_forms else None
    if key and len(members) > 1:
        inner = f"Annotated[{inner}, Field(discriminator={literal(key)})]"
    if m.NONE in flat and parts:
        inner = f"{inner} | None"
    return Code(inner)


def discriminator_field(
    members: Iterable[m.TypeRef], wire: str | None, field_of: FieldOf | None
) -> str | None:
    """The field pydantic discriminates ``members`` on: the Python name the tag property
    ``wire`` has in every member model; None (a smart union, still exact on the tags'
    literals) when the members name it differently or it is not an identifier."""
    if not wire:
        return None
    names = {
        (field_of(x.name, wire) if field_of and isinstance(x, m.NamedRef) else wire)
        for x in members
    }
    key = names.pop() if len(names) == 1 else None
    return key if key and key.isidentifier() and not keyword.iskeyword(key) else None


def _flat(t: m.UnionType) -> list[m.TypeRef]:
    """A union's members, with the members of undiscriminated nested unions in its place."""
    out: list[m.TypeRef] = []
    for x in t.members:
        if isinstance(x, m.UnionType) and not x.discriminator:
            out.extend(y for y in _flat(x) if y not in out)
        elif x not in out:
            out.append(x)
    return out


def join(items: Iterable[str], sep: str = ", ") -> Code:
    """Already-escaped fragments joined."""
    parts = list(items)
    for part in parts:
        if not isinstance(part, Code):
            raise UnsafeOutput(f"not escaped: {part!r}")
    return Code(sep.join(parts))
