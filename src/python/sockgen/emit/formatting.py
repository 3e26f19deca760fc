"""Generated code formatted as black and ruff format write it, before it is written.

Templates write code in black's style already (quotes, blank lines, spacing);
what they cannot know is where a long line must break, which depends on spec
names. So each statement with a line over :data:`~sockgen.emit.pycode.WIDTH` is
formatted with black (pinned, in-process), alone, at its own indentation: a
statement's layout in black depends only on the statement and the width left,
so the result is what black gives the whole module, at a fraction of the time.
The formatter runs in the generator, so the CLI and Pants give the same bytes;
``tests/generator`` checks every generated module with ``black --check`` and
``ruff format --check``. Python code blocks of the README are formatted whole.
"""

from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize

import black
from black.mode import TargetVersion

from .pycode import WIDTH

_PYTHON_BLOCK = re.compile(r"(^```python\n)(.*?)(^```$)", re.MULTILINE | re.DOTALL)


def _mode(width: int) -> black.Mode:
    return black.Mode(target_versions={TargetVersion.PY310}, line_length=width)


def python(source: str) -> str:
    """A module with every statement that has a long line formatted by black."""
    lines = _blank_lines(source.split("\n"))
    source = "\n".join(lines)
    edits: list[tuple[int, int, list[str]]] = []
    _visit(ast.parse(source).body, lines, edits)
    for start, end, new in sorted(edits, reverse=True):
        lines[start:end] = new
    return "\n".join(_noqa(lines))


def _blank_lines(lines: list[str]) -> list[str]:
    """Runs of blank lines cut to black's limits: two at the top level, one inside a block
    (templates stitch fragments, each with the blank line it needs before it)."""
    out: list[str] = []
    blanks = 0
    for line in lines:
        if not line.strip():
            blanks += 1
            continue
        limit = 1 if line[:1] in (" ", "\t") else 2
        out.extend([""] * min(blanks, limit))
        blanks = 0
        out.append(line)
    out.extend([""] * min(blanks, 1))
    return out


def _noqa(lines: list[str]) -> list[str]:
    """A line black cannot break (a spec's 90-character class name) is marked for E501.

    Lines inside strings are left alone: docstrings are wrapped, and a single long
    word (a URL) is one E501 ignores itself.
    """
    long = [i for i, line in enumerate(lines) if len(line) > WIDTH and "# noqa" not in line]
    if not long:
        return lines
    in_string: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines)).readline):
        if tok.type == tokenize.STRING and tok.start[0] != tok.end[0]:
            in_string.update(range(tok.start[0] - 1, tok.end[0] - 1))
    return [
        f"{line}  # noqa: E501" if i in long and i not in in_string else line
        for i, line in enumerate(lines)
    ]


def _long(lines: list[str], start: int, end: int) -> bool:
    return any(len(line) > WIDTH for line in lines[start:end])


def _visit(body: list[ast.stmt], lines: list[str], edits: list[tuple[int, int, list[str]]]) -> None:
    for node in body:
        start, end = _span(node)
        if not _long(lines, start, end):
            continue
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            head_end = node.body[0].lineno - 1 if node.body[0].lineno - 1 > node.lineno - 1 else end
            if head_end < end and _long(lines, node.lineno - 1, head_end):
                edits.append(_format_header(lines, node.lineno - 1, head_end))
            if head_end < end:
                _visit(node.body, lines, edits)
                continue
        edits.append((start, end, _format(lines[start:end])))


def _span(node: ast.stmt) -> tuple[int, int]:
    """0-based [start, end) lines of a statement, its decorators included."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    assert node.end_lineno is not None
    return first - 1, node.end_lineno


def _format(chunk: list[str]) -> list[str]:
    indent = len(chunk[0]) - len(chunk[0].lstrip())
    code = textwrap.dedent("\n".join(chunk)) + "\n"
    formatted = black.format_str(code, mode=_mode(WIDTH - indent)).rstrip("\n")
    return [(" " * indent + line) if line else "" for line in formatted.split("\n")]


def _format_header(lines: list[str], start: int, end: int) -> tuple[int, int, list[str]]:
    """A ``class``/``def`` line (or lines) formatted without its body."""
    head = lines[start:end]
    indent = len(head[0]) - len(head[0].lstrip())
    formatted = _format([*head, " " * (indent + 4) + "pass"])
    return start, end, formatted[:-1]


def markdown(text: str) -> str:
    """A Markdown document with its ``python`` code blocks formatted whole."""
    return _PYTHON_BLOCK.sub(
        lambda m: m.group(1) + black.format_str(m.group(2), mode=_mode(WIDTH)) + m.group(3), text
    )
