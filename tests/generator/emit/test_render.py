"""emit/render.py: views to files; templates print only escaped fragments."""

from __future__ import annotations

import ast

import pytest
from generator.emit.models import chat
from sockgen.emit import render
from sockgen.emit.pycode import Code, UnsafeOutput
from sockgen.emit.views import build
from sockgen.names.layout import files


def test_a_template_cannot_print_unescaped_text() -> None:
    env = render._environment()
    assert env.from_string("{{ x }}").render(x=Code("ok")) == "ok"
    with pytest.raises(UnsafeOutput):
        env.from_string("{{ x }}").render(x="raw spec text")


def test_the_files_are_the_ones_the_layout_predicts() -> None:
    out = render.render(build(chat()))
    assert sorted(out) == files("demo_sdk", ["room"])
    assert "pyproject.toml" not in out
    with_project = render.render(build(chat()), readme=False, pyproject=True)
    assert "pyproject.toml" in with_project and "demo_sdk/README.md" not in with_project


def test_every_module_parses_and_imports_what_it_uses() -> None:
    out = render.render(build(chat()))
    for path, text in out.items():
        if path.endswith(".py"):
            ast.parse(text, path)
    messages = out["demo_sdk/room/messages.py"]
    assert "from sockgen_runtime import SockgenModel" in messages
    assert "from ..shared.models import" not in messages  # Member is used by room alone
    init = out["demo_sdk/__init__.py"]
    # the runtime check comes before anything imports from the runtime
    assert init.index("from . import _contract") < init.index("from ._client import")
