"""``sockgen inspect``: what the generator read from a spec, for people.

The side a document was read from and the evidence for it, then every channel
with its address, parameters, and its events per side with their tags: what
the generated client sends and what it receives.
"""

from __future__ import annotations

from . import model as m
from .errors import Diagnostic

#: Evidence lines shown per side.
SHOWN = 6


def side_summary(decision: m.SideReport) -> str:
    how = {
        "config": "as the config or --direction says",
        "evidence": "decided on the evidence below",
        "no operations": "no operations: each message's side comes from its own name",
    }[decision.source]
    return f"written from the {decision.side}'s side ({how})"


def _evidence_lines(decision: m.SideReport, side: m.Side) -> list[str]:
    items = [e for e in decision.evidence if e.side == side]
    lines = [f"    - {e}" for e in items[:SHOWN]]
    if len(items) > SHOWN:
        lines.append(f"    - ... and {len(items) - SHOWN} more")
    return lines


#: The content type each encoding is named by when the spec says nothing else.
_USUAL = {"json": "application/json", "msgpack": "application/msgpack"}


def event_line(msg: m.Message) -> str:
    """``join [type='join'] -> Join (json)``: the event, its tag, its type and encoding
    (with the spec's content type when it is not the usual one)."""
    tag = f" [{msg.tag[0]}={msg.tag[1]!r}]" if msg.tag else ""
    usual = msg.content_type == _USUAL.get(msg.encoding)
    encoding = msg.encoding if usual else f"{msg.encoding}, {msg.content_type}"
    return f"{msg.event}{tag} -> {m.type_text(msg.type)} ({encoding}){_reply_text(msg.reply)}"


def _reply_text(reply: m.Reply | None) -> str:
    """``; reply: Pong, matched by reqid`` (or ``the next one``)."""
    if reply is None:
        return ""
    how = f"matched by {reply.correlation}" if reply.correlation else "the next one answers"
    ok = [n for n in reply.messages if n not in reply.errors]
    errors = f" (failure: {' | '.join(reply.errors)})" if reply.errors else ""
    return f"; reply: {' | '.join(ok)}{errors}, {how}"


def _params(params: list[m.Param]) -> str:
    if not params:
        return "none"
    return ", ".join(
        f"{p.wire} ({m.type_text(p.type)}{', required' if p.required else ''})" for p in params
    )


def _security_lines(api: m.Api) -> list[str]:
    """``auth: bearer 'bearerAuth' (Authorization) <- api_key or $DESK_API_KEY``, per scheme."""
    if not api.security:
        return []
    env = {o.name: o.env for o in api.client_options}
    lines = [f"  credentials ({'optional' if api.security_optional else 'any one scheme'}):"]
    for s in api.security:
        given = " and ".join(f"{o}= or ${env[o]}" for o in s.options)
        lines.append(f"    {s.kind} {s.key!r} ({s.name}) <- {given}")
    return lines


def report(api: m.Api, warnings: list[Diagnostic]) -> str:
    lines = [f"{api.source_name}: {api.title}" + (f" {api.version}" if api.version else "")]
    decision = api.side
    if decision is not None:
        lines.append(f"  {side_summary(decision)}")
        for side in ("server", "client"):
            total = decision.total(side)  # type: ignore[arg-type]
            lines.append(f"  evidence for the {side}'s side (total {total:g}):")
            lines += _evidence_lines(decision, side) or ["    (none)"]  # type: ignore[arg-type]
    lines.append(f"  package {api.package}: {api.client_class}, Async{api.client_class}")
    lines += _security_lines(api)
    for channel in api.channels:
        lines.append("")
        lines.append(f"channel {channel.key!r} -> {api.package}.{channel.module}")
        lines.append(f"  address: {channel.path}")
        lines.append(f"  path parameters: {_params(channel.path_params)}")
        lines.append(f"  query parameters: {_params(channel.query_params)}")
        if channel.header_params:
            lines.append(f"  header parameters: {_params(channel.header_params)}")
        for label, msgs in (
            ("client sends", channel.client_messages),
            ("server sends", channel.server_messages),
        ):
            lines.append(f"  {label} ({len(msgs)}):")
            lines += [f"    {event_line(msg)}" for msg in msgs] or ["    (nothing)"]
    if warnings:
        lines.append("")
        lines.append(f"warnings ({len(warnings)}):")
        lines += [f"  {w}" for w in warnings]
    return "\n".join(lines) + "\n"
