"""Stage 1: reading files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sockgen.errors import SpecError
from sockgen.input.limits import MAX_EXPANDED_NODES
from sockgen.input.load import Workspace, parse


def test_yaml_scalars_follow_json_types() -> None:
    data = parse(
        "a: 2026-11-21\nb: yes\nc: 1:20\nd: on\ne: true\nf: 0x1f\ng: 1.5e3\nh: null\n", "x.yaml"
    )
    assert data == {
        "a": "2026-11-21",
        "b": "yes",
        "c": "1:20",
        "d": "on",
        "e": True,
        "f": 31,
        "g": 1500.0,
        "h": None,
    }


def test_folded_double_quoted_strings_join() -> None:
    text = 'ref: "#/components/schemas/\\\n  LongName"\n'
    assert parse(text, "x.yaml") == {"ref": "#/components/schemas/LongName"}


def test_invalid_yaml_names_file_line_and_column() -> None:
    with pytest.raises(SpecError) as info:
        parse("a:\n  b: [1, 2\n  c: 3\n", "spec.yaml")
    err = info.value
    assert err.file == "spec.yaml" and err.line == 3 and err.column is not None
    assert str(err).startswith("spec.yaml:3:")
    assert "invalid YAML" in str(err)


def test_invalid_json_names_file_line_and_column() -> None:
    with pytest.raises(SpecError, match=r"spec.json:2:8: invalid JSON"):
        parse('{"a": 1,\n  "b": }', "spec.json", json_only=True)


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(SpecError, match=f"more than {MAX_EXPANDED_NODES:,} nodes"):
        parse("\n".join(lines) + "\n", "bomb.yaml")


def test_ordinary_anchors_are_fine() -> None:
    data = parse("base: &b {type: string}\nx: *b\ny: *b\n", "ok.yaml")
    assert data["x"] == {"type": "string"}


def test_missing_file_and_positions(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    with pytest.raises(SpecError, match="nope.yaml: file not found"):
        ws.load(tmp_path / "nope.yaml")
    (tmp_path / "s.yaml").write_text("a:\n  b:\n    - x\n    - {c: 1}\n")
    doc = ws.load(tmp_path / "s.yaml")
    assert doc.position("/a/b/1/c") == (4, 11)  # the 1 in "    - {c: 1}"
    assert doc.position("/a/missing") is None
    assert ws.load(tmp_path / "s.yaml") is doc
