"""Small models for the emitter's unit tests, built directly (no spec, no front end)."""

from __future__ import annotations

from sockgen import model as m


def field(name: str, t: m.TypeRef, required: bool = True, **kw: object) -> m.FieldDef:
    return m.FieldDef(name=name, wire=str(kw.pop("wire", name)), type=t, required=required, **kw)  # type: ignore[arg-type]


def model(name: str, *fields: m.FieldDef, description: str = "") -> m.ModelDef:
    return m.ModelDef(name, list(fields), description=description, source=f"spec.yaml#/{name}")


def tag(value: str, prop: str = "type") -> m.FieldDef:
    return m.FieldDef(prop, prop, m.LiteralType((value,)), True, default=value)


def message(definition: m.ModelDef, event: str, prop: str = "type") -> m.Message:
    return m.Message(
        name=definition.name, event=event, type=m.NamedRef(definition.name), tag=(prop, event)
    )


def channel(
    module: str,
    client: list[m.Message],
    server: list[m.Message],
    *,
    discriminator: str | None = "type",
    path: str = "/ws",
    resource_path: tuple[str, ...] | None = None,
    separator: str | None = None,
) -> m.Channel:
    plan = m.UnionPlan("discriminated", discriminator) if discriminator else m.UnionPlan("smart")
    return m.Channel(
        key=module,
        module=module,
        class_prefix=module.title().replace("_", ""),
        path=path,
        path_params=[],
        query_params=[],
        client_messages=client,
        server_messages=server,
        client_union=plan if len(client) > 1 else m.UnionPlan("single"),
        server_union=plan if len(server) > 1 else m.UnionPlan("single"),
        event_name_separator=separator,
        resource_path=resource_path or (module,),
    )


def api(channels: list[m.Channel], *types: m.TypeDef, package: str = "demo_sdk") -> m.Api:
    return m.Api(
        title="Demo",
        package=package,
        client_class="Demo",
        base_url="wss://demo.example",
        channels=channels,
        types={t.name: t for t in types},
        version="1.2.0",
        sdk_version="1.2.0",
        source_name="demo.asyncapi.yaml",
    )


def chat() -> m.Api:
    """A chat: the client joins and says things; the server sends joined and said."""
    join = model("Join", tag("join"), field("room", m.Prim("str")))
    say = model("Say", tag("say"), field("text", m.Prim("str")))
    member = model("Member", field("name", m.Prim("str")))
    joined = model("Joined", tag("joined"), field("members", m.ListType(m.NamedRef("Member"))))
    said = model("Said", tag("said"), field("by", m.NamedRef("Member")))
    room = channel(
        "room",
        [message(join, "join"), message(say, "say")],
        [message(joined, "joined"), message(said, "said")],
    )
    return api([room], join, say, member, joined, said)
