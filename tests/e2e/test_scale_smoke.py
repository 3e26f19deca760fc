"""The scale benchmark (tests/benchmarks/scale.py) with N = 2, so that it cannot rot.

It prints its table; it asserts only what does not depend on the machine: every
SDK is written, the generator never runs on a no-op and runs once after one
spec is edited; dependency inference parses every spec in a new pantsd, none
when warm, and only the edited one after an edit.
"""

from __future__ import annotations

import contextlib
import io

import pytest
from benchmarks import scale

pytestmark = pytest.mark.timeout(3000)


def test_the_scale_benchmark_runs_and_one_edit_costs_one_generator_run_and_one_parse() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert scale.main(["--n", "2"]) == 0
    text = out.getvalue()
    print(text)
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    cells = {name: [c.strip() for c in line.split("|")[2:4]] for name, line in rows.items()}
    assert cells["SDKs written"][0] == "2", text
    assert cells["generator runs, no-op"][0] == "0", text
    assert cells["generator runs, one spec edited"][0] == "1", text
    # dependency inference parses each spec once per pantsd, and after an edit only that spec
    assert cells["specs parsed, new pantsd"][0] == cells["websocket_sdk targets"][0], text
    assert cells["specs parsed, warm"][0] == "0", text
    assert cells["specs parsed, one spec edited"][0] == "1", text
    assert "pantsd peak RSS MiB" in rows
