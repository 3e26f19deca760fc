"""The specs in specs/ generate exactly the reviewed files under golden/."""

from __future__ import annotations

import difflib

import pytest
from generator.goldens import CASES, GOLDEN, SUFFIX, render


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_the_goldens(name: str) -> None:
    produced = render(name)
    expected = {
        p.relative_to(GOLDEN / name).as_posix().removesuffix(SUFFIX): p.read_text(encoding="utf-8")
        for p in sorted((GOLDEN / name).rglob("*" + SUFFIX))
    }
    assert sorted(produced) == sorted(
        expected
    ), "file list differs (run tests/generator/goldens.py)"
    for rel, text in produced.items():
        if text != expected[rel]:
            diff = "".join(
                difflib.unified_diff(
                    expected[rel].splitlines(True), text.splitlines(True), rel, rel
                )
            )
            pytest.fail(
                f"{rel} differs from its golden (run tests/generator/goldens.py and review):\n{diff}"
            )
