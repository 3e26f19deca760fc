"""A committed API snapshot, checked against its spec: what ``sockgen snapshot`` decides.

A snapshot is the spec's surface (``surface.py``) as of the last accepted change,
committed beside the spec. ``check`` compares it with the spec's surface now and
says whether it is current; when it is not, whether rewriting it is *allowed*:
a change with nothing breaking always is; a breaking one only when the spec's
``info.version`` has a greater major number than the snapshot's (``1.4.0`` to
``2.0.0``, ``v1`` to ``v2``). ``pants lint`` fails on any difference, ``pants fix``
rewrites the snapshot when it is allowed (``sockgen_pants/snapshot.py``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SpecError, one_line
from .diff import Change, at_least
from .diff import diff as diff_surfaces
from .surface import VERSION, dumps, misfit

_MAJOR = re.compile(r"\s*[vV]?(\d+)")


@dataclass(frozen=True)
class Verdict:
    """The snapshot against the spec's surface now."""

    current: bool
    """The snapshot holds exactly the surface (nothing to do)."""
    allowed: bool
    """Rewriting the snapshot is allowed (always, when it is current)."""
    reason: str
    """One sentence for the user: what is wrong and what to do, or that all is well."""
    changes: list[Change] = field(default_factory=list)


def major(version: str | None) -> int | None:
    """The major number of ``info.version`` (``2`` for ``2.1.0``, ``v2``, ``2024.1``), if any."""
    found = _MAJOR.match(version or "")
    return int(found.group(1)) if found else None


def read(path: Path) -> dict[str, Any] | None:
    """The snapshot at ``path``; None when there is none yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        raise SpecError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=str(path)
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(
            f"not a sockgen API snapshot: {one_line(exc.msg)}",
            file=str(path),
            line=exc.lineno,
            column=exc.colno,
        ) from None
    if not isinstance(data, dict) or "sockgen_api" not in data:
        raise SpecError("not a sockgen API snapshot (no `sockgen_api` key)", file=str(path))
    if data["sockgen_api"] == VERSION:  # another format is reported by check(), not read
        problem = misfit(data)
        if problem is not None:
            raise SpecError(
                f"not a sockgen API snapshot: {one_line(problem)} (edited by hand, or merged "
                "badly? delete it and record it again)",
                file=str(path),
            )
    return data


def check(
    recorded: dict[str, Any] | None,
    now: dict[str, Any],
    *,
    fix: str,
    accept_breaking: bool = False,
) -> Verdict:
    """Compare the ``recorded`` snapshot with the surface ``now``; ``fix`` is the command
    that records a change (``pants fix ...`` under Pants), for the sentences."""
    if recorded is None:
        return Verdict(False, True, f"no snapshot yet: `{fix}` records the API")
    if recorded.get("sockgen_api") != VERSION:
        return Verdict(
            False,
            False,
            f"the snapshot is in surface format {recorded.get('sockgen_api')!r}, this sockgen "
            f"writes format {VERSION}: compare by hand, then delete it and run `{fix}`",
        )
    if dumps(recorded) == dumps(now):
        return Verdict(True, True, "the snapshot is up to date")
    return _judge(recorded, now, fix, accept_breaking)


def _judge(
    recorded: dict[str, Any], now: dict[str, Any], fix: str, accept_breaking: bool
) -> Verdict:
    """The verdict on a surface that changed: allowed unless something breaks without a new
    major ``info.version``."""
    changes = diff_surfaces(recorded, now)
    breaking = at_least(changes, "breaking")
    old, new = recorded.get("version") or "", now.get("version") or ""
    versions = _versions(old, new)
    old_major, new_major = major(old), major(new)

    def verdict(allowed: bool, reason: str) -> Verdict:
        return Verdict(False, allowed, reason, changes)

    if accept_breaking:
        return verdict(True, f"recorded as asked, breaking or not ({versions})")
    if old_major is not None and (new_major is None or new_major < old_major):
        # else a breaking change could pass in two steps: lower the major, then raise it
        return verdict(
            False,
            f"the major version went down or away ({versions}): put it back, or delete the "
            f"snapshot and run `{fix}` to start again from this API",
        )
    if not breaking:
        what = "no API changes" if not changes else "no breaking changes"
        return verdict(
            True, f"{what} ({versions}): `{fix}` records {'it' if not changes else 'them'}"
        )
    if old_major is not None and new_major is not None and new_major > old_major:
        return verdict(
            True,
            f"{len(breaking)} breaking changes with a new major version ({versions}): "
            f"`{fix}` records them",
        )
    return verdict(
        False,
        f"{len(breaking)} breaking changes need a new major version: "
        + _bump(old_major, versions, fix),
    )


def _versions(old: str, new: str) -> str:
    """``info.version 1.0.0 -> 2.0.0`` (``""`` where there is none)."""
    shown_old, shown_new = old or '""', new or '""'
    return f"info.version {shown_old} -> {shown_new}" if old != new else f"info.version {shown_new}"


def _bump(old_major: int | None, versions: str, fix: str) -> str:
    """What to do about breaking changes without a new major version."""
    if old_major is None:
        return (
            f"the snapshot's info.version has no major number to bump ({versions}): undo "
            f"them, or delete the snapshot and run `{fix}` to accept them"
        )
    return f"bump info.version to {old_major + 1}.0.0 ({versions}), or undo them"
