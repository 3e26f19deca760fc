"""Which side an AsyncAPI document is written from, decided on evidence.

An AsyncAPI document describes one application, a server or a client, and its
operations say what *that application* sends and receives (3.x ``action:
send|receive``; 2.x ``subscribe`` = the application sends, ``publish`` = it
receives). The same document read from the wrong side gives an SDK whose
events are all reversed, which type-checks and is useless, so the side is
decided from evidence, and refused when the evidence is weak:

- what the words say about each message (:mod:`sockgen.frontends.asyncapi.wording`): absolute
  phrases in summaries and descriptions, names and tag values, pairs such as
  ``X``/``XResponse``; each clue about a message, read together with whether
  the application sends it, supports one side;
- the shape of operations: a ``send`` operation with a ``reply`` makes
  requests (a client); a ``receive`` with one says nothing (clients answer
  too);
- 2.x: the verb an operation's summary opens with (``Receive ...`` on
  ``subscribe``): 2.x summaries are written for the party that subscribes or
  publishes, so it says what the verb carries;
- a channel whose one direction carries far more message types than the
  other (servers emit many event types, clients send few);
- 3.0 ``info`` that calls the application a client (in 2.x the author says
  nothing of what the verbs carry);
- for 2.x documents, the convention that they describe servers.

Each piece of evidence counts once. Sentences and structures (weight 2 and up)
decide first; name hints join only when those do not. The config's (or the
command line's) ``direction`` overrides everything. An
operation whose own explicit evidence contradicts the document's side is read
from the other side, with a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ... import model as m
from ...errors import SpecError
from ...input.refs import Location
from ...model import Side
from .wording import (
    Clue,
    Way,
    first_sentence,
    flip,
    gist_clue,
    info_clue,
    name_clue,
    pair_clues,
    prose_clues,
)

#: Least total weight a side needs, and how many times the other side's it must be.
MIN_WEIGHT = 2.5
MIN_RATIO = 3.0
#: Explicit evidence about one operation that turns it around against the document's side.
OP_FLIP_WEIGHT = 3.0
#: A message with no operation goes to the side its clues favour by at least this much.
MESSAGE_WEIGHT = 0.8
#: Evidence at least this heavy is a sentence or a structure (a phrase, a reply, a pair of
#: names, the title): when it decides on its own, name hints cannot turn it around.
STRONG = 2.0
#: 2.x operation summaries that open with one of these say which way their verb carries.
#: (Not ``subscribe`` or ``get``: in request APIs those are commands the client sends.)
_RECEIVE_VERBS = frozenset("receive receives listen consume".split())
_SEND_VERBS = frozenset("send sends publish submit post push emit".split())


@dataclass(frozen=True)
class Evidence:
    """One reason to read the document from ``side``."""

    side: Side
    weight: float
    why: str
    at: Location

    def __str__(self) -> str:
        return f"{self.why} (at {self.at.pointer or '/'}, weight {self.weight:g})"


@dataclass(frozen=True)
class MessageFacts:
    """What is known about one message before its schema is converted."""

    at: Location
    names: tuple[str, ...]
    """Key, ``name``, ``title``, and the tag values its payload pins."""
    texts: tuple[tuple[str, str], ...]
    """(what, text): its summary and description."""


@dataclass(frozen=True)
class Operation:
    """An operation as side inference sees it (2.x ``publish``/``subscribe`` included)."""

    at: Location
    key: str
    channel: str
    app_sends: bool
    """3.x ``action: send``; 2.x ``subscribe``."""
    messages: tuple[Location, ...]
    replies: tuple[Location, ...] = ()
    has_reply: bool = False
    reply_channel: str | None = None
    """The channel key its reply arrives on, when not its own."""
    texts: tuple[tuple[str, str], ...] = ()
    named: bool = True
    """Whether ``key`` is the spec's own name for it (not made up: 2.x without operationId)."""


@dataclass
class SideDecision:
    side: Side
    source: Literal["config", "evidence", "no operations"]
    evidence: list[Evidence] = field(default_factory=list)
    flipped: frozenset[Location] = frozenset()
    """Operations read from the other side."""

    def client_sends(self, op: Operation, reply: bool = False) -> bool:
        """Whether the messages of ``op`` (or of its reply) travel from client to server."""
        side = self.side if op.at not in self.flipped else _other(self.side)
        app_sends = op.app_sends != reply
        return app_sends == (side == "client")

    def report(self) -> m.SideReport:
        """What the model keeps of the decision: the side, how it was decided, and why."""
        evidence = tuple(m.Evidence(e.side, e.weight, e.why, e.at.pointer) for e in self.evidence)
        return m.SideReport(self.side, self.source, evidence)

    def strongest(self, side: Side) -> Evidence | None:
        return next((e for e in self.evidence if e.side == side), None)

    def total(self, side: Side) -> float:
        return sum(e.weight for e in self.evidence if e.side == side)


def _other(side: Side) -> Side:
    return "server" if side == "client" else "client"


def _side_for(way: Way, app_sends: bool) -> Side:
    """The side the application must be on for it to send (or receive) a ``way`` message."""
    return "client" if (way == "c2s") == app_sends else "server"


def message_clues(
    facts: MessageFacts, pair: Clue | None, extra_names: tuple[str, ...] = ()
) -> list[Clue]:
    clues = _prose(facts.texts, "message") + _gists(facts.texts, "message")
    named = name_clue((*facts.names, *extra_names))
    if named is not None:
        clues.append(named)
    if pair is not None:
        clues.append(pair)
    return clues


def channel_pairs(
    ops: Sequence[Operation], facts: dict[Location, MessageFacts]
) -> dict[tuple[str, Location], Clue]:
    """Pair clues within each channel: (channel, message) -> clue."""
    by_channel: dict[str, dict[Location, list[str]]] = {}
    for op in ops:
        for loc in (*op.messages, *op.replies):
            if loc in facts:
                by_channel.setdefault(op.channel, {})[loc] = list(facts[loc].names)
    out: dict[tuple[str, Location], Clue] = {}
    for channel, names in by_channel.items():
        ids = {str(loc): loc for loc in names}
        for key, clue in pair_clues({str(loc): ns for loc, ns in names.items()}).items():
            out[(channel, ids[key])] = clue
    return out


def _verb_evidence(op: Operation) -> Evidence | None:
    """A 2.x operation whose summary opens with a verb (``Receive control commands``):
    written, as 2.x summaries are, for the party that subscribes or publishes. That says
    which way the verb carries its messages, and so which side the document takes."""
    for what, text in op.texts:
        if what not in ("summary", "description"):
            continue
        first = (text.split() or [""])[0].lower().strip(".,:;")
        if first in _RECEIVE_VERBS or first in _SEND_VERBS:
            receives = first in _RECEIVE_VERBS  # (the client receives: server to client)
            side: Side = "server" if receives == op.app_sends else "client"
            verb = "subscribe" if op.app_sends else "publish"
            carries = "what the server sends" if receives else "what the client sends"
            why = f"2.x {verb} operation {op.key!r}: its {what} opens with {first!r}, so it carries {carries}"
            return Evidence(side, 3.0, why, op.at)
    return None


def _op_evidence(
    op: Operation,
    facts: dict[Location, MessageFacts],
    pairs: dict[tuple[str, Location], Clue],
    v2: bool = False,
) -> tuple[list[Evidence], list[Evidence]]:
    """(explicit, all) evidence from one operation: explicit is phrases and reply structure
    (and, in 2.x, the verb its summary opens with)."""
    explicit: list[Evidence] = []
    found: list[Evidence] = []
    op_clues = _prose(op.texts, "operation")
    verb = _verb_evidence(op) if v2 else None
    if verb is not None:
        explicit.append(verb)
    gists = _gists(op.texts, "operation") if verb is None else []  # the verb says more
    for reply, locs in ((False, op.messages), (True, op.replies)):
        app_sends = op.app_sends != reply
        for loc in locs:
            for clue in op_clues:
                way = flip(clue.way) if reply else clue.way
                ev = Evidence(_side_for(way, app_sends), clue.weight, clue.why, op.at)
                explicit.append(ev)
            for clue in gists:
                way = flip(clue.way) if reply else clue.way
                found.append(Evidence(_side_for(way, app_sends), clue.weight, clue.why, op.at))
            if loc not in facts:
                continue
            # an operation with one message is often named after it (sendAudio, receiveTranscript)
            extra = (op.key,) if op.named and len(op.messages) + len(op.replies) == 1 else ()
            for clue in message_clues(facts[loc], pairs.get((op.channel, loc)), extra):
                found.append(Evidence(_side_for(clue.way, app_sends), clue.weight, clue.why, loc))
    if op.has_reply and op.app_sends:  # (clients answer too: acknowledgements say nothing)
        explicit.append(
            Evidence(
                "client", 2.5, f"operation {op.key!r} sends and awaits a reply (a client)", op.at
            )
        )
    return explicit, explicit + found


def _prose(texts: tuple[tuple[str, str], ...], owner: str) -> list[Clue]:
    """Phrases of summaries and titles, and of a description's first sentence."""
    return [
        clue
        for what, text in texts
        for clue in prose_clues(
            first_sentence(text) if what == "description" else text, f"{owner} {what}"
        )
    ]


def _gists(texts: tuple[tuple[str, str], ...], owner: str) -> list[Clue]:
    for what, text in texts:
        if what in ("summary", "title"):
            clue = gist_clue(text, f"{owner} {what}")
            if clue is not None:
                return [clue]
    return []


def _one_way(ops: Sequence[Operation]) -> list[Evidence]:
    """Every message going one way: one-way streams (feeds, market data) come from servers."""
    sent = {loc for op in ops for loc in (op.messages if op.app_sends else op.replies)}
    received = {loc for op in ops for loc in (op.replies if op.app_sends else op.messages)}
    if ops and bool(sent) != bool(received):
        side: Side = "server" if sent else "client"
        verb = "sends" if sent else "receives"
        return [
            Evidence(
                side,
                1.5,
                f"the application only {verb} ({len(sent | received)} message types); "
                "one-way streams come from servers",
                ops[0].at,
            )
        ]
    return []


def _imbalance(ops: Sequence[Operation]) -> list[Evidence]:
    """A channel with many message types one way and few the other: the many are the server's."""
    out: list[Evidence] = []
    counts: dict[str, dict[bool, set[Location]]] = {}
    where: dict[str, Location] = {}
    for op in ops:
        per = counts.setdefault(op.channel, {True: set(), False: set()})
        per[op.app_sends].update(op.messages)
        per[not op.app_sends].update(op.replies)
        where.setdefault(op.channel, op.at)
    for channel, per in counts.items():
        sent, received = len(per[True]), len(per[False])
        big, small = max(sent, received), min(sent, received)
        if big >= 8 and big >= 4 * max(small, 1):
            side: Side = "server" if sent > received else "client"
            out.append(
                Evidence(
                    side,
                    1.5,
                    f"channel {channel!r}: the application "
                    f"{'sends' if sent > received else 'receives'} {big} message types and "
                    f"{'receives' if sent > received else 'sends'} {small} (servers emit many)",
                    where[channel],
                )
            )
    return out


@dataclass(frozen=True)
class Document:
    """What side inference reads from an AsyncAPI document as a whole."""

    root: Location
    ops: Sequence[Operation]
    facts: dict[Location, MessageFacts]
    v2: bool
    title: str
    description: str


def decide(
    doc: Document, *, forced: Side | None, warn: Callable[[Location, str], None]
) -> SideDecision:
    """The side ``doc``'s operations are read from; raises :class:`SpecError` when the
    evidence is too weak."""
    evidence, by_op = _gather(doc)
    if forced is not None:
        return SideDecision(forced, "config", evidence)
    if not doc.ops:
        return SideDecision("server", "no operations", evidence)
    decision = SideDecision("server", "evidence", evidence)
    # operations whose own words settle their side (uncontested explicit evidence)
    own = {op.at: side for op in doc.ops if (side := _own_side(by_op[op.at][0])) is not None}
    # sentences and structure first: name hints never outweigh a sentence
    winner = _winner([e for e in evidence if e.weight >= STRONG]) or _winner(evidence)
    if winner is None:
        # a document that mixes: decide the rest without the operations that say their side
        rest = [e for e in evidence if not any(e in by_op[at][1] for at in own)]
        winner = _winner(rest) if len(own) < len(doc.ops) else _majority(own)
    if winner is None:
        raise _refusal(doc.root, decision, decision.total("client"), decision.total("server"))
    decision.side = winner
    if doc.v2 and winner == "client":
        warn(
            doc.root,
            "this AsyncAPI 2.x document is read as written from the client's side ('publish' = "
            f"what the server sends), against the 2.x convention: {decision.strongest('client')}",
        )
    decision.flipped = frozenset(_turned(doc.ops, own, by_op, winner, warn))
    return decision


def _gather(
    doc: Document,
) -> tuple[list[Evidence], dict[Location, tuple[list[Evidence], list[Evidence]]]]:
    """All the evidence, strongest first, and each operation's (explicit, all) evidence."""
    pairs = channel_pairs(doc.ops, doc.facts)
    evidence: list[Evidence] = []
    by_op: dict[Location, tuple[list[Evidence], list[Evidence]]] = {}
    for op in doc.ops:
        by_op[op.at] = _op_evidence(op, doc.facts, pairs, doc.v2)
        evidence.extend(by_op[op.at][1])
    evidence.extend(_imbalance(doc.ops))
    evidence.extend(_one_way(doc.ops))
    # who wrote a 2.x document says nothing of what its verbs carry (a client's own 2.x
    # document usually follows the convention)
    info = info_clue(doc.title, doc.description) if not doc.v2 else None
    if info is not None:
        evidence.append(Evidence(info[0], info[1], info[2], doc.root.at("info")))
    if doc.v2:
        convention = (
            "AsyncAPI 2.x documents conventionally describe the server "
            "('publish' = what clients send to it)"
        )
        evidence.append(Evidence("server", 2.0, convention, doc.root))
    # each piece of evidence counts once, however many channels share its message
    evidence = list({(e.side, e.why, e.at): e for e in evidence}.values())
    evidence.sort(key=lambda e: (-e.weight, e.side, e.at.pointer, e.why))
    return evidence, by_op


def _turned(
    ops: Sequence[Operation],
    own: dict[Location, Side],
    by_op: dict[Location, tuple[list[Evidence], list[Evidence]]],
    winner: Side,
    warn: Callable[[Location, str], None],
) -> set[Location]:
    """Operations whose own evidence says the other side: read from it, with a warning."""
    turned = set()
    for op in ops:
        if own.get(op.at, winner) != winner:
            turned.add(op.at)
            strongest = max(
                (e for e in by_op[op.at][0] if e.side != winner), key=lambda e: e.weight
            )
            warn(
                op.at,
                f"operation {op.key!r} is read from the {_other(winner)}'s side, unlike the rest "
                f"of the document ({strongest.why})",
            )
    return turned


def _winner(evidence: list[Evidence]) -> Side | None:
    """The side with enough evidence, and enough more than the other's; else None."""
    client = sum(e.weight for e in evidence if e.side == "client")
    server = sum(e.weight for e in evidence if e.side == "server")
    win, lose = max(client, server), min(client, server)
    if win < MIN_WEIGHT or win < MIN_RATIO * lose:
        return None
    return "client" if client > server else "server"


def _own_side(explicit: list[Evidence]) -> Side | None:
    """The side an operation's own phrases and reply give it, when they are strong and agree."""
    for side in ("client", "server"):
        other = _other(side)  # type: ignore[arg-type]
        if sum(e.weight for e in explicit if e.side == side) >= OP_FLIP_WEIGHT and not any(
            e.side == other for e in explicit
        ):
            return side  # type: ignore[return-value]
    return None


def _majority(own: dict[Location, Side]) -> Side | None:
    client = sum(1 for side in own.values() if side == "client")
    server = len(own) - client
    return None if client == server else ("client" if client > server else "server")


def _refusal(root: Location, decision: SideDecision, client: float, server: float) -> SpecError:
    def best(side: Side) -> str:
        ev = decision.strongest(side)
        return f"for {side}: {ev}" if ev else f"for {side}: nothing"

    return root.error(
        "cannot tell which side this AsyncAPI document is written from "
        f"(evidence {client:g} for client, {server:g} for server; {best('client')}; "
        f"{best('server')}); say it with 'direction: client' or 'direction: server' "
        "under 'sockgen:' in a config (--config), --direction, or websocket_sdk(direction=...)"
    )


def lone_message_way(facts: MessageFacts, pair: Clue | None) -> tuple[Way | None, list[Clue]]:
    """The direction of a message no operation names, or None when its clues do not say."""
    clues = message_clues(facts, pair)
    c2s = sum(c.weight for c in clues if c.way == "c2s")
    s2c = sum(c.weight for c in clues if c.way == "s2c")
    if c2s - s2c >= MESSAGE_WEIGHT:
        return "c2s", clues
    if s2c - c2s >= MESSAGE_WEIGHT:
        return "s2c", clues
    return None, clues
