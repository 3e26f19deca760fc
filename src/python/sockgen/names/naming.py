"""Names from spec text: words, snake_case and PascalCase, unique names, the package name.

The rules a package's layout depends on (``layout``). This module runs inside Pants too
(CPython 3.9, standard library only); the Python identifiers of generated code are
``identifiers``'.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from pathlib import PurePosixPath

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")

#: The longest name made from spec text, in characters. Titles and summaries are prose:
#: a name takes their first words (``unique`` may add a counter after it).
MAX_NAME = 60


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _WORD.findall(text)


def _leading(parts: list[str], separator: str) -> list[str]:
    """The first of ``parts`` that fit in ``MAX_NAME`` characters joined (at least part of one)."""
    kept: list[str] = []
    size = 0
    for part in parts:
        size += len(part) + (len(separator) if kept else 0)
        if size > MAX_NAME:
            break
        kept.append(part)
    return kept or [part[:MAX_NAME] for part in parts[:1]]


def snake(text: str) -> str:
    name = "_".join(_leading([w.lower() for w in words(text)], "_")) or "x"
    if name[0].isdigit():
        name = "n" + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in ("None", "True", "False"):
        name += "_"
    return name


def pascal(text: str) -> str:
    name = "".join(_leading([w[:1].upper() + w[1:] for w in words(text)], "")) or "X"
    if name[0].isdigit():
        name = "N" + name
    return name


def unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{name}_{n}" if name[-1].isdigit() or name.islower() else f"{name}{n}"
        n += 1
    taken.add(candidate)
    return candidate


_SPEC_KIND = re.compile(
    r"[-_.]?(?:asyncapi|openapi|swagger)(?:[-_.]?v?\d+(?:\.\d+)*)?$", re.IGNORECASE
)
_GENERIC_STEMS = frozenset({"", "asyncapi", "openapi", "swagger", "spec", "api", "index", "main"})


def default_package(spec_path: str) -> str:
    """The package a spec generates when nobody names one: ``chat.asyncapi.yaml`` -> ``chat_sdk``.

    The file name without its extension and spec-kind suffix (``.asyncapi``,
    ``-openapi3``), or its folder's name when that leaves nothing telling
    (``echo/asyncapi.yaml`` -> ``echo_sdk``); ``_sdk`` keeps it clear of the
    vendor's own package. The CLI, ``tailor`` and the Pants plugin use this rule.
    """
    path = PurePosixPath(spec_path.replace("\\", "/"))
    stem = path.name
    for ext in (".json", ".yaml", ".yml"):
        stem = stem.removesuffix(ext)
    stem = _SPEC_KIND.sub("", stem)
    if snake(stem) in _GENERIC_STEMS or not words(stem):
        stem = _SPEC_KIND.sub("", path.parent.name)
    name = snake(stem) if words(stem) else "api"
    return name if name.endswith("_sdk") else f"{name}_sdk"
