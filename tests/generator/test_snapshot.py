"""``sockgen snapshot``: a committed surface checked against its spec, and rewritten only
when the change is allowed (nothing breaking, or a new major ``info.version``)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from generator.desk import Doc, api_of, base, payload
from sockgen.api.snapshot import check, major
from sockgen.cli import main

FIX = "pants fix specs:desk"


@pytest.mark.parametrize(
    ("version", "expected"),
    [("2.1.0", 2), ("v3", 3), ("V10.0", 10), (" 1", 1), ("2024-10-01", 2024), ("beta", None)],
)
def test_the_major_number_of_info_version(version: str, expected: int | None) -> None:
    assert major(version) == expected
    assert major(None) is None


def versioned(doc: Doc, version: str) -> Doc:
    doc = copy.deepcopy(doc)
    doc["info"]["version"] = version
    return doc


def without_field(doc: Doc, message: str, name: str) -> Doc:
    doc = copy.deepcopy(doc)
    schema = payload(doc, message)
    del schema["properties"][name]
    schema["required"] = [r for r in schema["required"] if r != name]
    return doc


def with_optional_field(doc: Doc, message: str, name: str) -> Doc:
    doc = copy.deepcopy(doc)
    payload(doc, message)["properties"][name] = {"type": "string"}
    return doc


def test_no_snapshot_yet_is_recorded(tmp_path: Path) -> None:
    verdict = check(None, api_of(tmp_path, base(), "new"), fix=FIX)
    assert (verdict.current, verdict.allowed) == (False, True)
    assert verdict.reason == f"no snapshot yet: `{FIX}` records the API"


def test_the_same_surface_is_current(tmp_path: Path) -> None:
    old, new = api_of(tmp_path, base(), "old"), api_of(tmp_path, base(), "new")
    verdict = check(old, new, fix=FIX)
    assert (verdict.current, verdict.allowed, verdict.changes) == (True, True, [])


def test_a_new_version_alone_is_recorded_without_changes(tmp_path: Path) -> None:
    old = api_of(tmp_path, base(), "old")
    verdict = check(old, api_of(tmp_path, versioned(base(), "1.1.0"), "new"), fix=FIX)
    assert (verdict.current, verdict.allowed, verdict.changes) == (False, True, [])
    assert verdict.reason == f"no API changes (info.version 1.0.0 -> 1.1.0): `{FIX}` records it"


def test_the_same_removal_breaks_on_the_server_side_only_when_read(tmp_path: Path) -> None:
    """Removing an optional field: callers of the client event that pass it break; readers
    of the server event that read it break too. Adding one: harmless on both sides."""
    old = api_of(tmp_path, base(), "old")
    added = check(old, api_of(tmp_path, with_optional_field(base(), "filled", "fee"), "a"), fix=FIX)
    assert added.allowed and [c.rule for c in added.changes] == ["server-field-added"]
    added = check(old, api_of(tmp_path, with_optional_field(base(), "order", "tif"), "b"), fix=FIX)
    assert added.allowed and [c.rule for c in added.changes] == ["client-field-added-optional"]
    # a required field: breaks what the client sends, not what it receives
    required = copy.deepcopy(base())
    payload(required, "filled")["required"].append("venue")
    assert check(old, api_of(tmp_path, required, "c"), fix=FIX).allowed
    required = copy.deepcopy(base())
    payload(required, "order")["required"].append("note")
    verdict = check(old, api_of(tmp_path, required, "d"), fix=FIX)
    assert not verdict.allowed
    assert [c.rule for c in verdict.changes] == ["client-field-made-required"]


def test_a_breaking_change_needs_a_new_major_version(tmp_path: Path) -> None:
    old = api_of(tmp_path, base(), "old")
    edited = without_field(base(), "filled", "price")
    refused = check(old, api_of(tmp_path, edited, "same"), fix=FIX)
    assert (refused.current, refused.allowed) == (False, False)
    assert [c.rule for c in refused.changes] == ["server-field-removed"]
    assert refused.reason == (
        "1 breaking changes need a new major version: bump info.version to 2.0.0 "
        "(info.version 1.0.0), or undo them"
    )
    minor = check(old, api_of(tmp_path, versioned(edited, "1.9.0"), "minor"), fix=FIX)
    assert not minor.allowed and "(info.version 1.0.0 -> 1.9.0)" in minor.reason
    bumped = check(old, api_of(tmp_path, versioned(edited, "2.0.0"), "major"), fix=FIX)
    assert bumped.allowed
    assert bumped.reason.startswith("1 breaking changes with a new major version")
    lowered = check(
        api_of(tmp_path, versioned(base(), "3.0.0"), "three"),
        api_of(tmp_path, versioned(edited, "2.0.0"), "two"),
        fix=FIX,
    )
    assert not lowered.allowed
    assert check(old, api_of(tmp_path, edited, "same"), fix=FIX, accept_breaking=True).allowed


def test_a_version_without_a_major_number_cannot_allow_a_breaking_change(tmp_path: Path) -> None:
    old = api_of(tmp_path, versioned(base(), "beta"), "old")
    new = api_of(tmp_path, versioned(without_field(base(), "filled", "price"), "gamma"), "new")
    verdict = check(old, new, fix=FIX)
    assert not verdict.allowed
    assert "has no major number to bump" in verdict.reason
    assert f"delete the snapshot and run `{FIX}`" in verdict.reason


def test_a_snapshot_in_another_format_is_not_compared(tmp_path: Path) -> None:
    old = api_of(tmp_path, base(), "old") | {"sockgen_api": 99}
    verdict = check(old, api_of(tmp_path, base(), "new"), fix=FIX)
    assert not verdict.allowed and "surface format 99" in verdict.reason


def write_spec(folder: Path, doc: Doc) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "desk.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["snapshot", *argv, "--direction", "client"])
    out, err = capsys.readouterr()
    return code, out + err


def test_the_command_checks_writes_and_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path / "api", base())
    snap = tmp_path / "api" / "desk.api.json"
    code, out = run(capsys, str(spec), str(snap))
    assert code == 1 and "no snapshot yet" in out and not snap.exists()
    code, out = run(capsys, str(spec), str(snap), "--write")
    assert code == 0 and "recorded the API" in out
    assert main(["api", str(spec), "--direction", "client"]) == 0
    assert snap.read_text() == capsys.readouterr().out
    assert run(capsys, str(spec), str(snap)) == (0, f"{snap}: the snapshot is up to date\n")
    before = snap.read_bytes()

    write_spec(tmp_path / "api", without_field(base(), "filled", "price"))
    code, out = run(capsys, str(spec), str(snap), "--write", "--fix-command", FIX)
    assert code == 1 and snap.read_bytes() == before  # refused: left as it was
    lines = out.splitlines()
    assert lines[0].startswith("BREAKING server-field-removed [server-to-client]")
    assert lines[-1] == (
        f"{snap}: 1 breaking changes need a new major version: bump info.version to 2.0.0 "
        "(info.version 1.0.0), or undo them"
    )
    code, out = run(capsys, str(spec), str(snap), "--write", "--accept-breaking")
    assert code == 0 and json.loads(snap.read_text())["version"] == "1.0.0"


def test_a_snapshot_that_is_not_one_is_an_error_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path / "api", base())
    snap = tmp_path / "api" / "desk.api.json"
    for text, problem in (
        (
            b'{\n  "sockgen_api": 1,\n  oops',
            ":3:3: not a sockgen API snapshot: Expecting property name enclosed in double quotes",
        ),
        (b'{"asyncapi": "3.0.0"}', ": not a sockgen API snapshot (no `sockgen_api` key)"),
        (b"\xff\xfe", ": not UTF-8 text (invalid start byte at byte 0)"),
    ):
        snap.write_bytes(text)
        code, out = run(capsys, str(spec), str(snap), "--write")
        assert (code, out) == (2, f"sockgen: error: {snap}{problem}\n")
        assert snap.read_bytes() == text


def test_lowering_the_major_version_is_refused_so_a_break_cannot_pass_in_two_steps(
    tmp_path: Path,
) -> None:
    old = api_of(tmp_path, base(), "old")
    lowered = api_of(tmp_path, versioned(base(), "0.9.0"), "lowered")
    first = check(old, lowered, fix=FIX)
    assert not first.allowed and first.changes == []
    assert first.reason.startswith("the major version went down or away (info.version 1.0.0")
    gone = check(old, api_of(tmp_path, versioned(base(), "next"), "gone"), fix=FIX)
    assert not gone.allowed and "went down or away" in gone.reason
    # had the first step been recorded, the second would look like a major bump
    raised = api_of(tmp_path, versioned(without_field(base(), "filled", "price"), "1.0.0"), "r")
    assert check(lowered, raised, fix=FIX).allowed
    assert not check(old, raised, fix=FIX).allowed


def test_a_version_gaining_a_major_number_is_a_bump_only_with_nothing_breaking(
    tmp_path: Path,
) -> None:
    old = api_of(tmp_path, versioned(base(), "beta"), "old")
    assert check(old, api_of(tmp_path, versioned(base(), "1.0.0"), "same"), fix=FIX).allowed
    broken = versioned(without_field(base(), "filled", "price"), "1.0.0")
    verdict = check(old, api_of(tmp_path, broken, "broken"), fix=FIX)
    assert not verdict.allowed
    assert "the snapshot's info.version has no major number to bump" in verdict.reason
    empty = check(
        api_of(tmp_path, versioned(base(), ""), "e1"),
        api_of(tmp_path, versioned(broken, ""), "e2"),
        fix=FIX,
    )
    assert '(info.version "")' in empty.reason


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda s: s["channels"]["trades"].pop("address"), '/channels/trades: no "address"'),
        (lambda s: s.update(version=1), "/version: expected a str, found int"),
        (
            lambda s: s["models"]["Filled"]["fields"]["price"].update(required="yes"),
            "/models/Filled/fields/price/required: expected bool, found str",
        ),
        (lambda s: s.update(channels=[]), "/channels: expected an object, found list"),
    ],
)
def test_a_snapshot_edited_out_of_shape_is_an_error_naming_the_place(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    edit: Callable[[dict[str, Any]], object],
    problem: str,
) -> None:
    spec = write_spec(tmp_path / "api", base())
    snap = tmp_path / "api" / "desk.api.json"
    assert run(capsys, str(spec), str(snap), "--write")[0] == 0
    data = json.loads(snap.read_text())
    edit(data)
    snap.write_text(json.dumps(data))
    code, out = run(capsys, str(spec), str(snap), "--write")
    assert code == 2 and f"{snap}: not a sockgen API snapshot: {problem} (edited" in out, out


def test_the_suggested_command_repeats_the_spec_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path / "api dir", base())
    snap = tmp_path / "api dir" / "desk.api.json"
    code, out = run(capsys, str(spec), str(snap), "--package", "desk_sdk")
    assert code == 1
    assert (
        f"`sockgen snapshot '{spec}' '{snap}' --package desk_sdk --direction client --write` "
        "records the API" in out
    ), out
    code, out = run(capsys, str(spec), str(snap), "--accept-breaking")
    assert code == 2 and "--accept-breaking only goes with --write" in out
