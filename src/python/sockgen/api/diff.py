"""``sockgen diff``: the changes between two API surfaces, classified by direction.

Whether a change breaks depends on which side sends what. A required field added
to a message the client *sends* breaks every caller; the same field added to a
message the client *receives* breaks nobody. A new enum value in a client event
is harmless; in a server event it is one the old SDK rejects at run time. So
every change is classified with the direction of the event (or model) it is in:
``RULES`` lists each rule with its severity, and ``docs/diff.md`` shows them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ..input.pointers import child

Severity = Literal["breaking", "warning", "info"]
Direction = Literal["client-to-server", "server-to-client", "connection", "python"]

SEVERITIES: tuple[Severity, ...] = ("info", "warning", "breaking")

#: Every rule: id -> (severity, direction, what it means for users).
RULES: dict[str, tuple[Severity, Direction, str]] = {
    # what SDK users send
    "client-event-removed": ("breaking", "client-to-server", "code that sends it breaks"),
    "client-event-added": ("info", "client-to-server", "a new event the client can send"),
    "client-event-tag-changed": ("breaking", "client-to-server", "old clients send the old tag"),
    "client-event-type-changed": ("breaking", "client-to-server", "what callers pass changed"),
    "client-event-reply-added": ("info", "server-to-client", "the spec now pairs it with a reply"),
    "client-event-reply-changed": (
        "breaking",
        "server-to-client",
        "code that reads the reply gets another type",
    ),
    "client-event-reply-correlation-changed": (
        "breaking",
        "client-to-server",
        "old clients pair requests and replies by another id",
    ),
    "client-event-encoding-changed": (
        "breaking",
        "client-to-server",
        "old clients send frames the server no longer reads",
    ),
    "client-field-added-required": (
        "breaking",
        "client-to-server",
        "every caller must now pass it",
    ),
    "client-field-added-optional": ("info", "client-to-server", "callers may pass it"),
    "client-field-removed": (
        "breaking",
        "client-to-server",
        "callers passing it break at type-check",
    ),
    "client-field-type-changed": ("breaking", "client-to-server", "callers pass the old type"),
    "client-field-made-required": (
        "breaking",
        "client-to-server",
        "callers that left it out break",
    ),
    "client-field-made-optional": ("info", "client-to-server", "callers may leave it out"),
    "client-enum-value-removed": (
        "breaking",
        "client-to-server",
        "callers may send the removed value",
    ),
    "client-enum-value-added": ("info", "client-to-server", "callers may send the new value"),
    # what SDK users receive
    "server-event-removed": ("breaking", "server-to-client", "code that handles it breaks"),
    "server-event-added": (
        "breaking",
        "server-to-client",
        "the old SDK rejects it at run time (it is in no union the old client knows)",
    ),
    "server-event-tag-changed": (
        "breaking",
        "server-to-client",
        "the old SDK does not recognise it",
    ),
    "server-event-type-changed": ("breaking", "server-to-client", "readers get another type"),
    "server-event-encoding-changed": (
        "breaking",
        "server-to-client",
        "the old SDK cannot decode its frames",
    ),
    "server-field-removed": ("breaking", "server-to-client", "code that reads it breaks"),
    "server-field-made-optional": (
        "breaking",
        "server-to-client",
        "readers must now handle None (mypy flags them); the old SDK rejects its absence",
    ),
    "server-field-type-changed": ("breaking", "server-to-client", "readers get another type"),
    "server-enum-value-added": (
        "breaking",
        "server-to-client",
        "the old SDK rejects the new value",
    ),
    "server-enum-value-removed": ("info", "server-to-client", "readers never see it again"),
    "server-field-added": ("info", "server-to-client", "readers may use it"),
    "server-field-made-required": ("info", "server-to-client", "it is always there now"),
    # the connection
    "channel-removed": ("breaking", "connection", "code that connects to it breaks"),
    "channel-added": ("info", "connection", "a new channel"),
    "address-changed": ("breaking", "connection", "old clients connect to the old address"),
    "param-added-required": ("breaking", "connection", "every connect() call must now pass it"),
    "param-added-optional": ("info", "connection", "connect() may pass it"),
    "param-removed": ("breaking", "connection", "connect() calls passing it break"),
    "param-type-changed": ("breaking", "connection", "connect() calls pass the old type"),
    "param-made-required": ("breaking", "connection", "connect() calls that left it out break"),
    "base-url-changed": ("warning", "connection", "clients relying on the default go elsewhere"),
    # the Python API (the wire is the same; imports and attributes break)
    "python-package-renamed": ("breaking", "python", "every import breaks"),
    "python-client-renamed": ("breaking", "python", "code that builds the client breaks"),
    "python-attribute-renamed": ("breaking", "python", "client.<channel> breaks"),
    "python-class-renamed": ("breaking", "python", "code that imports the model breaks"),
    "python-helper-renamed": ("breaking", "python", "code that calls the helper breaks"),
    "python-field-renamed": ("breaking", "python", "code that uses the attribute breaks"),
}


@dataclass(frozen=True)
class Change:
    rule: str
    severity: Severity
    direction: Direction
    where: str
    """What changed, for people (``room: server event joined: field members``)."""
    pointer: str
    """Where, in the new spec (the old one for removals)."""
    message: str

    def line(self) -> str:
        at = f" ({self.pointer})" if self.pointer else ""
        return f"{self.severity.upper()} {self.rule} [{self.direction}] {self.where}{at}: {self.message}"


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from surface ``old`` to surface ``new``, in a stable order."""
    return list(_diff(old, new))


def at_least(changes: list[Change], severity: str) -> list[Change]:
    """The changes of ``severity`` or worse (none for ``never``)."""
    if severity == "never":
        return []
    floor = SEVERITIES.index(severity)
    return [c for c in changes if SEVERITIES.index(c.severity) >= floor]


def render(changes: list[Change], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(c) for c in changes], indent=2, sort_keys=True) + "\n"
    if not changes:
        return "no changes\n"
    counts = {s: sum(c.severity == s for c in changes) for s in reversed(SEVERITIES)}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    return "".join(c.line() + "\n" for c in changes) + f"{len(changes)} changes ({summary})\n"


# --- comparing --------------------------------------------------------------------------------


def _change(rule: str, where: str, pointer: str, detail: str = "") -> Change:
    severity, direction, meaning = RULES[rule]
    message = f"{detail}; {meaning}" if detail else meaning
    return Change(rule, severity, direction, where, pointer or "", message)


def _diff(old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    for key, rule in (("package", "python-package-renamed"), ("client", "python-client-renamed")):
        if old.get(key) != new.get(key):
            yield _change(rule, key, "", f"{old.get(key)} -> {new.get(key)}")
    if old.get("base_url") != new.get("base_url"):
        yield _change(
            "base-url-changed", "base URL", "", f"{old.get('base_url')} -> {new.get('base_url')}"
        )
    old_channels, new_channels = old.get("channels", {}), new.get("channels", {})
    models = _Models(old.get("models", {}), new.get("models", {}))
    renamed = _renamed(old_channels, new_channels, "address")
    for key in sorted(old_channels.keys() | new_channels.keys()):
        if key in renamed:  # a new key for the same address: the same channel
            yield from _channel(key, old_channels[key], new_channels[renamed[key]], models)
        elif key in renamed.values():
            continue
        elif key not in new_channels:
            yield _change("channel-removed", f"channel {key}", f"#/channels/{key}")
        elif key not in old_channels:
            yield _change("channel-added", f"channel {key}", f"#/channels/{key}")
        else:
            yield from _channel(key, old_channels[key], new_channels[key], models)
    directions = _model_directions(old) | _model_directions(new)
    for name in sorted(models.old.keys() & models.new.keys()):
        for side in sorted(directions.get(name, set())):
            yield from _fields(side, name, models.old[name], models.new[name], models)


@dataclass
class _Models:
    """The models of both surfaces, and the pairs of differently named models compared."""

    old: dict[str, Any]
    new: dict[str, Any]
    moved: set[tuple[str, str]] = field(default_factory=set)

    def pairs(self, old_type: str, new_type: str) -> list[tuple[str, str]] | None:
        """The models two type texts name, paired in order, when the texts differ only in
        which models they name (``list[Shared] | None`` and ``list[Order] | None``)."""
        a = _NAMES.findall(_STRINGS.sub("", old_type))
        b = _NAMES.findall(_STRINGS.sub("", new_type))
        if len(a) != len(b):
            return None
        pairs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        if not pairs or any(x not in self.old or y not in self.new for x, y in pairs):
            return None
        return pairs


def _moved(side: str, old: str, new: str, models: _Models) -> Iterator[Change]:
    """The field changes of a model that got another name (a ``$ref`` inlined, or a
    payload moved to ``components``), once per pair."""
    if (old, new) in models.moved or old not in models.old or new not in models.new:
        return
    models.moved.add((old, new))
    yield from _fields(side, f"{new} (was {old})", models.old[old], models.new[new], models)


def _channel(
    key: str, old: dict[str, Any], new: dict[str, Any], models: _Models
) -> Iterator[Change]:
    where = f"channel {key}"
    if old["address"] != new["address"]:
        yield _change("address-changed", where, "", f"{old['address']} -> {new['address']}")
    if old["attribute"] != new["attribute"]:
        yield _change(
            "python-attribute-renamed", where, "", f"{old['attribute']} -> {new['attribute']}"
        )
    for kind in ("path_params", "query_params", "header_params"):
        what = f"{where}: {kind.replace('_', ' ')[:-1]}"
        yield from _params(what, old.get(kind, {}), new.get(kind, {}))
    for side in ("client", "server"):
        yield from _events(side, where, old[f"{side}_events"], new[f"{side}_events"], models)


def _params(where: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    for wire in sorted(old.keys() | new.keys()):
        here = f"{where} {wire}"
        if wire not in new:
            yield _change("param-removed", here, "")
        elif wire not in old:
            rule = "param-added-required" if new[wire]["required"] else "param-added-optional"
            yield _change(rule, here, "")
        else:
            a, b = old[wire], new[wire]
            if a["type"] != b["type"]:
                yield _change("param-type-changed", here, "", f"{a['type']} -> {b['type']}")
            if b["required"] and not a["required"]:
                yield _change("param-made-required", here, "")


def _renamed(old: dict[str, Any], new: dict[str, Any], by: str) -> dict[str, str]:
    """Old key -> new key, for entries only one side has that agree, one to one, on ``by``."""
    gone = [k for k in old if k not in new]
    added = [k for k in new if k not in old]
    out = {}
    for key in gone:
        same = [k for k in added if new[k][by] == old[key][by]]
        if len(same) == 1 and sum(old[k][by] == old[key][by] for k in gone) == 1:
            out[key] = same[0]
    return out


def _events(
    side: str, where: str, old: dict[str, Any], new: dict[str, Any], models: _Models
) -> Iterator[Change]:
    # an event's key is its tag value: a new tag on the same class is the same event
    renamed = _renamed(old, new, "class")
    for event in sorted(old.keys() | new.keys()):
        here = f"{where}: {side} event {event}"
        if event in renamed.values():
            continue
        if event in renamed:
            yield from _event(side, here, old[event], new[renamed[event]], models)
        elif event not in new:
            yield _change(f"{side}-event-removed", here, old[event]["source"])
        elif event not in old:
            yield _change(f"{side}-event-added", here, new[event]["source"])
        else:
            yield from _event(side, here, old[event], new[event], models)


def _event(
    side: str, here: str, a: dict[str, Any], b: dict[str, Any], models: _Models
) -> Iterator[Change]:
    pointer = b["source"]
    if a["tag"] != b["tag"]:
        yield _change(f"{side}-event-tag-changed", here, pointer, f"{a['tag']} -> {b['tag']}")
    if a["class"] != b["class"]:
        yield _change("python-class-renamed", here, pointer, f"{a['class']} -> {b['class']}")
        yield from _moved(side, a["class"], b["class"], models)
    elif a["type"] != b["type"]:
        yield _change(f"{side}-event-type-changed", here, pointer, f"{a['type']} -> {b['type']}")
    yield from _reply(side, here, pointer, a.get("reply"), b.get("reply"))
    old_encoding, new_encoding = a.get("encoding", "json"), b.get("encoding", "json")
    if old_encoding != new_encoding:
        detail = f"{old_encoding} -> {new_encoding}"
        yield _change(f"{side}-event-encoding-changed", here, pointer, detail)
    if a.get("helper") != b.get("helper") and a.get("helper"):
        detail = f"conn.{a.get('helper')}() -> conn.{b.get('helper')}()"
        yield _change("python-helper-renamed", here, pointer, detail)


def _reply(
    side: str, here: str, pointer: str, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> Iterator[Change]:
    """A request's reply: its type (a reply added or dropped changes it too) and its id."""
    if side != "client" or old == new:
        return
    old_type, new_type = (old or {}).get("type"), (new or {}).get("type")
    if old_type is None:  # (also a snapshot older than replies: nothing breaks)
        yield _change("client-event-reply-added", here, pointer, f"reply {new_type}")
    elif old_type != new_type:
        detail = f"{old_type or 'no reply'} -> {new_type or 'no reply'}"
        yield _change("client-event-reply-changed", here, pointer, detail)
    elif (old or {}).get("correlation") != (new or {}).get("correlation"):
        detail = f"{(old or {}).get('correlation')} -> {(new or {}).get('correlation')}"
        yield _change("client-event-reply-correlation-changed", here, pointer, detail)


_LITERALS = re.compile(r"Literal\[[^\]]*\]")
_NONE = re.compile(r"\s*\|\s*None\b|\bNone\s*\|\s*")


def _shape(type_text: str) -> str:
    """A field's type without its enum values and ``None`` (each compared on its own)."""
    return _NONE.sub("", _LITERALS.sub("Literal", type_text))


def _fields(
    side: str, model: str, old: dict[str, Any], new: dict[str, Any], models: _Models
) -> Iterator[Change]:
    of, nf = old["fields"], new["fields"]
    for wire in sorted(of.keys() | nf.keys()):
        here = f"{side} model {model}: field {wire}"
        source = (new if wire in nf else old)["source"]
        pointer = child(f"{source}/properties", wire) if source else ""
        if wire not in nf:
            yield _change(f"{side}-field-removed", here, pointer)
            continue
        b = nf[wire]
        if wire not in of:
            if side == "server":
                yield _change("server-field-added", here, pointer)
            else:
                rule = (
                    "client-field-added-required"
                    if b["required"]
                    else "client-field-added-optional"
                )
                yield _change(rule, here, pointer)
            continue
        a = of[wire]
        if a["name"] != b["name"]:
            yield _change("python-field-renamed", here, pointer, f"{a['name']} -> {b['name']}")
        moved = models.pairs(a["type"], b["type"])
        if moved is not None:
            for x, y in moved:
                yield _change("python-class-renamed", here, pointer, f"{x} -> {y}")
                yield from _moved(side, x, y, models)
        elif _shape(a["type"]) != _shape(b["type"]):
            yield _change(
                f"{side}-field-type-changed", here, pointer, f"{a['type']} -> {b['type']}"
            )
        else:
            yield from _enum(side, here, pointer, a["enum"] or [], b["enum"] or [])
        optional_now = (a["required"] and not b["required"]) or (
            b["nullable"] and not a["nullable"]
        )
        if optional_now:
            rule = (
                "server-field-made-optional" if side == "server" else "client-field-made-optional"
            )
            yield _change(rule, here, pointer)
        elif b["required"] and not a["required"]:
            yield _change(f"{side}-field-made-required", here, pointer)


def _enum(side: str, here: str, pointer: str, old: list[str], new: list[str]) -> Iterator[Change]:
    for value in sorted(set(old) - set(new)):
        yield _change(f"{side}-enum-value-removed", here, pointer, f"value {value}")
    for value in sorted(set(new) - set(old)):
        yield _change(f"{side}-enum-value-added", here, pointer, f"value {value}")


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_NAMES = re.compile(r"\b[A-Za-z_]\w*\b")


def _model_directions(surface: dict[str, Any]) -> dict[str, set[str]]:
    """Which side each model is on: reached from client events, server events, or both."""
    models = surface.get("models", {})
    out: dict[str, set[str]] = {}

    def reach(type_text: str, side: str) -> None:
        for name in _NAMES.findall(_STRINGS.sub("", type_text)):
            if name in models and side not in out.setdefault(name, set()):
                out[name].add(side)
                for entry in models[name]["fields"].values():
                    reach(entry["type"], side)

    for channel in surface.get("channels", {}).values():
        for side in ("client", "server"):
            for event in channel[f"{side}_events"].values():
                reach(event["class"], side)
                reach(event["type"], side)
    return out
