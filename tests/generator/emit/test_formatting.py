"""emit/formatting.py: long statements formatted by the pinned black; the rest left alone."""

from __future__ import annotations

from sockgen.emit.formatting import markdown, python


def test_only_statements_with_a_long_line_are_reformatted() -> None:
    long_call = "X = call(" + ", ".join(f"argument_{i}" for i in range(12)) + ")"
    source = f"a = [1,2]\n{long_call}\n"
    out = python(source)
    assert out.startswith("a = [1,2]\n")  # short: untouched, even where black would differ
    assert "X = call(\n    argument_0,\n" in out
    assert all(len(line) <= 88 for line in out.splitlines())


def test_a_line_black_cannot_break_is_marked_for_e501() -> None:
    name = "A" * 95
    out = python(f"class {name}:\n    x = 1\n")
    assert out == f"class {name}:  # noqa: E501\n    x = 1\n"


def test_long_lines_inside_strings_are_not_marked() -> None:
    text = '"""' + "x" * 100 + '\n"""\n'
    assert "noqa" not in python(text)


def test_blank_lines_are_cut_to_blacks_limits() -> None:
    out = python("a = 1\n\n\n\n\nb = 2\n\ndef f():\n    x = 1\n\n\n    return x\n")
    assert "a = 1\n\n\nb = 2" in out
    assert "    x = 1\n\n    return x" in out


def test_markdown_python_blocks_are_formatted_whole() -> None:
    text = "Intro\n\n```python\nx=1\n```\n\n```bash\nx=1\n```\n"
    assert markdown(text) == "Intro\n\n```python\nx = 1\n```\n\n```bash\nx=1\n```\n"
