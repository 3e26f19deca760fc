"""emit/imports.py: a module's imports are exactly the names its code uses, sorted as isort."""

from __future__ import annotations

from sockgen.emit.imports import block, defined_names, statements, used_names


def test_names_used_but_not_defined() -> None:
    body = "class A(SockgenModel):\n    x: Literal[1]\n\nB = A | Never\n"
    assert used_names(body) >= {"SockgenModel", "Literal", "A", "Never"}
    assert defined_names(body) == {"A", "B"}


def test_sections_standard_then_third_party_then_local_furthest_first() -> None:
    local = {"Shared": "..shared.models", "Join": ".messages"}
    text = statements(["Join", "Literal", "Shared", "SockgenModel", "Annotated", "Field"], local)
    assert text == (
        "from typing import Annotated, Literal\n"
        "\n"
        "from pydantic import Field\n"
        "from sockgen_runtime import SockgenModel\n"
        "\n"
        "from ..shared.models import Shared\n"
        "from .messages import Join"
    )


def test_constants_then_classes_then_functions_as_isort_orders_names() -> None:
    text = statements(["given", "NotGiven", "NOT_GIVEN"], {})
    assert text == "from sockgen_runtime import NOT_GIVEN, NotGiven, given"


def test_an_alias_gets_its_own_statement() -> None:
    text = statements(["_room", "Demo"], {"_room": ".:room", "Demo": "._client"})
    assert text == "from . import room as _room\nfrom ._client import Demo"


def test_a_long_import_is_parenthesised_one_name_a_line() -> None:
    names = [f"VeryLongModelName{i}" for i in range(6)]
    text = statements(names, {n: ".messages" for n in names})
    assert text.startswith("from .messages import (\n    VeryLongModelName0,\n")
    assert text.endswith("    VeryLongModelName5,\n)")


def test_nothing_unused_is_imported() -> None:
    assert block("X = 1\n", {"Join": ".messages"}) == ""
    assert block("X: Any = Join\n", {"Join": ".messages"}) == (
        "from typing import Any\n\nfrom .messages import Join"
    )
