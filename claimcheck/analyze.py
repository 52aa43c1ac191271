"""Ingest-time analysis: parsed document -> paragraph records with sentences, frames, terms, vectors.

Everything that depends only on the document is computed here once, so a query is one encoder
call, one FAISS search and look-ups. spaCy runs once per paragraph (``nlp.pipe`` batches them) and
the encoder once per document (paragraphs and sentences in one call).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from attribution.frame import Frame
from attribution.frames import extract_frames
from corpus.document import Paragraph, ParsedDocument
from corpus.segment import split_sentences
from corpus.store import FrameRecord, ParagraphRecord, SentenceRecord
from embeddings.encoder import Encoder
from retrieval.terms import span_terms

# Preceding paragraphs searched for the name a pronoun speaker ("he", "it") stands for.
PRONOUN_CONTEXT_PARAGRAPHS = 2


def analyze(parsed: ParsedDocument, nlp: Language, encoder: Encoder) -> tuple[ParagraphRecord, ...]:
    """Sentences, attribution frames, terms and vectors for every content paragraph."""
    paragraphs = parsed.paragraphs
    docs = list(nlp.pipe([p.text for p in paragraphs], batch_size=64))
    sentence_spans = [split_sentences(doc) for doc in docs]
    frames = [
        extract_frames(doc, docs[max(0, i - PRONOUN_CONTEXT_PARAGRAPHS) : i]) for i, doc in enumerate(docs)
    ]
    texts = [p.text for p in paragraphs]
    sentence_texts = [
        p.text[a:b] for p, spans in zip(paragraphs, sentence_spans, strict=True) for a, b in spans
    ]
    vectors = encoder.encode(texts + sentence_texts)
    paragraph_vectors, sentence_vectors = vectors[: len(texts)], vectors[len(texts) :]

    records: list[ParagraphRecord] = []
    cursor = 0
    for paragraph, doc, spans, paragraph_frames, vector in zip(
        paragraphs, docs, sentence_spans, frames, paragraph_vectors, strict=True
    ):
        sentences = []
        for a, b in spans:
            sentences.append(_sentence(paragraph, doc, a, b, sentence_vectors[cursor]))
            cursor += 1
        records.append(
            ParagraphRecord(
                start=paragraph.start,
                end=paragraph.end,
                text=paragraph.text,
                vector=vector,
                sentences=tuple(sentences),
                frames=tuple(_frame_record(paragraph, f) for f in paragraph_frames),
            )
        )
    return tuple(records)


def _sentence(
    paragraph: Paragraph, doc: Doc, start: int, end: int, vector: Sequence[float]
) -> SentenceRecord:
    span = doc.char_span(start, end, alignment_mode="expand")
    orig_start, orig_end = paragraph.original_span(start, end)
    terms = span_terms(span, paragraph.offsets.__getitem__) if span is not None else ()
    return SentenceRecord(orig_start, orig_end, paragraph.text[start:end], vector, terms)  # type: ignore[arg-type]


def _frame_record(paragraph: Paragraph, frame: Frame) -> FrameRecord:
    """Re-express a frame's paragraph-text offsets as offsets into the original document text."""
    cue_start, cue_end = paragraph.original_span(frame.cue_start, frame.cue_end)
    content_start, content_end = paragraph.original_span(frame.content_start, frame.content_end)
    speaker_start = speaker_end = None
    if frame.speaker_start is not None and frame.speaker_end is not None:
        speaker_start, speaker_end = paragraph.original_span(frame.speaker_start, frame.speaker_end)
    return FrameRecord(
        kind=frame.kind,
        cue=frame.cue,
        cue_start=cue_start,
        cue_end=cue_end,
        speaker=frame.speaker,
        speaker_start=speaker_start,
        speaker_end=speaker_end,
        content_start=content_start,
        content_end=content_end,
    )
