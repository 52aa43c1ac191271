"""The parsed form of one article: original text, metadata and content paragraphs.

Every later stage works on ``Paragraph.text`` (clean, readable text) but reports positions in
the text exactly as it was posted. ``Paragraph.offsets`` is the bridge: one original offset per
clean character, so any span found in clean text maps back without re-parsing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """Bibliographic facts a fact-checker cites; ``None`` when the source does not say."""

    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    published: str | None = None  # ISO 8601 date, "YYYY-MM-DD"
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One content paragraph: clean text plus, per character, its offset in the original text."""

    text: str
    offsets: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.text) != len(self.offsets):
            raise ValueError("a paragraph needs exactly one original offset per character")
        if not self.text:
            raise ValueError("a paragraph cannot be empty")

    @property
    def start(self) -> int:
        return self.offsets[0]

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean-text span ``[start, end)`` (end > start) to ``[orig_start, orig_end)``."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside paragraph of {len(self.text)} chars")
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """What the parser hands on: the original text, its metadata and its content paragraphs.

    Boilerplate (donation appeals, photo credits, "Related article" links, "Read more", the
    title and byline lines) is already gone from ``paragraphs``; metadata lines feed ``meta``.

    ``short_lines`` are the lines that end without sentence punctuation and are too short to be
    sure of (:func:`corpus.boilerplate.find_furniture`): a menu item ("Monthly") or a headline-like
    sentence ("Turkey shot down an Armenian jet"). They are content only when the parse shows a
    sentence (:func:`corpus.segment.is_sentence`), which the language stage decides.
    """

    text: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    paragraphs: tuple[Paragraph, ...] = ()
    short_lines: tuple[Paragraph, ...] = ()
