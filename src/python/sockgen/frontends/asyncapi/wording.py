"""What words say about which way a message travels: clues from prose and from names.

Pure functions over strings, no spec walking. Each clue says *client to
server* (``c2s``) or *server to client* (``s2c``), with a weight and the words
that gave it, so that a decision built on clues can show its evidence.

Two kinds of text are read differently:

- **Prose** (summaries, descriptions): only phrases whose direction is
  absolute are read: ``from the client to the server``, ``client-to-server``,
  ``sent by the server``, ``server-initiated``, ``server messages``, ``the
  server replies``. The phrase is parsed as a whole, so ``client-to-server
  messages`` is a client message even though it contains ``server messages``.
  Relative verbs (``send``, ``receive``) are not read: a summary may be
  written for the application the document describes or for its user.
- **Names** (message keys, names, titles, tag values, operation ids): the
  words of an identifier, against a small lexicon of what clients send
  (requests, commands, ``subscribe``, ``ping``, imperatives such as
  ``SessionUpdate``) and what servers send (responses, results, statuses,
  ``pong``, past participles such as ``SessionUpdated``). The last known word
  of a name (its head: ``SubscriptionStatus`` is a status) counts most.
  Pairs among the names of one channel (``X``/``XResponse``,
  ``XRequest``/``XResponse``, ``X``/``XStarted``, ``ping``/``pong``) are
  stronger than single words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ...names.naming import words

Way = Literal["c2s", "s2c"]


def flip(way: Way) -> Way:
    return "s2c" if way == "c2s" else "c2s"


@dataclass(frozen=True)
class Clue:
    """One piece of evidence about a message's direction."""

    way: Way
    weight: float
    why: str
    """What was read, for people: ``summary says 'sent by the server'``."""


# --- prose ------------------------------------------------------------------------------

_CLIENT_WORDS = r"clients?|browsers?|users?|callers?|consumers?|front-?ends?|client\s+apps?"
_SERVER_WORDS = r"servers?|back-?ends?|gateways?|brokers?|the\s+api|the\s+service"
_PARTY = rf"(?P<{{name}}>{_CLIENT_WORDS}|{_SERVER_WORDS})"


def _party(name: str) -> str:
    return _PARTY.format(name=name)


def _side_of(word: str) -> Literal["client", "server"]:
    return "client" if re.fullmatch(_CLIENT_WORDS, word) else "server"


_ARTICLE = r"(?:the\s+|a\s+|an\s+|your\s+|our\s+)?"
#: One optional adjective between the article and the party: "to the echo server".
_ADJ = r"(?:[a-z][a-z0-9]*\s+)?"

_A_TO_B = re.compile(
    rf"\b{_party('src')}\s*(?:-\s*|\s+)?(?:to|->|→|2)\s*(?:-\s*|\s+)?{_party('dst')}\b"
)
_FROM_A_TO_B = re.compile(
    rf"\bfrom\s+{_ARTICLE}{_ADJ}{_party('src')}\s+to\s+{_ARTICLE}{_ADJ}{_party('dst')}\b"
)
_SENT_BY = re.compile(
    r"\b(?:sent|emitted|pushed|published|produced|generated|initiated|minted|returned|"
    r"broadcast|broadcasted|streamed|issued|triggered|echoed|delivered|transmitted|"
    rf"dispatched|originat(?:es|ed|ing))\s+(?:by|from)\s+{_ARTICLE}{_ADJ}{_party('src')}\b"
)
_X_INITIATED = re.compile(
    rf"\b{_party('src')}\s*-\s*(?:initiated|minted|sent|generated|pushed|originated|issued)\b"
)
_X_MESSAGES = re.compile(
    rf"\b{_party('src')}\s+(?:[a-z]+\s+)?(?:messages?|events?|notifications?|responses?|requests?|commands?|"
    r"frames?|payloads?|pushes|replies|updates)\b"
)
_X_SENDS = re.compile(
    rf"\b{_party('src')}\s+(?:will\s+|may\s+|can\s+|must\s+|should\s+|then\s+|also\s+)?"
    r"(?:sends?|emits?|pushes|push|replies|reply|responds?|broadcasts?|streams?|publishes|"
    r"publish|echoes|echo|acknowledges|notifies|returns?|pings?)\b"
)
_X_RECEIVES = re.compile(rf"\b{_party('dst')}\s+(?:will\s+|then\s+)?receives\b")
#: "from the server" / "to the server", not preceded by a verb that turns them around.
_FROM_X = re.compile(
    rf"(?<!unsubscribe\s)(?<!disconnect\s)(?<!detach\s)(?<!disconnects\s)"
    rf"\bfrom\s+{_ARTICLE}{_ADJ}{_party('src')}\b(?!\s*-?\s*side)"
)
_TO_X = re.compile(
    rf"(?<!connect\s)(?<!connects\s)(?<!connecting\s)(?<!according\s)(?<!due\s)"
    rf"(?<!broadcast\s)(?<!broadcasts\s)(?<!forward\s)(?<!forwards\s)(?<!relay\s)(?<!relays\s)"
    rf"\bto\s+{_ARTICLE}{_ADJ}{_party('dst')}\b(?!\s*-?\s*side)"
)

#: Strong patterns first; a span used by one is not read again by a weaker one.
_PHRASES: tuple[tuple[re.Pattern[str], float], ...] = (
    (_FROM_A_TO_B, 3.0),
    (_A_TO_B, 3.0),
    (_SENT_BY, 3.0),
    (_X_INITIATED, 3.0),
    (_X_SENDS, 2.5),
    (_X_RECEIVES, 2.5),
    (_X_MESSAGES, 2.5),
    (_FROM_X, 2.0),
    (_TO_X, 2.0),
)


def prose_clues(text: str, what: str) -> list[Clue]:
    """The direction ``text`` states, as at most one clue (``what`` names it: ``summary``).

    Every absolute phrase is read; phrases that point both ways cancel out, so a
    text that describes a whole exchange (``the client pings, the server
    responds``) says nothing about the message it belongs to.
    """
    if not text:
        return []
    lowered = " ".join(str(text).lower().replace("_", " ").split())
    taken: list[tuple[int, int]] = []
    found: list[Clue] = []
    for pattern, weight in _PHRASES:
        for match in pattern.finditer(lowered):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            groups = match.groupdict()
            src = groups.get("src")
            dst = groups.get("dst")
            if src and dst:
                if _side_of(src) == _side_of(dst):
                    continue
                way: Way = "c2s" if _side_of(src) == "client" else "s2c"
            elif src:
                way = "c2s" if _side_of(src) == "client" else "s2c"
            elif dst:
                way = "s2c" if _side_of(dst) == "client" else "c2s"
            else:  # pragma: no cover - every pattern names a party
                continue
            taken.append((start, end))
            found.append(Clue(way, weight, f"{what} says {match.group(0)!r}"))
    c2s = sum(c.weight for c in found if c.way == "c2s")
    s2c = sum(c.weight for c in found if c.way == "s2c")
    if c2s == s2c:
        return []
    winner: Way = "c2s" if c2s > s2c else "s2c"
    best = max((c for c in found if c.way == winner), key=lambda c: c.weight)
    return [Clue(winner, min(best.weight, abs(c2s - s2c)), best.why)]


def first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence (a description's gist)."""
    match = re.search(r"[.!?](?:\s|$)|\n\s*\n", text)
    return text[: match.start()] if match else text


_GENERIC_VERBS = frozenset(
    "send sends receive receives get gets handle handles process processes stream streams listen "
    "emit emits publish publishes on use call".split()
)
_PREPOSITIONS = frozenset(
    "for to from of on in with by when after before via about at into over per and or".split()
)
_GIST_S2C = frozenset(
    """
    updates events results notifications responses replies transcripts transcription
    transcriptions errors statuses alerts acknowledgements heartbeats response result
    notification error status
    """.split()
)
_GIST_C2S = frozenset("commands requests command request".split())
#: Words that open a summary as an imperative (``Create a news subscription``).
_COMMAND_VERBS = frozenset(
    """
    subscribe unsubscribe authenticate login logon create delete cancel submit configure modify
    update append commit join leave start stop close flush clear initialize initialise inject
    upload fetch retrieve truncate set reset register unregister resume pause mute unmute
    finalize speak
    """.split()
)


def gist_clue(text: str, what: str) -> Clue | None:
    """What a summary's first words are about: a command (``Create a subscription``) or a
    server product (``Receive market updates``: the words before the first preposition).
    """
    clause = re.split(r"[.;:\n(]", str(text or ""), maxsplit=1)[0]
    tokens = re.findall(r"[a-z]+", clause.lower())
    if not tokens:
        return None
    head = []
    for token in tokens[1:] if tokens[0] in _GENERIC_VERBS else tokens:
        if token in _PREPOSITIONS:
            break
        head.append(token)
    for token in reversed(head):
        if token in _GIST_S2C:
            return Clue("s2c", 0.7, f"{what} is about {token!r}")
        if token in _GIST_C2S:
            return Clue("c2s", 0.7, f"{what} is about {token!r}")
    if tokens[0] in _COMMAND_VERBS:
        return Clue("c2s", 0.7, f"{what} starts with the command {tokens[0]!r}")
    return None


# --- names ------------------------------------------------------------------------------

#: Words whose message a client sends: requests, commands, imperatives.
_C2S = frozenset(
    """
    request requests req command commands cmd subscribe unsubscribe auth authenticate login
    logon signin ping configure submit append commit cancel inject keepalive finalize
    input upload query join leave create delete truncate retrieve fetch set reset register
    unregister resume pause mute unmute modify receipt microphone mic media
    initialize initialise init close flush clear speak start stop
    """.split()
)
#: Words whose message a server sends: responses, results, statuses, notifications.
_S2C = frozenset(
    """
    response responses resp reply replies result results status notification notifications
    notify error errors failure fail warning warnings success ok ack acknowledgement pong
    welcome hello connected challenge authorized authenticated transcript transcription
    transcripts metadata heartbeat snapshot ticker broadcast presence output delta done
    updates events alert alerts
    """.split()
)
#: Past participles without an -ed ending.
_IRREGULAR_PARTICIPLES = frozenset(
    "done sent left gone begun shown made known given taken written broken chosen seen".split()
)
#: -ed words that are not participles of an event that happened.
_NOT_PARTICIPLES = frozenset(
    "speed need feed seed embed bed red shed hundred detailed limited unlimited".split()
)
#: Weak words: a lone "update" is a command in some APIs and a market update in others.
_WEAK = {"update": ("c2s", 0.3), "event": ("s2c", 0.4), "data": ("s2c", 0.2)}


def _word_way(word: str) -> tuple[Way, float] | None:
    if word in _C2S:
        return "c2s", 1.0
    if word in _S2C:
        return "s2c", 1.0
    if word in _IRREGULAR_PARTICIPLES or (
        len(word) > 4 and word.endswith("ed") and word not in _NOT_PARTICIPLES
    ):
        return "s2c", 1.0
    if word in _WEAK:
        way, weight = _WEAK[word]
        return way, weight  # type: ignore[return-value]
    return None


def _name_words(name: str) -> list[str]:
    out = [w.lower() for w in words(name)]
    # "keep_alive" / "KeepAlive" read as one word
    joined: list[str] = []
    for w in out:
        if joined and joined[-1] == "keep" and w == "alive":
            joined[-1] = "keepalive"
        elif joined and joined[-1] == "close" and w in ("stream", "connection", "socket"):
            joined[-1] = "close"
        else:
            joined.append(w)
    return joined


def name_clue(names: Iterable[str], what: str = "message") -> Clue | None:
    """One clue from a message's names (key, name, title, tag value), or None.

    The head (last known word) of each name counts 1, other known words 0.4; the
    result's weight is at most 1, whatever the number of names.
    """
    score = {"c2s": 0.0, "s2c": 0.0}
    heads: dict[str, Way] = {}
    distinct = list(dict.fromkeys(n for n in names if n))
    for name in distinct:
        known = [(w, found) for w in _name_words(name) if (found := _word_way(w)) is not None]
        for i, (word, (word_way, weight)) in enumerate(known):
            head = i == len(known) - 1
            score[word_way] += weight * (1.0 if head else 0.4)
            if head:
                heads.setdefault(word, word_way)
    net = score["c2s"] - score["s2c"]
    if abs(net) < 0.25:  # a lone weak word ("data") says nothing
        return None
    winner: Way = "c2s" if net > 0 else "s2c"
    said = ", ".join(repr(w) for w, d in heads.items() if d == winner)
    return Clue(winner, min(1.0, abs(net)), f"{what} {distinct[0]!r}: its names say {said}")


_REPLY_SUFFIXES = ("response", "reply", "result", "ack", "status", "resp", "done", "ok")
_REQUEST_SUFFIXES = ("request", "req", "command", "cmd")


def pair_clues(names: dict[str, list[str]]) -> dict[str, Clue]:
    """Clues from pairs among one channel's messages, by message id.

    ``names`` maps a message id to its names. Pairs: ``X``/``X response``
    (``X`` is the request), ``X request``/``X response``, ``X``/``X-ed``
    (``session.update``/``session.updated``: the imperative is the request),
    ``ping``/``pong``.
    """
    stems: dict[str, set[tuple[str, ...]]] = {}
    for key, ns in names.items():
        stems[key] = {tuple(_name_words(n)) for n in ns if n and _name_words(n)}
    out: dict[str, Clue] = {}

    def mark(key: str, way: Way, why: str) -> None:
        if key not in out:
            out[key] = Clue(way, 2.0, why)

    keys = list(names)
    for a in keys:
        for b in keys:
            if a == b:
                continue
            for wa in stems[a]:
                for wb in stems[b]:
                    if wa == ("ping",) and wb == ("pong",):
                        mark(a, "c2s", "ping/pong pair: ping")
                        mark(b, "s2c", "ping/pong pair: pong")
                        continue
                    if len(wb) == len(wa) + 1 and wb[: len(wa)] == wa and wb[-1] in _REPLY_SUFFIXES:
                        mark(a, "c2s", f"{' '.join(wa)!r} is answered by {' '.join(wb)!r}")
                        mark(b, "s2c", f"{' '.join(wb)!r} answers {' '.join(wa)!r}")
                    elif (
                        len(wa) == len(wb)
                        and wa[:-1] == wb[:-1]
                        and wa[-1] in _REQUEST_SUFFIXES
                        and wb[-1] in _REPLY_SUFFIXES
                    ):
                        mark(a, "c2s", f"{' '.join(wa)!r} is answered by {' '.join(wb)!r}")
                        mark(b, "s2c", f"{' '.join(wb)!r} answers {' '.join(wa)!r}")
                    elif (
                        len(wa) == len(wb) and wa[:-1] == wb[:-1] and _participle_of(wb[-1], wa[-1])
                    ):
                        mark(a, "c2s", f"{' '.join(wa)!r} is confirmed by {' '.join(wb)!r}")
                        mark(b, "s2c", f"{' '.join(wb)!r} confirms {' '.join(wa)!r}")
    return out


def _participle_of(participle: str, verb: str) -> bool:
    """``updated`` of ``update``, ``started`` of ``start``, ``stopped`` of ``stop``, ``done`` of ``do``."""
    if len(verb) < 2 or participle == verb:
        return False
    candidates = {verb + "d", verb + "ed", verb + verb[-1] + "ed"}
    if verb.endswith("y"):
        candidates.add(verb[:-1] + "ied")
    return participle in candidates


# --- the document as a whole ------------------------------------------------------------

#: A title that names the application a client: "Echo WebSocket Client" (not "Client API").
_TITLE_CLIENT = re.compile(r"\bclient\s*(?:v?\d+(?:\.\d+)*)?\s*$", re.IGNORECASE)
_AS_SIDE = re.compile(
    r"\b(?:as\s+a|written\s+from\s+the|from\s+the)\s+(client|server)(?:'s)?\s+"
    r"(?:perspective|point\s+of\s+view|side|view)\b|\bas\s+a\s+(client|server)\b",
    re.IGNORECASE,
)


def info_clue(
    title: str, description: str
) -> tuple[Literal["client", "server"], float, str] | None:
    """A document that calls itself a client (``Echo WebSocket Client``) or says whose view it takes."""
    if _TITLE_CLIENT.search(title or ""):
        return "client", 2.5, f"title {title!r} names the application a client"
    match = _AS_SIDE.search(description or "")
    if match:
        word = (match.group(1) or match.group(2)).lower()
        side: Literal["client", "server"] = "client" if word == "client" else "server"
        return side, 1.5, f"description says {match.group(0)!r}"
    return None
