"""A stored document as clients see it: metadata, paragraphs, sentences and their frames.

The store keeps frames per paragraph; a client reads them per sentence, so each sentence lists the
frames whose cue or content lies (partly) inside it.
"""

from __future__ import annotations

from typing import TypedDict

from attribution.frame import Frame
from claimcheck.results import DocumentListing, DocumentView, ParagraphView, SentenceView
from corpus.document import DocumentMeta
from store.records import DocumentSummary, StoredDocument, StoredSentence


def _touches(frame: Frame, sentence: StoredSentence) -> bool:
    content = frame.content_start < sentence.end and sentence.start < frame.content_end
    cue = frame.cue_start < sentence.end and sentence.start < frame.cue_end
    return content or cue


class Citation(TypedDict):
    """The citation facts every client-facing type carries flat (the v1 contract's shape)."""

    title: str | None
    outlet: str | None
    byline: str | None
    published: str | None
    url: str | None


def citation(meta: DocumentMeta) -> Citation:
    return Citation(
        title=meta.title, outlet=meta.outlet, byline=meta.byline, published=meta.published, url=meta.url
    )


def document_view(doc: StoredDocument) -> DocumentView:
    info = doc.info
    return DocumentView(
        id=doc.id,
        **citation(info.meta),
        story_id=info.story_id,
        agency=info.agency,
        format=doc.format,
        ingested_at=info.ingested_at,
        paragraphs=tuple(
            ParagraphView(
                index=p.index,
                start=p.start,
                end=p.end,
                sentences=tuple(
                    SentenceView(
                        s.index, s.start, s.end, s.text, tuple(f for f in p.frames if _touches(f, s))
                    )
                    for s in p.sentences
                ),
            )
            for p in doc.paragraphs
        ),
    )


def document_listing(summary: DocumentSummary) -> DocumentListing:
    info = summary.info
    return DocumentListing(
        id=summary.id,
        **citation(info.meta),
        story_id=info.story_id,
        agency=info.agency,
        paragraphs=summary.paragraphs,
        sentences=summary.sentences,
        ingested_at=info.ingested_at,
    )
