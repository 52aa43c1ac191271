"""An attribution frame: who (speaker) reports what (content) through which cue, and how (kind)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FrameKind = Literal["statement", "accusation", "denial", "hedge"]


@dataclass(frozen=True, slots=True)
class Frame:
    """Character offsets are into the text of the paragraph the frame was found in.

    ``speaker`` is the resolved name ("It" -> "Armenia"), ``None`` for an unnamed source
    ("has been widely accused", "reportedly"). ``speaker_start/end`` is where the source is named
    in this paragraph (the pronoun's own span), ``None`` when no source is named at all.
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
