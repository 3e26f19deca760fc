"""Hostile specs for the generator's fuzz tests: strategies, and the property they must keep.

The property (issue 10): whatever the spec, ``sockgen generate-client`` either
exits 0 with a package that imports (and, checked in one batch at the end,
passes ``mypy --strict`` and ruff), or exits 2 with one line naming the file
and the place; never a traceback, never a file outside ``--output``, never
spec text that runs.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from sockgen import cli

#: Text that would do something if generated code ran it or a template evaluated it.
CANARY = "sockgen_canary_ran"


def canary_texts(flag: Path) -> list[str]:
    """Strings that create ``flag`` if any of them is ever executed."""
    touch = f"__import__('pathlib').Path({str(flag)!r}).touch()"
    return [
        f'"""; {touch}; """',
        f"'; {touch}; '",
        f'\\"); {touch}  # ',
        f"{{{{ {touch} }}}}",
        f"{{% set x = {touch} %}}",
        f"\n{touch}\n",
        f"`{touch}`",
    ]


HOSTILE_NAMES = [
    "class",
    "from",
    "None",
    "True",
    "self",
    "cls",
    "__dict__",
    "__init__",
    "__class__",
    "_",
    "__",
    "model_config",
    "model_fields",
    "json",
    "copy",
    "dict",
    "schema",
    "validate",
    "fields",
    "send",
    "on",
    "close",
    "l",
    "O",
    "I",
    "naïve",
    "日本語",
    "emoji😀",
    "",
    " ",
    "a" * 300,
    "a-b",
    "a_b",
    "A B",
    "1abc",
    "9",
    "type",
    "Literal",
    "Field",
    "Any",
    "IncomingMessage",
    "OutgoingMessage",
    "CHANNEL",
    "TypedDict",
    "Required",
    "datetime",
    "time",
    "RoomConnection",
    "LiveConnection",
    "LiveResource",
    "LiveClient",
]

ODD_TEXT = [
    'ends with a quote "ok"',
    "ends with a backslash \\",
    'triple """ quotes',
    "'''single triple'''",
    "line\u2028separator\u2029para",
    "nul\x00byte",
    "tab\there",
    "{{ 7 * 7 }} {% if x %}jinja{% endif %} {# c #}",
    "\\N{BULLET} \\x00 \\u0041",
    "```python\nimport os\n```",
    "# heading\n- item\n| table |",
    "\r\nwindows\rmac",
    "\ud800 lone surrogate",
    "x" * 500,
]

ODD_REFS = [
    "",
    "#",
    "#/",
    "#/nope",
    "#/components",
    "#/channels",
    "https://example.com/spec.yaml#/x",
    "//example.com/x",
    "other.yaml#/x",
    "../../../../../../etc/passwd",
    "#/components/schemas/a~1b",
    "#/components/schemas/%7B",
    "file:///etc/passwd",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(ODD_TEXT + HOSTILE_NAMES),
    st.text(max_size=12),
)

json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(HOSTILE_NAMES) | st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)

enums = st.one_of(
    st.lists(scalars, min_size=0, max_size=6),
    st.lists(st.sampled_from([1.5, "a", None, True, 1, 1, "a", 0.1, -0.0]), max_size=6),
    st.lists(json_values, max_size=4),
)


def schemas(names: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """Hostile JSON Schemas: keywords as names, odd enums, consts, type lists, refs."""
    leaf = st.one_of(
        st.fixed_dictionaries(
            {"type": st.sampled_from(["string", "integer", "number", "boolean", "null"])}
        ),
        st.fixed_dictionaries({"enum": enums}),
        st.fixed_dictionaries({"const": json_values}),
        st.fixed_dictionaries(
            {
                "type": st.lists(
                    st.sampled_from(["string", "integer", "null", "object", "array", "nope"]),
                    max_size=3,
                )
            }
        ),
        st.fixed_dictionaries(
            {
                "$ref": st.sampled_from(
                    [*ODD_REFS, "#/components/schemas/Node", "#/components/schemas/Loop"]
                )
            }
        ),
        st.fixed_dictionaries(
            {
                "type": st.just("string"),
                "format": st.sampled_from(["date-time", "uuid", "binary", "date", "time", "weird"]),
            }
        ),
        st.fixed_dictionaries(
            {
                "type": st.just("string"),
                "pattern": st.sampled_from(["^a$", "^a.b$", "(", "^$", "^ping$"]),
            }
        ),
        st.booleans(),
        json_values,
    )

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        props = st.dictionaries(names, children, max_size=5)
        return st.one_of(
            st.fixed_dictionaries(
                {"type": st.just("object"), "properties": props},
                optional={
                    "required": st.lists(names, max_size=4),
                    "description": st.sampled_from(ODD_TEXT),
                    "additionalProperties": st.booleans() | children,
                    "default": json_values,
                    "title": st.sampled_from(HOSTILE_NAMES),
                },
            ),
            st.fixed_dictionaries({"type": st.just("array"), "items": children}),
            st.fixed_dictionaries({"oneOf": st.lists(children, min_size=0, max_size=4)}),
            st.fixed_dictionaries({"anyOf": st.lists(children, min_size=1, max_size=4)}),
            st.fixed_dictionaries({"allOf": st.lists(children, min_size=1, max_size=3)}),
            st.fixed_dictionaries(
                {"oneOf": st.lists(children, min_size=2, max_size=3)},
                optional={"discriminator": st.fixed_dictionaries({"propertyName": names})},
            ),
        )

    return st.recursive(leaf, extend, max_leaves=10)


def asyncapi_docs() -> st.SearchStrategy[dict[str, Any]]:
    """Whole AsyncAPI 3 documents with hostile payloads, names, addresses and text."""
    names = st.sampled_from(HOSTILE_NAMES)
    message = st.fixed_dictionaries(
        {"payload": schemas(names)},
        optional={
            "name": names,
            "title": st.sampled_from(HOSTILE_NAMES + ODD_TEXT),
            "description": st.sampled_from(ODD_TEXT),
            "contentType": st.sampled_from(
                ["application/json", "application/octet-stream", "text/plain", "audio/wav"]
            ),
            "examples": st.lists(st.fixed_dictionaries({"payload": json_values}), max_size=2),
        },
    )
    address = st.sampled_from(
        [
            "/",
            "/live",
            "/{a}",
            "/{a}/{a}",
            "/{}",
            "/{a b}/{class}",
            "/ws?x=1",
            "/ü/{naïve}",
            "",
            "live",
            "/{{x}}",
            "/%zz",
        ]
    )

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        keys = draw(st.lists(names | st.just("live"), min_size=1, max_size=3, unique=True))
        channels: dict[str, Any] = {}
        operations: dict[str, Any] = {}
        for i, key in enumerate(keys):
            msgs = draw(
                st.dictionaries(
                    names | st.sampled_from(["req", "res", "ping", "pong"]),
                    message,
                    min_size=1,
                    max_size=3,
                )
            )
            channels[key] = {"address": draw(address), "messages": msgs}
            if draw(st.booleans()):
                channels[key]["parameters"] = draw(
                    st.dictionaries(
                        names,
                        st.fixed_dictionaries(
                            {}, optional={"description": st.sampled_from(ODD_TEXT), "enum": enums}
                        ),
                        max_size=2,
                    )
                )
            ref = "#/channels/" + key.replace("~", "~0").replace("/", "~1")
            for j, name in enumerate(msgs):
                action = draw(st.sampled_from(["send", "receive"]))
                operations[f"op{i}_{j}"] = {
                    "action": action,
                    "channel": {"$ref": ref},
                    "messages": [
                        {"$ref": f"{ref}/messages/{name.replace('~', '~0').replace('/', '~1')}"}
                    ],
                    "summary": draw(
                        st.sampled_from(
                            [*ODD_TEXT, "Send the request to the server", "Sent by the server"]
                        )
                    ),
                }
        doc = {
            "asyncapi": "3.0.0",
            "info": {
                "title": draw(st.sampled_from(ODD_TEXT + HOSTILE_NAMES)),
                "version": "1",
                "description": draw(st.sampled_from(ODD_TEXT)),
            },
            "channels": channels,
            "operations": operations,
            "components": {
                "schemas": {
                    "Node": {
                        "type": "object",
                        "properties": {"next": {"$ref": "#/components/schemas/Node"}},
                    },
                    "Loop": {"$ref": "#/components/schemas/Loop"},
                }
            },
        }
        if draw(st.booleans()):
            doc["servers"] = {
                "s": {
                    "host": draw(st.sampled_from(["example.com", "{h}", "ex ample", "x:1"])),
                    "protocol": "wss",
                    "pathname": draw(address),
                }
            }
        return doc

    return build()


# --- mutating real specs ---------------------------------------------------------------------


def _paths(node: Any, prefix: tuple[Any, ...] = (), limit: int = 4000) -> list[tuple[Any, ...]]:
    """JSON paths into ``node`` (breadth first, at most ``limit``)."""
    out: list[tuple[Any, ...]] = []
    queue = [(prefix, node)]
    while queue and len(out) < limit:
        path, value = queue.pop(0)
        out.append(path)
        if isinstance(value, dict):
            queue.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            queue.extend(((*path, i), v) for i, v in enumerate(value))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


@st.composite
def mutations(draw: st.DrawFn, doc: dict[str, Any], flag: Path) -> dict[str, Any]:
    """``doc`` with a few hostile edits at random places."""
    doc = copy.deepcopy(doc)
    paths = _paths(doc)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        try:  # an earlier edit may have moved it
            parent, key = _get(doc, path[:-1]), path[-1]
            current = parent[key]
        except (KeyError, IndexError, TypeError):
            continue
        op = draw(
            st.sampled_from(
                ["delete", "rename", "replace", "ref", "enum", "text", "deep", "canary"]
            )
        )
        if op == "delete":
            if isinstance(parent, dict):
                del parent[key]
            elif isinstance(parent, list):
                parent.pop(key)
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(HOSTILE_NAMES))] = parent.pop(key)
        elif op == "replace":
            parent[key] = draw(json_values)
        elif op == "ref":
            parent[key] = {"$ref": draw(st.sampled_from(ODD_REFS))}
        elif op == "enum" and isinstance(current, dict):
            current["enum"] = draw(enums)
        elif op == "text":
            parent[key] = draw(st.sampled_from(ODD_TEXT))
        elif op == "deep":
            depth = draw(st.sampled_from([30, 70, 300]))
            deep: Any = {"type": "string"}
            for _ in range(depth):
                deep = {"type": "object", "properties": {"x": deep}}
            parent[key] = deep
        elif op == "canary":
            parent[key] = draw(st.sampled_from(canary_texts(flag)))
    return doc


# --- running the generator -------------------------------------------------------------------


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    out: Path
    package: str | None = None
    files: list[Path] = field(default_factory=list)


@contextlib.contextmanager
def _captured() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield out, err


def run(spec: Path, out: Path, package: str, extra: list[str] | None = None) -> Outcome:
    """``sockgen generate-client`` in-process; any exception escaping it is the bug."""
    argv = ["generate-client", "-s", str(spec), "-o", str(out), "-p", package, "-q", *(extra or [])]
    with _captured() as (stdout, stderr):
        code = cli.main(argv)
    outcome = Outcome(code, stdout.getvalue(), stderr.getvalue(), out)
    if code == 0:
        outcome.package = package
        outcome.files = sorted(p for p in out.rglob("*") if p.is_file())
    return outcome


def check(outcome: Outcome, root: Path, before: set[Path], flag: Path) -> None:
    """The property, for one generation (imports included; mypy and ruff are batched)."""
    assert outcome.code in (0, 2), (outcome.code, outcome.stderr)
    assert "Traceback" not in outcome.stderr, outcome.stderr
    if outcome.code == 2:
        lines = outcome.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("sockgen: error: "), outcome.stderr
    outside = {p for p in root.rglob("*") if p.is_file()} - before - set(outcome.files)
    assert not outside, f"files written outside --output: {sorted(outside)}"
    if outcome.code == 0:
        assert outcome.package is not None
        import_package(outcome.out, outcome.package)
    assert not flag.exists(), "spec text ran"


def import_package(root: Path, package: str) -> None:
    """Import every module of a generated package (its import runs its code)."""
    import importlib
    import pkgutil

    sys.path.insert(0, str(root))
    try:
        top = importlib.import_module(package)
        for info in pkgutil.walk_packages(top.__path__, package + "."):
            importlib.import_module(info.name)
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


def dump(doc: Any, path: Path) -> Path:
    """``doc`` as JSON (surrogates escaped, NaN allowed as JSON's tools write it)."""
    path.write_text(json.dumps(doc, ensure_ascii=True, allow_nan=True), encoding="utf-8")
    return path
