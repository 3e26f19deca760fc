"""The golden outputs for the specs in ``specs/``: what each generates, file by file.

Regenerate after an intended change, then review the diff as a reader would:

    python3 tests/generator/goldens.py       # from the repository root, with src/python importable
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from sockgen.generate import generate

GOLDEN = Path(__file__).parent / "golden"
SUFFIX = ".golden"
"""Stored as ``<file>.golden`` so that no tool takes the goldens for this repository's sources."""

#: name -> (spec, config, package)
CASES: dict[str, tuple[str, str | None, str | None]] = {
    "chat": ("specs/chat/chat.asyncapi.yaml", None, "chat_sdk"),
    "feed": ("specs/feed/feed.openapi.yaml", "specs/feed/stainless.yaml", None),
}


def render(name: str) -> dict[str, str]:
    spec, config, package = CASES[name]
    return generate(Path(spec), Path(config) if config else None, package, pyproject=True).files


def main() -> None:
    for name in CASES:
        target = GOLDEN / name
        shutil.rmtree(target, ignore_errors=True)
        for rel, text in render(name).items():
            path = target / (rel + SUFFIX)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
