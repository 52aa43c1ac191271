"""Candidate paragraphs whose characters each carry their offset in the posted text.

Everything downstream (sentences, attributions, evidence) reports character offsets into the
text *as it was posted*, so every format reader builds its :class:`Block` objects with the one
:class:`CleanText` builder defined here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Block", "CleanText"]


@dataclass(frozen=True, slots=True)
class Block:
    """A candidate paragraph, before metadata lines and furniture are taken out.

    ``heading`` is the heading level (1 for a top-level title, 0 for body text); ``link_only``
    says every visible character is link text (photo credits, navigation, bare URLs); ``lines``
    counts source lines, because a plain-text title is a single line.
    """

    text: str
    offsets: tuple[int, ...]
    heading: int = 0
    link_only: bool = False
    hrefs: tuple[str, ...] = ()
    lines: int = 1
    blank_after: bool = True


class CleanText:
    """Accumulates clean characters and their source offsets, collapsing whitespace runs.

    Why one builder for all formats: the offset invariant (``original[offsets[i]] == text[i]``
    except for collapsed whitespace and decoded entities) and strictly increasing offsets are
    then enforced in one place.
    """

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self._space_at: int | None = None
        self._unlinked = 0

    def _reset(self) -> None:
        self.chars = []
        self.offsets = []
        self._space_at = None
        self._unlinked = 0

    def add_char(self, char: str, offset: int, *, in_link: bool = False) -> None:
        if self.offsets and offset <= self.offsets[-1]:
            return  # never let offsets run backwards (a mapping fallback could otherwise do so)
        if char.isspace():
            if self._space_at is None:
                self._space_at = offset
            return
        if self._space_at is not None and self.chars:
            self.chars.append(" ")
            self.offsets.append(self._space_at)
        self._space_at = None
        self.chars.append(char)
        self.offsets.append(offset)
        if not in_link:
            self._unlinked += 1

    def add(self, source_text: str, start: int, *, in_link: bool = False) -> None:
        """Add a verbatim slice of the source that begins at ``start``."""
        for i, char in enumerate(source_text):
            self.add_char(char, start + i, in_link=in_link)

    def add_decoded(self, decoded: str, start: int, *, in_link: bool = False) -> None:
        """Add characters decoded from an entity at ``start``: the first maps to the entity start."""
        for i, char in enumerate(decoded):
            self.add_char(char, start + i, in_link=in_link)

    def space(self, offset: int) -> None:
        self.add_char(" ", offset)

    def take(self, *, heading: int = 0, hrefs: Sequence[str] = (), lines: int = 1) -> Block | None:
        """Return the accumulated block (None if it has no visible text) and start afresh."""
        block = None
        if self.chars:
            block = Block(
                text="".join(self.chars),
                offsets=tuple(self.offsets),
                heading=heading,
                link_only=self._unlinked == 0,
                hrefs=tuple(hrefs),
                lines=lines,
            )
        self._reset()
        return block
