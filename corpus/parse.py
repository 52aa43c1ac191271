"""Turn posted text (plain, markdown or HTML) into clean paragraphs with original offsets and metadata.

Everything downstream (sentences, attributions, evidence) reports character offsets into the
text *as it was posted*, so cleaning must never lose track of where a character came from. Each
format reader therefore produces candidate :class:`Block` objects whose characters each carry
their source offset; a shared tail then takes out metadata lines (title, byline, date, URL),
drops page furniture (:mod:`corpus.boilerplate`) and returns a :class:`ParsedDocument`.

Structure is parsed by real parsers (markdown-it-py, the stdlib ``html.parser``); regular
expressions are only used for line splitting, format sniffing and classifying short strings.

This module is the entry point and the shared tail; each step has its own module:
:mod:`corpus.formats.sniff` (which format), :mod:`corpus.formats.cleantext` (``Block`` and the
offset-keeping builder), the readers :mod:`corpus.formats.plaintext`,
:mod:`corpus.formats.markdown` and :mod:`corpus.formats.htmlpage`, and :mod:`corpus.metadata`
(title, byline, date, URL).
"""

from __future__ import annotations

from collections.abc import Sequence

from corpus import boilerplate
from corpus.chunk import split_long_paragraph
from corpus.document import DocumentMeta, Paragraph, ParsedDocument
from corpus.formats.cleantext import Block
from corpus.formats.htmlpage import html_blocks
from corpus.formats.markdown import markdown_blocks
from corpus.formats.plaintext import text_blocks
from corpus.formats.sniff import Format, sniff_format
from corpus.metadata import MetaHints, extract_metadata, http_url
from corpus.outlets import outlet_for_url

__all__ = ["Block", "Format", "parse_document", "sniff_format"]


def _content_paragraphs(
    blocks: Sequence[Block], used: set[int], text: str
) -> tuple[tuple[Paragraph, ...], tuple[Paragraph, ...]]:
    """Drop metadata lines and furniture; trim a wire sign-off glued to the last paragraph; cut
    paragraphs too long for the language stage (:mod:`corpus.chunk`).

    Returns the content paragraphs and, apart, the short lines without sentence punctuation that
    are content only if they parse as a sentence (``ParsedDocument.short_lines``).
    """
    remaining = [block for i, block in enumerate(blocks) if i not in used]
    reasons = boilerplate.find_furniture([b.text for b in remaining], [b.link_only for b in remaining])
    content = [block for block, reason in zip(remaining, reasons, strict=True) if reason is None]
    short = [
        block for block, reason in zip(remaining, reasons, strict=True) if reason == boilerplate.SHORT_LINE
    ]
    paragraphs = [Paragraph(block.text, block.offsets) for block in content]
    if paragraphs:
        paragraphs[-1] = _trim_signoff(paragraphs[-1])
    return _bounded(paragraphs, text), _bounded([Paragraph(b.text, b.offsets) for b in short], text)


def _bounded(paragraphs: Sequence[Paragraph], text: str) -> tuple[Paragraph, ...]:
    """Every paragraph at most ``corpus.chunk.MAX_PARAGRAPH_CHARS`` long (a short line is a few
    words, but a "word" can be a million characters without a space)."""
    return tuple(piece for paragraph in paragraphs for piece in split_long_paragraph(paragraph, text))


def _trim_signoff(paragraph: Paragraph) -> Paragraph:
    cut = boilerplate.signoff_length(paragraph.text)
    if not cut:
        return paragraph
    keep = len(paragraph.text) - cut
    return Paragraph(paragraph.text[:keep], paragraph.offsets[:keep])


def parse_document(text: str, fmt: Format | None = None) -> ParsedDocument:
    """Parse posted text into metadata and clean content paragraphs with original offsets.

    ``fmt`` None sniffs the format (:func:`sniff_format`). ``ParsedDocument.text`` is ``text``
    unchanged; every paragraph character maps to its position in it via ``Paragraph.offsets``.
    """
    fmt = fmt or sniff_format(text)
    hints = MetaHints()
    if fmt == "html":
        blocks, hints = html_blocks(text)
    elif fmt == "markdown":
        blocks = markdown_blocks(text)
    else:
        blocks = text_blocks(text)
    extraction = extract_metadata(blocks, hints)
    meta = extraction.meta
    url = http_url(meta.get("url"))  # og:url and canonical links are not checked by the readers
    document_meta = DocumentMeta(
        title=meta.get("title"),
        outlet=hints.outlet or outlet_for_url(url),
        byline=meta.get("byline"),
        published=meta.get("published"),
        url=url,
    )
    paragraphs, short_lines = _content_paragraphs(blocks, extraction.used, text)
    return ParsedDocument(text=text, meta=document_meta, paragraphs=paragraphs, short_lines=short_lines)
