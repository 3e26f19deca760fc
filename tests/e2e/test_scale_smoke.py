"""The scale benchmark (tests/benchmarks/scale.py) with N = 2, so that it cannot rot.

It prints its table; it asserts only what does not depend on the machine: the
generator runs once per spec when cold, never on a no-op, and once after one
spec is edited, at every N.
"""

from __future__ import annotations

import contextlib
import io

import pytest
from benchmarks import scale

pytestmark = pytest.mark.timeout(3000)


def test_the_scale_benchmark_runs_and_one_edit_costs_one_generator_run() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert scale.main(["--n", "2"]) == 0
    text = out.getvalue()
    print(text)
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    cells = {name: [c.strip() for c in line.split("|")[2:4]] for name, line in rows.items()}
    assert cells["cold generator runs"][0] == "2", text
    assert cells["no-op generator runs"][0] == "0", text
    assert cells["edited generator runs"][0] == "1", text
    assert "pantsd peak RSS MiB" in rows
