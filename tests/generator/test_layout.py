"""The module list the Pants plugin predicts (without running the generator) is what it writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from generator.support import CORPUS, CORPUS_IDS, CorpusSpec
from sockgen.generate import build_api
from sockgen.input.load import parse
from sockgen.names import layout

SPEC_CASES = [
    ("specs/chat/chat.asyncapi.yaml", None, "chat_sdk"),
    ("specs/feed/feed.openapi.yaml", "specs/feed/stainless.yaml", "feed_sdk"),
]


def predicted(spec: Path, config: Path | None, package: str) -> list[str]:
    """Exactly what sockgen_pants.layout_rules computes from the two files."""
    data = parse(spec.read_text(), spec.name, json_only=spec.suffix == ".json")
    cfg = parse(config.read_text(), config.name) if config else None
    keys = layout.channel_keys(data, cfg)
    return layout.python_modules(package, layout.channel_modules(keys).values())


def written(spec: Path, config: Path | None, package: str) -> list[str]:
    """The modules of the package the generator reads from the spec (rendering checks that it
    writes exactly these files: ``render``'s layout check)."""
    api, _ = build_api(spec, config, package)
    return layout.python_modules(api.package, [c.module for c in api.channels])


@pytest.mark.parametrize(("spec", "config", "package"), SPEC_CASES)
def test_specs(spec: str, config: str | None, package: str) -> None:
    args = (Path(spec), Path(config) if config else None, package)
    assert predicted(*args) == written(*args)


@pytest.mark.parametrize("case", CORPUS, ids=CORPUS_IDS)
def test_corpus(case: CorpusSpec) -> None:
    spec, config = case.files()
    args = (spec, config, case.package)
    assert predicted(*args) == written(*args)
