"""Which side an AsyncAPI document is written from, and why: what ``sockgen inspect``
and the generated README report (the AsyncAPI front end decides it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Side = Literal["client", "server"]


@dataclass(frozen=True)
class Evidence:
    """One reason to read the document from ``side``."""

    side: Side
    weight: float
    why: str
    pointer: str
    """Where in the document it is (a JSON pointer)."""

    def __str__(self) -> str:
        return f"{self.why} (at {self.pointer or '/'}, weight {self.weight:g})"


@dataclass(frozen=True)
class SideReport:
    side: Side
    source: Literal["config", "evidence", "no operations"]
    evidence: tuple[Evidence, ...] = field(default=())

    def strongest(self, side: Side) -> Evidence | None:
        return next((e for e in self.evidence if e.side == side), None)

    def total(self, side: Side) -> float:
        return sum(e.weight for e in self.evidence if e.side == side)
