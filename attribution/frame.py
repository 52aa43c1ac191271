"""An attribution frame: who (speaker) reports what (content) through which cue, and how (kind)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

FrameKind = Literal["statement", "accusation", "denial", "hedge"]

SpanMap = Callable[[int, int], tuple[int, int]]
"""Maps a half-open character span ``[start, end)`` of one text to the same span in another."""


@dataclass(frozen=True, slots=True)
class Frame:
    """One report, with character offsets into the text it was found in.

    Extraction works on a paragraph's clean text, so a fresh frame's offsets index that text; the
    ingest stage re-expresses them in the posted document's text (:meth:`mapped`), and that is how
    the store keeps them and the API shows them.

    ``speaker`` is the resolved name ("It" -> "Armenia"), ``None`` for an unnamed source
    ("has been widely accused", "reportedly"). ``speaker_start/end`` is where the source is named
    (the pronoun's own span), ``None`` when no source is named at all.
    """

    kind: FrameKind
    cue: str
    cue_start: int
    cue_end: int
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    content_start: int
    content_end: int

    def mapped(self, span_map: SpanMap) -> Frame:
        """The same frame with every span passed through ``span_map`` (paragraph -> document)."""
        cue_start, cue_end = span_map(self.cue_start, self.cue_end)
        content_start, content_end = span_map(self.content_start, self.content_end)
        speaker_start = speaker_end = None
        if self.speaker_start is not None and self.speaker_end is not None:
            speaker_start, speaker_end = span_map(self.speaker_start, self.speaker_end)
        return Frame(
            self.kind,
            self.cue,
            cue_start,
            cue_end,
            self.speaker,
            speaker_start,
            speaker_end,
            content_start,
            content_end,
        )
