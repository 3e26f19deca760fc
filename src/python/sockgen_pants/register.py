"""Pants backend entry point (listed in pants.toml ``backend_packages``)."""

from __future__ import annotations

from typing import Any, Iterable


def rules() -> Iterable[Any]:
    return ()


def target_types() -> Iterable[type]:
    return ()
