"""Group the same sentence carried by several documents into one evidence item.

Syndicated copies differ in wrapping, quote marks and case, so sentences are compared on a
normalised key. Only sentences whose normalised text is identical are merged: every source of an
item must slice (``start:end``) to the item's sentence, which a near-identical variant ("Nagorny"
vs "Nagorno") would not; such variants stay separate items.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)
_SPACE = re.compile(r"\s+")


def sentence_key(text: str) -> str:
    """Whitespace-, quote-style- and case-insensitive form of a sentence."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip().lower()


def group_identical(items: Sequence[T], text_of: Callable[[T], str]) -> list[list[T]]:
    """Groups in order of first appearance; pass items best first so each group's head is its best."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(sentence_key(text_of(item)), []).append(item)
    return list(groups.values())
