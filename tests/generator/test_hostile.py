"""Hostile and odd specs, one regression test per class (issue 10).

The promise: exit 0 with a package that imports, lints and passes ``mypy --strict``,
or exit 2 with one line naming the file and the place. Packages generated here are
type-checked and linted in one batch by the last test of the module.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from generator import fuzzing
from generator.support import check_generated, corpus_dir
from sockgen.generate import generate as generate_api


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The module's work folder; when the module ends, everything generated in it is linted
    and type-checked in one batch (whichever tests ran)."""
    path = tmp_path_factory.mktemp("hostile")
    yield path
    check_generated(path)


def doc(
    send: dict[str, Any] | None = None, receive: dict[str, Any] | None = None
) -> dict[str, Any]:
    """An AsyncAPI 3 document written from the server's side... with one channel ``live``
    whose client sends the ``send`` messages and receives the ``receive`` ones (by name)."""
    send = send or {}
    receive = receive or {}
    messages = {**send, **receive}
    ops: dict[str, Any] = {}
    for action, group in (("send", send), ("receive", receive)):
        if group:
            ops[f"{action}Things"] = {
                "action": action,
                "channel": {"$ref": "#/channels/live"},
                "messages": [{"$ref": f"#/channels/live/messages/{n}"} for n in group],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Hostile", "version": "1.0.0"},
        "channels": {"live": {"address": "/live", "messages": messages}},
        "operations": ops,
    }


def tagged(value: str, **props: Any) -> dict[str, Any]:
    return {
        "payload": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"const": value}, **props},
        }
    }


def write(root: Path, spec: Any, name: str, text: str | None = None) -> Path:
    """``spec`` as ``name/spec.json``, or ``text`` as ``name/spec.yaml``."""
    work = root / name
    work.mkdir()
    path = work / ("spec.yaml" if text is not None else "spec.json")
    if text is not None:
        path.write_text(text, encoding="utf-8")
    else:
        fuzzing.dump(spec, path)
    return path


def generate(
    root: Path, spec: Any, name: str, *extra: str, text: str | None = None
) -> fuzzing.Outcome:
    """Run the CLI on ``spec`` (written as JSON, or ``text`` as is) and check the property."""
    return run(root, write(root, spec, name, text), *extra)


def run(root: Path, path: Path, *extra: str, infer: bool = False) -> fuzzing.Outcome:
    """The CLI on ``path``, written under ``root``; the document is read from the
    client's side (``--direction client``) unless ``infer`` or ``extra`` says otherwise."""
    work = path.parent if path.is_relative_to(root) else root / path.stem.replace("-", "_")
    work.mkdir(exist_ok=True)
    name = work.name
    before = {p for p in root.rglob("*") if p.is_file()}
    args = list(extra) if infer or "--direction" in extra else ["--direction", "client", *extra]
    outcome = fuzzing.run(path, work / "out", name, args)
    fuzzing.check(outcome, root, before, root / fuzzing.CANARY)
    return outcome


def error(outcome: fuzzing.Outcome) -> str:
    assert outcome.code == 2, outcome.stdout + outcome.stderr
    return outcome.stderr.strip()


def source(outcome: fuzzing.Outcome, rel: str) -> str:
    assert outcome.code == 0, outcome.stderr
    return (outcome.out / outcome.package / rel).read_text(encoding="utf-8")  # type: ignore[operator]


# --- tracebacks ----------------------------------------------------------------------------


def nested(depth: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        schema = {"type": "object", "properties": {"x": schema}}
    return schema


@pytest.mark.parametrize("limit", [120, 1_000_000])
def test_a_payload_nested_hundreds_of_levels_is_refused_whatever_the_recursion_limit(
    root: Path, limit: int
) -> None:
    path = write(root, doc(send={"deep": {"payload": nested(300)}}), f"deep{limit}")
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        out = run(root, path)
    finally:
        sys.setrecursionlimit(before)
    message = error(out)
    assert "spec.json" in message and "levels" in message and "refused" in message


def test_a_payload_nested_fifty_levels_is_generated(root: Path) -> None:
    out = generate(root, doc(send={"deep": {"payload": nested(25)}}), "deep25")
    assert "class Deep" in source(out, "live/messages.py")


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_a_deeply_nested_array_file_is_refused(root: Path, suffix: str) -> None:
    work = root / f"array_{suffix}"
    work.mkdir()
    spec = work / f"spec.{suffix}"
    spec.write_text('{"asyncapi": "3.0.0", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    message = error(run(root, spec))
    # JSON: ours; YAML: libyaml's own limit, which also names the line and column
    assert f"spec.{suffix}:1:" in message and "nest" in message, message


def test_a_payload_nested_ten_thousand_levels(root: Path) -> None:
    deep = '{"type": "object", "properties": {"x": ' * 10_000 + '{"type": "string"}' + "}}" * 10_000
    text = json.dumps(doc(send={"deep": {"payload": "PAYLOAD"}})).replace('"PAYLOAD"', deep)
    work = root / "deep10000"
    work.mkdir()
    (work / "spec.json").write_text(text)
    message = error(run(root, work / "spec.json"))
    assert "spec.json:1:" in message and "nested more than 100 levels" in message


def test_twenty_thousand_enum_values(root: Path) -> None:
    values = [f"v{i}" for i in range(20_000)]
    out = generate(root, doc(send={"pick": tagged("pick", choice={"enum": values})}), "enum20000")
    assert '"v19999"' in source(out, "live/messages.py")


def test_three_thousand_properties(root: Path) -> None:
    props = {f"p{i}": {"type": "integer"} for i in range(3_000)}
    out = generate(root, doc(send={"wide": tagged("wide", **props)}), "props3000")
    assert "p2999: int | None = None" in source(out, "live/messages.py")


def test_mutual_refs(root: Path) -> None:
    spec = doc(
        send={"a": {"payload": {"$ref": "#/components/schemas/A"}}},
        receive={"b": {"payload": {"$ref": "#/components/schemas/B"}}},
    )
    spec["components"] = {
        "schemas": {
            "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
        }
    }
    text = source(generate(root, spec, "mutual"), "live/messages.py")
    assert "b: B | None = None" in text and "a: A | None = None" in text


def test_refs_that_only_point_at_each_other(root: Path) -> None:
    spec = doc(send={"a": {"payload": {"$ref": "#/components/schemas/A"}}})
    spec["components"] = {
        "schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/A"},
        }
    }
    message = error(generate(root, spec, "refloop"))
    assert "spec.json" in message and "/components/schemas/" in message


# --- output that does not import -----------------------------------------------------------


@pytest.mark.parametrize("ref", ["", "#"])
def test_a_message_ref_to_the_document_root(root: Path, ref: str) -> None:
    spec = doc(receive={"ok": tagged("ok")})
    spec["channels"]["live"]["messages"]["root"] = {"$ref": ref}
    spec["operations"]["receiveThings"]["messages"].append(
        {"$ref": "#/channels/live/messages/root"}
    )
    out = generate(root, spec, f"rootref{len(ref)}")
    if out.code == 2:  # refused: then it says where
        assert "/channels/live/messages/root" in error(out)
    # an SDK that imports is checked by fuzzing.check


# --- output that fails mypy --strict ---------------------------------------------------------


def test_a_float_enum_gets_the_nearest_sound_type_and_a_warning(root: Path) -> None:
    spec = doc(send={"pick": tagged("pick", choice={"enum": [1.5, "a", None]})})
    out = generate(root, spec, "floatenum", "-q")
    line = next(x for x in source(out, "live/messages.py").splitlines() if "choice:" in x)
    assert line.strip() == 'choice: Literal["a", None] | float | None = None', line
    warnings = generate_api(out.out.parent / "spec.json", direction="client").warnings
    assert [(w.pointer, w.message) for w in warnings if "float" in w.message] == [
        (
            "/channels/live/messages/pick/payload/properties/choice/enum",
            "float values (1.5) cannot be Literal members: typed float",
        )
    ]


def test_a_tag_property_whose_name_needs_escaping(root: Path) -> None:
    msgs = {
        "a": {
            "payload": {
                "type": "object",
                "required": ["__dict__"],
                "properties": {"__dict__": {"const": "a"}},
            }
        },
        "b": {
            "payload": {
                "type": "object",
                "required": ["__dict__"],
                "properties": {"__dict__": {"const": "b"}},
            }
        },
    }
    out = generate(
        root, doc(send=msgs, receive=copy.deepcopy({"c": msgs["a"], "d": msgs["b"]})), "dunder"
    )
    text = source(out, "live/messages.py")
    # pydantic discriminates on the field's Python name, and no cast is needed for the tag
    assert 'IncomingMessage = Annotated[C | D, Field(discriminator="dict_")]' in text
    assert 'OutgoingMessage = Annotated[A | B, Field(discriminator="dict_")]' in text
    assert "cast(" not in source(out, "live/connection.py")


def test_server_events_told_apart_by_a_callable_import_what_they_use(root: Path) -> None:
    receive = {
        "a": tagged("a", n={"type": "integer"}),
        "b": tagged("a", s={"type": "string"}),  # the same tag twice: a callable
        "c": {
            "payload": {
                "type": "object",
                "required": ["untagged"],
                "properties": {"untagged": {"type": "boolean"}},
            }
        },
    }
    out = generate(root, doc(send={"ping": tagged("ping")}, receive=receive), "callable")
    assert "_incoming_tag" in source(out, "live/messages.py")


def test_fields_named_like_classes_or_imports(root: Path) -> None:
    node = {"type": "object", "properties": {"v": {"type": "integer"}}, "title": "Node"}
    spec = doc(
        send={
            "pick": tagged(
                "pick",
                Literal={"const": None},
                Node=node,
                Any={"type": "string"},
                datetime={"type": "string", "format": "date-time"},
                Thing={"$ref": "#/components/schemas/Thing"},
            )
        }
    )
    spec["components"] = {
        "schemas": {"Thing": {"type": "object", "properties": {"n": {"type": "integer"}}}}
    }
    out = generate(root, spec, "shadow")
    text = " ".join(source(out, "live/messages.py").split())
    for name, wire in [
        ("Literal_", "Literal"),
        ("Any_", "Any"),
        ("datetime_", "datetime"),
        ("Thing_", "Thing"),
    ]:
        assert f"{name}: " in text and f'validation_alias="{wire}"' in text, name
    assert "Node: PickNode | None = None" in text  # no class of that name: kept


@pytest.mark.parametrize(
    "address", ["/{a}/{a}", "/{a b}/{class}", "/{}", "/{{x}}", "/ü/{naïve}", "live", ""]
)
def test_odd_channel_addresses(root: Path, address: str) -> None:
    spec = doc(send={"ping": tagged("ping")}, receive={"pong": tagged("pong")})
    spec["channels"]["live"]["address"] = address
    out = generate(root, spec, "address_" + hashlib.sha1(address.encode()).hexdigest()[:8])
    if address == "/{a}/{a}":  # one parameter that fills both places
        text = " ".join(source(out, "live/connection.py").split())
        assert "self, *, a: str, unknown_events: UnknownEvents" in text
        assert 'path_params={"a": a}' in text


@pytest.mark.parametrize(
    "title", ["Required", "Literal", "Pong", "None", "LiveConnection", "O", "FakeServer"]
)
def test_a_title_named_like_a_class_or_import(root: Path, title: str) -> None:
    spec = doc(send={"ping": tagged("ping")}, receive={"pong": tagged("pong")})
    spec["info"]["title"] = title
    out = generate(root, spec, f"title_{title.lower()}")
    assert f"from ._client import Async{title}Client, {title}Client" in source(out, "__init__.py")


def test_names_from_prose_are_capped_and_the_output_bounded(root: Path) -> None:
    """A title, message key and property of prose (a 5 MB title once made a
    5,000,000-character class name and a 120 MB SDK) give names of at most ~60 characters."""
    prose = " ".join(f"word{i}" for i in range(200_000))  # 1.5 MB
    long_key = "x" * 5_000
    spec = doc(
        send={"ping " + prose[:5_000]: tagged("ping", **{long_key: {"type": "string"}})},
        receive={"pong": tagged("pong")},
    )
    spec["info"]["title"] = prose
    out = generate(root, spec, "prose")
    init = source(out, "__init__.py")
    assert init.startswith('"""word0 word1') and len(init.split("\n", 1)[0]) <= 90
    client = re.search(r"^class Async(\w+)\b", source(out, "_client.py"), re.MULTILINE)
    assert client is not None and len(client.group(1)) <= 60, client
    assert client.group(1).startswith("Word0Word1Word2")
    names = re.findall(r"^class (\w+)", source(out, "live/messages.py"), re.MULTILINE)
    assert names and max(map(len, names)) <= 60 + len("Param"), names
    messages = source(out, "live/messages.py")
    assert f'validation_alias="{long_key}"' in messages or f'alias="{long_key}"' in messages
    assert not re.search(r"\w{70}", messages.replace(long_key, ""))
    assert out.out is not None
    size = sum(p.stat().st_size for p in out.out.rglob("*") if p.is_file())
    assert size < 20 * len(prose), size  # the prose is carried as text a few times, not more


def test_a_config_client_class_that_collides_is_refused(root: Path) -> None:
    spec = doc(send={"ping": tagged("ping")}, receive={"pong": tagged("pong")})
    work = root / "client_class"
    work.mkdir()
    (work / "sockgen.yaml").write_text("sockgen:\n  client_class: Pong\n")
    path = fuzzing.dump(spec, work / "spec.json")
    message = error(run(root, path, "-c", str(work / "sockgen.yaml")))
    assert "client_class 'Pong'" in message and "sockgen.client_class" in message


@pytest.mark.parametrize(
    ("key", "module"),
    [
        ("a" * 300, "a" * 60),
        ("class", "class_"),
        ("None", "none"),
        ("shared", "shared_2"),
        ("/", "root"),
        ("l", "l"),
        ("fixture", "fixture"),
    ],
)
def test_odd_channel_keys(root: Path, key: str, module: str) -> None:
    spec = doc(send={"ping": tagged("ping")}, receive={"pong": tagged("pong")})
    spec["channels"] = {key: spec["channels"]["live"]}
    pointer = "#/channels/" + key.replace("~", "~0").replace("/", "~1")
    for op in spec["operations"].values():
        op["channel"]["$ref"] = pointer
        for ref in op["messages"]:
            ref["$ref"] = ref["$ref"].replace("#/channels/live", pointer)
    name = "key_" + hashlib.sha1(key.encode()).hexdigest()[:8]
    out = generate(root, spec, name)
    assert (out.out / name / module / "connection.py").is_file()
    if module in ("l", "fixture"):  # E741; the fakes' own fixture() classmethod
        assert f'self.{module}_channel = self.channel("{module}")' in source(out, "testing.py")


def test_a_spec_without_channels(root: Path) -> None:
    spec = doc()
    spec["channels"], spec["operations"] = {}, {}
    out = generate(root, spec, "nochannels")
    assert "CHANNELS: tuple[FakeChannelSpec, ...] = ()" in source(out, "testing.py")


def test_an_error_is_one_line_whatever_the_spec_says(root: Path) -> None:
    spec = doc(send={"ping": {"$ref": "line\u2028separator\u2029para\nnewline"}})
    message = error(generate(root, spec, "oneline"))
    assert "line\\u2028separator\\u2029para\\nnewline" in message


def test_an_output_folder_that_cannot_be_written(root: Path) -> None:
    spec = doc(send={"ping": tagged("ping")}, receive={"pong": tagged("pong")})
    path = write(root, spec, "unwritable")
    (path.parent / "out").write_text("a file where the folder would go")
    outcome = fuzzing.run(path, path.parent / "out", "unwritable", ["--direction", "client"])
    assert outcome.code == 2 and "Traceback" not in outcome.stderr
    assert outcome.stderr.startswith("sockgen: error: ") and len(outcome.stderr.splitlines()) == 1


def test_a_message_that_is_json_null_and_an_info_that_is_not_a_mapping(root: Path) -> None:
    spec = doc(
        send={"nothing": {"payload": {"type": []}}}, receive={"none": {"payload": {"type": "null"}}}
    )
    spec["info"] = "not a mapping"
    out = generate(root, spec, "null")
    text = source(out, "live/messages.py")
    assert "OutgoingMessage = Literal[None]" in text and "IncomingMessage = Literal[None]" in text


def test_keywords_of_the_wrong_type(root: Path) -> None:
    """``contentType`` and ``discriminator.propertyName`` that are not strings are ignored;
    an event named ``l`` gets a helper pycodestyle accepts."""
    spec = doc(send={"l": tagged("l")}, receive={"pong": tagged("pong"), "p2": tagged("p2")})
    spec["channels"]["live"]["messages"]["l"]["contentType"] = {"not": "a string"}
    union: dict[str, Any] = {"oneOf": [tagged("x")["payload"], tagged("y")["payload"]]}
    union["discriminator"] = {"propertyName": {"type": "string"}}
    spec["channels"]["live"]["messages"]["pong"]["payload"]["properties"]["u"] = union
    out = generate(root, spec, "wrongtypes")
    assert "def l_(" in source(out, "live/connection.py")


def test_openapi_paths_that_are_not_a_mapping(root: Path) -> None:
    feed = Path("specs/feed")
    spec = yaml.safe_load((feed / "feed.openapi.yaml").read_text())
    spec["paths"] = "not a mapping"
    path = write(root, spec, "openapi_paths")
    shutil.copy(feed / "stainless.yaml", path.parent / "stainless.yaml")
    out = run(root, path, "-c", str(path.parent / "stainless.yaml"), infer=True)
    assert out.code == 0, out.stderr  # path parameters are strings without the path item


def test_an_openapi_discriminator_that_is_not_a_string(root: Path) -> None:
    feed = Path("specs/feed")
    spec = yaml.safe_load((feed / "feed.openapi.yaml").read_text())
    for name in ("ClientEvent", "ServerEvent"):
        spec["components"]["schemas"][name]["discriminator"]["propertyName"] = {"x": 1}
    path = write(root, spec, "openapi_discriminator")
    shutil.copy(feed / "stainless.yaml", path.parent / "stainless.yaml")
    out = run(root, path, "-c", str(path.parent / "stainless.yaml"), infer=True)
    assert out.code == 0, out.stderr  # the tags are found without it


# --- output that does not compile ----------------------------------------------------------

ODD_DOCS = [
    'Always "ok"',
    "ends in a backslash \\",
    'three """ quotes',
    "'''",
    "line\u2028separator\u2029paragraph\x85next",
    "\r\nCRLF\rCR",
    "nul \x00 and bell \x07",
    "\\N{BULLET} \\u0041",
]


@pytest.mark.parametrize("text", ODD_DOCS, ids=range(len(ODD_DOCS)))
def test_spec_text_in_every_position(root: Path, text: str) -> None:
    """Descriptions, titles, summaries, examples, defaults and enum values carrying odd text."""
    spec = doc(
        send={
            "say": {
                "title": text,
                "summary": text,
                "description": text,
                "payload": {
                    "type": "object",
                    "description": text,
                    "required": ["type"],
                    "properties": {
                        "type": {"const": "say", "description": text},
                        "words": {"type": "string", "default": text, "description": text},
                        "mood": {"enum": [text, "plain"]},
                    },
                },
                "examples": [{"payload": {"type": "say", "words": text}}],
            }
        },
        receive={"heard": tagged(text, text={"type": "string", "description": text})},
    )
    spec["info"]["description"] = text
    spec["channels"]["live"]["description"] = text
    generate(root, spec, f"text{ODD_DOCS.index(text)}")


def test_paradex_whose_description_ends_in_a_quote(root: Path) -> None:
    spec = corpus_dir() / "paradex-ws-asyncapi26.yaml"
    assert 'Always "ok"' in spec.read_text(encoding="utf-8")  # the text this test is about
    out = run(root, spec, infer=True)  # imported by the check; linted below
    assert out.code == 0, out.stderr


# --- no injected code runs -------------------------------------------------------------------


def test_spec_text_never_runs(root: Path) -> None:
    flag = root / fuzzing.CANARY
    for i, text in enumerate(fuzzing.canary_texts(flag)):
        spec = doc(
            send={
                "say": tagged("say", words={"type": "string", "default": text, "description": text})
            },
            receive={"heard": tagged(text)},
        )
        spec["info"]["title"] = text
        spec["channels"]["live"]["address"] = "/live/{" + "room" + "}"
        spec["channels"]["live"]["parameters"] = {"room": {"description": text}}
        generate(root, spec, f"canary{i}")
        assert not flag.exists()


# --- raw-file traps ----------------------------------------------------------------------------

MINIMAL = json.dumps(doc(send={"ping": tagged("ping")}, receive={"pong": tagged("pong")}))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "bomb",
            'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
                for i in range(9)
            ),
            "expand",
        ),
        (
            "python_tag",
            "asyncapi: !!python/object/apply:os.system ['touch sockgen_canary_ran']\n",
            "spec.yaml:1:11",
        ),
        ("empty", "", "empty"),
        ("scalar", "42\n", "mapping"),
        ("list", "- asyncapi: 3.0.0\n", "mapping"),
        ("version", "asyncapi: 9.9.9\ninfo: {title: x, version: '1'}\n", "9.9.9"),
        ("openapi", "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n", "config"),
        (
            "duplicate",
            "asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\ninfo: {title: y}\n",
            "spec.yaml:3:1",
        ),
        ("tabs", "asyncapi: 3.0.0\ninfo:\n\ttitle: x\n", "spec.yaml:3"),
        ("cycle", "asyncapi: 3.0.0\nx: &a [*a]\n", "spec.yaml"),
    ],
)
def test_raw_file_traps(root: Path, name: str, content: str, expected: str) -> None:
    out = generate(root, None, f"raw_{name}", text=content)
    message = error(out)
    assert expected in message and "spec.yaml" in message, message


def test_invalid_utf8_names_the_byte(root: Path) -> None:
    work = root / "utf8"
    work.mkdir()
    spec = work / "spec.yaml"
    spec.write_bytes(b"asyncapi: 3.0.0\ninfo:\n  title: caf\xe9\n")
    message = error(run(root, spec))
    assert "spec.yaml" in message and "UTF-8" in message, message


def test_a_bom_is_skipped(root: Path) -> None:
    out = generate(root, None, "bom", text="\ufeff" + MINIMAL)
    assert out.code == 0, out.stderr


def test_a_duplicate_key_in_json(root: Path) -> None:
    text = MINIMAL[:-1] + ', "info": {"title": "again", "version": "2"}}'
    work = root / "dupjson"
    work.mkdir()
    spec = work / "spec.json"
    spec.write_text(text)
    message = error(run(root, spec))
    assert "spec.json:1:" in message and "duplicate key 'info'" in message, message


def test_a_five_megabyte_line(root: Path) -> None:
    spec = json.loads(MINIMAL)
    spec["info"]["description"] = "x" * 5_000_000
    out = generate(root, spec, "long")
    assert out.code == 0
