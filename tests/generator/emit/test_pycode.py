"""emit/pycode.py: the one way each kind of spec text becomes source."""

from __future__ import annotations

import ast

import pytest
from sockgen import model as m
from sockgen.emit.pycode import Code, UnsafeOutput, annotation, docstring, ident, join, literal


@pytest.mark.parametrize(
    ("value", "source"),
    [
        ("plain", '"plain"'),
        ('say "hi"', "'say \"hi\"'"),  # fewer escapes with single quotes, as black writes it
        ("it's", '"it\'s"'),
        ("a\nb\tc\\", '"a\\nb\\tc\\\\"'),
        ("nul\x00 and \u2028", '"nul\\x00 and \\u2028"'),
        (float("nan"), 'float("nan")'),
        (float("-inf"), '-float("inf")'),
        (("one",), '("one",)'),
        ({"k": [1, None, True]}, '{"k": [1, None, True]}'),
    ],
)
def test_literals_are_valid_one_line_python_of_the_same_value(value: object, source: str) -> None:
    assert literal(value) == source
    assert "\n" not in literal(value)
    if isinstance(value, (str, tuple, dict)):
        assert ast.literal_eval(literal(value)) == value


def test_a_value_that_is_not_json_is_refused() -> None:
    with pytest.raises(UnsafeOutput):
        literal(object())


@pytest.mark.parametrize("name", ["class", "1st", "a-b", "x y", ""])
def test_ident_refuses_what_is_not_an_identifier(name: str) -> None:
    with pytest.raises(UnsafeOutput):
        ident(name)


def test_ident_takes_dotted_module_paths() -> None:
    assert ident("chat_sdk.room") == "chat_sdk.room"


def test_a_docstring_cannot_end_early_and_wraps_to_the_width() -> None:
    text = 'Ends with """ and a backslash \\ ' + "word " * 40
    body = docstring(text, 4)
    source = f'def f():\n    """{body}"""\n'
    tree = ast.parse(source)
    assert ast.get_docstring(tree.body[0], clean=False) is not None  # type: ignore[arg-type]
    assert all(len(line) <= 88 for line in source.splitlines())
    assert body.endswith("\n    ")  # a multi-line docstring closes on its own line


def test_a_docstring_keeps_list_items_on_their_lines() -> None:
    body = docstring("Steps:\n\n- one\n- two", 0)
    assert "- one\n- two" in body


@pytest.mark.parametrize(
    ("t", "text"),
    [
        (m.UnionType((m.Prim("str"), m.NONE)), "str | None"),
        (m.UnionType((m.LiteralType(("a",)), m.LiteralType(("b", "a")))), 'Literal["a", "b"]'),
        (m.ListType(m.DictType(m.Prim("int"))), "list[dict[str, int]]"),
        (m.UnionType((m.Prim("Any"), m.Prim("str"))), "Any"),
        (m.Prim("datetime"), "datetime"),
    ],
)
def test_annotations(t: m.TypeRef, text: str) -> None:
    assert annotation(t) == text


def test_a_discriminated_union_names_the_python_field() -> None:
    union = m.UnionType((m.NamedRef("A"), m.NamedRef("B")), "type")
    assert (
        annotation(union, field_of=lambda model, wire: "type_")
        == 'Annotated[A | B, Field(discriminator="type_")]'
    )
    # members that name the tag differently: a smart union, no discriminator
    names = {"A": "kind", "B": "kind_"}
    assert annotation(union, field_of=lambda model, wire: names[model]) == "A | B"


def test_wire_forms_accept_the_json_form_of_typed_strings() -> None:
    assert annotation(m.Prim("datetime"), wire_forms=True) == "datetime | str"


def test_join_refuses_unescaped_text() -> None:
    assert join([Code("a"), Code("b")]) == "a, b"
    with pytest.raises(UnsafeOutput):
        join([Code("a"), "b"])
