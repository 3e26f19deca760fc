"""Stage 2: pointers and $ref resolution across files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sockgen.errors import SpecError
from sockgen.input.load import Workspace
from sockgen.input.pointers import escape, join_pointer, split_pointer, unescape
from sockgen.input.refs import Location, Resolver


def resolver(tmp_path: Path, files: dict[str, str]) -> tuple[Resolver, list[str]]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    warnings: list[str] = []
    return Resolver(Workspace(tmp_path), lambda at, msg: warnings.append(msg)), warnings


def test_pointer_escaping_round_trips() -> None:
    assert escape("a/b~c") == "a~1b~0c" and unescape("a~1b~0c") == "a/b~c"
    assert split_pointer("/x/a~1b/~01") == ["x", "a/b", "~1"]
    assert join_pointer(["x", "a/b", "~1"]) == "/x/a~1b/~01"
    assert split_pointer("") == []


def test_relative_refs_across_files_and_escaped_keys(tmp_path: Path) -> None:
    r, _ = resolver(
        tmp_path,
        {
            "main.yaml": "a: {$ref: 'sub/defs.yaml#/defs/x~1y'}\n",
            "sub/defs.yaml": "defs:\n  x/y: {$ref: '../other.yaml#/t~0z'}\n",
            "other.yaml": "t~z: {type: string}\n",
        },
    )
    root = r.root(tmp_path / "main.yaml")
    node, loc = r.deref(r.get(root.at("a")), root.at("a"))
    assert node == {"type": "string"}
    assert loc.doc.name == "other.yaml" and loc.pointer == "/t~0z"


def test_unescaped_slash_in_a_key_is_read_with_a_warning(tmp_path: Path) -> None:
    r, warnings = resolver(
        tmp_path, {"m.yaml": "c:\n  pkg/v1.x: {type: integer}\nr: {$ref: '#/c/pkg/v1.x'}\n"}
    )
    root = r.root(tmp_path / "m.yaml")
    assert r.deref(r.get(root.at("r")), root.at("r"))[0] == {"type": "integer"}
    assert any("unescaped '/'" in w for w in warnings)


def test_pointer_through_another_ref(tmp_path: Path) -> None:
    r, _ = resolver(
        tmp_path,
        {
            "m.yaml": "channels:\n  echo: {$ref: 'c.yaml#/echo'}\nop: {$ref: '#/channels/echo/messages/m'}\n",
            "c.yaml": "echo:\n  messages:\n    m: {payload: {type: string}}\n",
        },
    )
    root = r.root(tmp_path / "m.yaml")
    node, loc = r.deref(r.get(root.at("op")), root.at("op"))
    assert node == {"payload": {"type": "string"}} and loc.doc.name == "c.yaml"


def test_broken_ref_names_file_line_and_pointer(tmp_path: Path) -> None:
    r, _ = resolver(tmp_path, {"m.yaml": "a:\n  b: {$ref: '#/nope/x'}\n"})
    root = r.root(tmp_path / "m.yaml")
    with pytest.raises(SpecError) as info:
        r.deref(r.get(root.at("a", "b")), root.at("a", "b"))
    assert (
        str(info.value)
        == "m.yaml:2:6 (at /a/b): $ref '#/nope/x' points to nothing: no 'nope' in m.yaml#"
    )


def test_missing_referenced_file(tmp_path: Path) -> None:
    r, _ = resolver(tmp_path, {"m.yaml": "a: {$ref: 'gone.yaml#/x'}\n"})
    root = r.root(tmp_path / "m.yaml")
    with pytest.raises(
        SpecError, match=r"m.yaml:1:4 \(at /a\): \$ref 'gone.yaml#/x': file not found \(gone.yaml\)"
    ):
        r.deref(r.get(root.at("a")), root.at("a"))


def test_remote_refs_are_refused(tmp_path: Path) -> None:
    r, _ = resolver(tmp_path, {"m.yaml": "a: {$ref: 'https://example.com/s.yaml#/x'}\n"})
    root = r.root(tmp_path / "m.yaml")
    with pytest.raises(SpecError, match="remote \\$ref .* local files only"):
        r.deref(r.get(root.at("a")), root.at("a"))


def test_a_cycle_of_bare_refs_is_reported(tmp_path: Path) -> None:
    r, _ = resolver(tmp_path, {"m.yaml": "a: {$ref: '#/b'}\nb: {$ref: '#/c'}\nc: {$ref: '#/a'}\n"})
    root = r.root(tmp_path / "m.yaml")
    with pytest.raises(
        SpecError,
        match="cycle with nothing in between: m.yaml#/a -> m.yaml#/b -> m.yaml#/c -> m.yaml#/a",
    ):
        r.deref(r.get(root.at("a")), root.at("a"))


def test_locations_compare_by_file_and_pointer(tmp_path: Path) -> None:
    r, _ = resolver(tmp_path, {"m.yaml": "a: 1\n"})
    root = r.root(tmp_path / "m.yaml")
    assert (
        root.at("a") == Location(root.doc, "/a")
        and len({root.at("a"), Location(root.doc, "/a")}) == 1
    )
