"""Group near-identical sentences from different documents into one evidence item.

Syndicated copies differ in wrapping, quote style and spelling ("Nagorny"/"Nagorno"), so the test
is word-set overlap, not string equality.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

_WORD = re.compile(r"\w+")
NEAR_DUPLICATE_JACCARD = 0.8


def word_set(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def group_near_duplicates(
    items: Sequence[T], text_of: Callable[[T], str], threshold: float = NEAR_DUPLICATE_JACCARD
) -> list[list[T]]:
    """Greedy grouping in input order: each item joins the first group whose head it nearly equals.

    Items should come best first, so a group's head is its best-scoring member.
    """
    groups: list[tuple[frozenset[str], list[T]]] = []
    for item in items:
        words = word_set(text_of(item))
        for head_words, members in groups:
            if jaccard(words, head_words) >= threshold:
                members.append(item)
                break
        else:
            groups.append((words, [item]))
    return [members for _, members in groups]
