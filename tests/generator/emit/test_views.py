"""emit/views/: one view module per generated file, each tested on a small model."""

from __future__ import annotations

import pytest
from generator.emit.models import api, channel, chat, field, message, model, tag
from sockgen import model as m
from sockgen.emit.pycode import Code
from sockgen.emit.views import common, connection, package, placement, readme, testing
from sockgen.emit.views.client import resources
from sockgen.emit.views.models import models_module

# --- placement ------------------------------------------------------------------------------


def test_a_type_lives_with_its_one_channel_or_in_shared() -> None:
    shared = model("Who", field("name", m.Prim("str")))
    ping = model("Ping", tag("ping"), field("by", m.NamedRef("Who")))
    pong = model("Pong", tag("pong"), field("by", m.NamedRef("Who")))
    only = model("Only", tag("only"))
    a = channel("a", [message(ping, "ping")], [message(only, "only")], discriminator=None)
    b = channel("b", [message(pong, "pong")], [], discriminator=None)
    placed = placement.place_types(api([a, b], shared, ping, pong, only))
    assert placed == {"Only": "a", "Ping": "a", "Pong": "b", "Who": "shared"}


def test_only_what_a_client_sends_gets_a_param_twin() -> None:
    spec = chat()
    params = placement.ParamNames(spec, placement.place_types(spec))
    assert params.names == {"Join": "JoinParam", "Say": "SayParam"}
    assert params.annotation(m.ListType(m.NamedRef("Join"))) == "list[JoinParam]"


# --- models ----------------------------------------------------------------------------------


def test_definitions_come_before_use_and_forward_references_are_rebuilt() -> None:
    node = model("Node", field("next", m.UnionType((m.NamedRef("Node"), m.NONE)), False))
    leaf = model("Leaf", tag("leaf"), field("node", m.NamedRef("Node")))
    ch = channel("tree", [], [message(leaf, "leaf")], discriminator=None)
    spec = api([ch], leaf, node)
    placed = placement.place_types(spec)
    view = models_module(spec, "tree", placed, placement.ParamNames(spec, placed), ch)
    names = [str(item.name) for item in view.items]
    assert names.index("Node") < names.index("Leaf")
    # Node refers to itself, and Leaf to the then incomplete Node
    assert [str(n) for n in view.rebuild] == ["Node", "Leaf"]


def test_a_channels_unions_by_its_plan() -> None:
    spec = chat()
    placed = placement.place_types(spec)
    room = spec.channels[0]
    view = models_module(spec, "room", placed, placement.ParamNames(spec, placed), room)
    assert view.incoming == 'Annotated[Joined | Said, Field(discriminator="type")]'
    assert view.outgoing_params == "JoinParam | SayParam"
    assert {"IncomingMessage", "OutgoingMessage", "OutgoingMessageParam"} <= set(view.exports)


def test_a_side_that_sends_nothing_is_never() -> None:
    only = model("Only", tag("only"))
    ch = channel("quiet", [], [message(only, "only")])
    spec = api([ch], only)
    placed = placement.place_types(spec)
    view = models_module(spec, "quiet", placed, placement.ParamNames(spec, placed), ch)
    assert view.outgoing == "Never"


# --- connection -------------------------------------------------------------------------------


def test_a_helper_per_client_event_clear_of_the_connections_own_names() -> None:
    send = model("Send", tag("send"), field("text", m.Prim("str")))
    ping = model("Ping", tag("ping"))
    ch = channel("room", [message(send, "send"), message(ping, "ping")], [])
    spec = api([ch], send, ping)
    placed = placement.place_types(spec)
    view = connection.channel_view(spec, ch, placed, placement.ParamNames(spec, placed))
    assert [str(h.name) for h in view.helpers] == ["send_", "ping"]
    assert [str(p.name) for p in view.helpers[0].params] == ["text"]  # the tag is filled in
    assert view.helpers[0].fixed == [(Code('"type"'), Code('"send"'))]


def test_events_with_a_separator_become_namespaces() -> None:
    update = model("SessionUpdate", tag("session.update"))
    ch = channel("rt", [message(update, "session.update")], [], separator=".")
    spec = api([ch], update)
    placed = placement.place_types(spec)
    view = connection.channel_view(spec, ch, placed, placement.ParamNames(spec, placed))
    assert [list(path) for path, _ in connection.helper_paths(view)] == [["session", "update"]]


def test_on_overloads_cover_every_event_and_the_special_ones() -> None:
    spec = chat()
    placed = placement.place_types(spec)
    view = connection.channel_view(
        spec, spec.channels[0], placed, placement.ParamNames(spec, placed)
    )
    events = {str(o.event): str(o.annotation) for o in view.overloads}
    assert events == {
        '"error"': "ErrorEvent",
        '"joined"': "Joined",
        '"raw_data"': "bytes",
        '"said"': "Said",
        '"unknown"': "UnknownEvent",
    }


# --- client, testing, readme, common ------------------------------------------------------------


def test_nested_resource_paths_make_namespace_classes() -> None:
    a = channel("realtime", [], [], resource_path=("beta", "realtime"))
    b = channel("feed", [], [])
    spec = api([a, b])
    views = {
        c.module: connection.channel_view(spec, c, {}, placement.ParamNames(spec, {}))
        for c in spec.channels
    }
    tree = resources(spec, views)
    assert [(str(n.attr), str(n.cls), n.own_class) for n in tree] == [
        ("beta", "_BetaResource", True),
        ("feed", "FeedResource", False),
    ]
    assert [str(n.attr) for n in tree[0].children] == ["realtime"]


@pytest.mark.parametrize(
    ("module", "attr"), [("room", "room"), ("l", "l_channel"), ("fixture", "fixture_channel")]
)
def test_the_fakes_channel_attributes_shadow_nothing(module: str, attr: str) -> None:
    ch = channel(module, [], [])
    assert testing.fake_view(api([ch]), ch).attr == attr


def test_the_fake_sends_each_json_example_once() -> None:
    said = model("Said", tag("said"))
    msg = message(said, "said")
    msg.examples = [{"type": "said"}, {"type": "said"}, {"bad": float("nan")}]
    ch = channel("room", [], [msg])
    assert testing.fake_view(api([ch], said), ch).examples == [Code('\'{"type":"said"}\'')]


def test_readme_samples_use_the_specs_examples_where_they_fit() -> None:
    spec = chat()
    assert readme.sample(spec, m.Prim("str"), "general") == "general"
    assert readme.sample(spec, m.Prim("int"), "not an int") == 1
    assert readme.sample(spec, m.NamedRef("Join")) == {"type": "join", "room": "example"}


def test_readme_sections_list_what_each_side_sends() -> None:
    spec = chat()
    view = package.build(spec)
    (section,) = view.readme_channels
    assert [(d, str(e)) for d, e, _, _ in section.table] == [
        ("sends", "`join`"),
        ("sends", "`say`"),
        ("receives", "`joined`"),
        ("receives", "`said`"),
    ]
    assert section.helper_names == "`conn.join(...)`, `conn.say(...)`"


def test_markdown_text_cannot_open_a_fence_or_a_heading() -> None:
    assert common.md_block("# Title\n```\ncode") == "Title\n'''\ncode"
    assert common.md_inline("a `b`\nc") == "a 'b' c"
    assert common.md_cell("a|b") == "`a\\|b`"


def test_the_package_view_pins_the_runtime_of_its_release() -> None:
    from sockgen.contract import RUNTIME

    view = package.build(chat())
    assert str(view.runtime) == f'"{RUNTIME}"'
    assert [str(name) for name, _ in view.extras] == ["websockets", "picows"]


def test_request_helpers_of_two_namespaces_keep_their_own_reply() -> None:
    """``session.update`` and ``response.update`` both have a reply: each helper waits
    for its own (one ``ReplyTo`` constant each, not one overwriting the other)."""
    names = ("SessionUpdate", "ResponseUpdate", "SessionUpdated", "ResponseUpdated")
    session, response, session_done, response_done = (
        model(name, tag(event))
        for name, event in zip(
            names,
            ("session.update", "response.update", "session.updated", "response.updated"),
            strict=False,
        )
    )
    client = [message(session, "session.update"), message(response, "response.update")]
    client[0].reply = m.Reply(("SessionUpdated",), "rt", None)
    client[1].reply = m.Reply(("ResponseUpdated",), "rt", None)
    server = [message(session_done, "session.updated"), message(response_done, "response.updated")]
    ch = channel("rt", client, server, separator=".")
    spec = api([ch], session, response, session_done, response_done)
    placed = placement.place_types(spec)
    view = connection.channel_view(spec, ch, placed, placement.ParamNames(spec, placed))
    constants = {str(r.constant): str(r.returns) for r in view.reply_constants}
    assert len(constants) == 2 and set(constants.values()) == {"SessionUpdated", "ResponseUpdated"}
