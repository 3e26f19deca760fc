"""What the views of several files share: names of attributes and helpers, and text made
safe for Markdown (spec prose is printed there without Python escaping).
"""

from __future__ import annotations

import json

from ... import model as m
from ...names.identifiers import AMBIGUOUS, RESERVED_ATTRIBUTES
from ...names.naming import snake
from ..pycode import Code, annotation

#: Connection attributes a helper may not take.
CONNECTION_ATTRIBUTES = RESERVED_ATTRIBUTES | {"dispatch_events", "closed", "wait_closed"}


def attr_name(name: str) -> str:
    """An attribute or helper name from an event or resource name (never ``l``, ``O``, ``I``)."""
    attr = snake(name)
    return attr + "_" if attr in CONNECTION_ATTRIBUTES or attr in AMBIGUOUS else attr


def is_tag(f: m.FieldDef) -> bool:
    """A field pinned to one value (``type: Literal["join"] = "join"``): always sent."""
    return isinstance(f.type, m.LiteralType) and len(f.type.values) == 1


def stringy(msgs: list[m.Message]) -> bool:
    """Text frames that are the string itself, not JSON (Hoppscotch's timestamp)."""
    return bool(msgs) and all(
        msg.type == m.Prim("str")
        or (
            isinstance(msg.type, m.LiteralType) and all(isinstance(v, str) for v in msg.type.values)
        )
        for msg in msgs
    )


def msgpack(msg: m.Message) -> bool:
    """A MessagePack event that is a model (sent and parsed as one binary frame)."""
    return msg.encoding == "msgpack"


def binary_events(msgs: list[m.Message]) -> str:
    """What one side's binary frames are: ``raw`` bytes, ``msgpack`` events, or ``mixed``."""
    packed = any(msgpack(msg) for msg in msgs)
    if not packed:
        return "raw"
    return "mixed" if any(msg.binary for msg in msgs) else "msgpack"


def text_events(msgs: list[m.Message]) -> Code | None:
    """The type of one side's ``text/plain`` events (bare text frames), when it also sends
    JSON ones (a side of text events only is ``stringy``)."""
    structured = [msg for msg in msgs if not msg.binary]
    texts = [msg.type for msg in structured if msg.encoding == "text"]
    if not texts or stringy(structured):
        return None
    return annotation(texts[0] if len(texts) == 1 else m.UnionType(tuple(texts)))


def plain_word(text: str) -> bool:
    return bool(text) and all(c.isalnum() or c in "_.-" for c in text)


def json_safe(value: object) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


#: The longest headline (a title in a docstring's first line or the README's heading).
HEADLINE = 80


def headline(text: str) -> str:
    """A title as a headline: one line, at most ``HEADLINE`` characters, cut after a word
    (a title is repeated in every module's docstring; prose there would swell the SDK)."""
    line = " ".join(text.split())
    if len(line) <= HEADLINE:
        return line
    cut = line[: HEADLINE - 3]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "..."


def md_inline(text: str) -> Code:
    """Text for Markdown inline code: one line, no backticks."""
    return Code(" ".join(_plain_text(text).split()).replace("`", "'"))


def _plain_text(text: str) -> str:
    """Spec text for a document that is not code: control characters and lone surrogates
    (which no UTF-8 file can hold) become U+FFFD."""
    return "".join(
        c if (c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF) or c in "\n\t" else "\ufffd"
        for c in str(text)
    )


def md_block(text: str) -> Code:
    """Spec prose for a README paragraph: no code fence can open (the README's own
    code blocks are extracted and type-checked), no heading can break the outline."""
    lines = []
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    for line in _plain_text(text).strip().split("\n"):
        line = line.replace("`" * 3, "'" * 3).rstrip()
        if line.lstrip().startswith("#"):
            line = line.lstrip().lstrip("#").strip()
        lines.append(line)
    return Code("\n".join(lines))


def md_cell(text: str) -> Code:
    """Inline code for a Markdown table cell."""
    return Code("`" + md_inline(text).replace("|", "\\|") + "`")
