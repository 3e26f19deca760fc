"""The generator fuzzed with hostile documents and mutated real specs (``fuzzing.py``).

CI runs a bounded, deterministic number of examples per strategy. The long run:

    SOCKGEN_FUZZ_EXAMPLES=2000 SOCKGEN_FUZZ_RANDOM=1 ./pants test --force --no-timeouts tests/generator:fuzz

(``--force``: a random run is not to be answered from the cache.)

Every successful generation is also type-checked (``mypy --strict``) and linted
(ruff) at the end, in one batch.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from generator import fuzzing
from generator.support import _corpus_path, check_generated
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sockgen.input.load import Workspace

EXAMPLES = int(os.environ.get("SOCKGEN_FUZZ_EXAMPLES", "20"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=not os.environ.get("SOCKGEN_FUZZ_RANDOM"),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Small real specs to mutate (each generation stays well under a second).
MUTATED = [
    "gemini-asyncapi3.yaml",
    "kraken-multichannel-asyncapi3.yaml",
    "newsware-asyncapi3.yaml",
    "vex-chat-asyncapi3.json",
    "farcaster-warpcast-asyncapi26.yaml",
    "smallest-pulse-stt-asyncapi3.yaml",
    "elevenlabs-tts-asyncapi26.yaml",
]

_counter = itertools.count()


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The module's work folder; when the module ends, every package generated in it is
    linted and type-checked in one batch (whichever tests ran)."""
    path = tmp_path_factory.mktemp("fuzz")
    yield path
    check_generated(path)


def _generate(root: Path, doc: Any, extra: list[str] | None = None) -> fuzzing.Outcome:
    n = next(_counter)
    work = root / f"case{n}"
    work.mkdir()
    spec = fuzzing.dump(doc, work / "spec.json")
    flag = root / fuzzing.CANARY
    before = {p for p in root.rglob("*") if p.is_file()}
    outcome = fuzzing.run(spec, work / "out", f"fuzz{n}", extra)
    fuzzing.check(outcome, root, before, flag)
    if outcome.code != 0:
        shutil.rmtree(work)
    return outcome


@FUZZ
@given(doc=fuzzing.asyncapi_docs(), direction=st.sampled_from([None, "client", "server"]))
def test_hostile_documents(root: Path, doc: dict[str, Any], direction: str | None) -> None:
    # with a direction, hostile documents get past side inference into the emitter
    _generate(root, doc, ["--direction", direction] if direction else None)


@FUZZ
@given(data=st.data(), name=st.sampled_from(MUTATED))
def test_mutated_real_specs(root: Path, data: st.DataObject, name: str) -> None:
    corpus = _corpus_path()
    if not (corpus / name).is_file():
        pytest.skip(f"the shared corpus is not at {corpus}")
    doc = Workspace(corpus).load(corpus / name).data
    mutated = data.draw(fuzzing.mutations(doc, root / fuzzing.CANARY))
    _generate(root, mutated)


@FUZZ
@given(data=st.data())
def test_mutated_openapi_with_its_config(root: Path, data: st.DataObject) -> None:
    """The example OpenAPI spec, mutated, with its Stainless config (also mutated)."""
    base = Workspace(Path("specs/feed")).load(Path("specs/feed/feed.openapi.yaml")).data
    config = Workspace(Path("specs/feed")).load(Path("specs/feed/stainless.yaml")).data
    n = next(_counter)
    work = root / f"case{n}"
    work.mkdir()
    spec = fuzzing.dump(
        data.draw(fuzzing.mutations(base, root / fuzzing.CANARY)), work / "spec.json"
    )
    cfg = fuzzing.dump(
        data.draw(fuzzing.mutations(config, root / fuzzing.CANARY)), work / "cfg.json"
    )
    before = {p for p in root.rglob("*") if p.is_file()}
    outcome = fuzzing.run(spec, work / "out", f"fuzz{n}", ["-c", str(cfg)])
    fuzzing.check(outcome, root, before, root / fuzzing.CANARY)
