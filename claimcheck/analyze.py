"""Ingest-time analysis: parsed document -> paragraph records with sentences, frames, terms, vectors.

Everything that depends only on the document is computed here once, so a query is one encoder
call, one FAISS search and look-ups. spaCy runs once per paragraph (``nlp.pipe`` batches them) and
the encoder once per document (paragraphs and sentences in one call).

:func:`analyze_paragraphs` is the language half (spaCy, sentences, attribution frames) and is what
``bench/attribution.py`` measures; :func:`analyze` adds terms and vectors on top of it, so the
benchmark and ingest share one path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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

# Paragraphs per spaCy batch. Measured on PolNeAR (bench/attribution.py): throughput is flat from
# 32 to 256 paragraphs per batch with en_core_web_sm, and every component of the pipeline is used
# (tok2vec/tagger/parser: sentences and frames; attribute_ruler/lemmatizer: cue lemmas and content
# terms; ner: speakers and retrieval entities), so none is disabled.
SPACY_BATCH_SIZE = 64


@dataclass(frozen=True, slots=True)
class ParagraphAnalysis:
    """One paragraph after spaCy: its Doc, sentence spans and frames (paragraph-text offsets)."""

    paragraph: Paragraph
    doc: Doc
    sentences: list[tuple[int, int]]
    frames: list[Frame]


def analyze_paragraphs(parsed: ParsedDocument, nlp: Language) -> list[ParagraphAnalysis]:
    """spaCy (batched), sentence spans and attribution frames for every content paragraph."""
    paragraphs = parsed.paragraphs
    docs = list(nlp.pipe([p.text for p in paragraphs], batch_size=SPACY_BATCH_SIZE))
    return [
        ParagraphAnalysis(
            paragraph,
            doc,
            split_sentences(doc),
            extract_frames(doc, docs[max(0, i - PRONOUN_CONTEXT_PARAGRAPHS) : i]),
        )
        for i, (paragraph, doc) in enumerate(zip(paragraphs, docs, strict=True))
    ]


def analyze(parsed: ParsedDocument, nlp: Language, encoder: Encoder) -> tuple[ParagraphRecord, ...]:
    """Sentences, attribution frames, terms and vectors for every content paragraph."""
    analyses = analyze_paragraphs(parsed, nlp)
    texts = [a.paragraph.text for a in analyses]
    sentence_texts = [a.paragraph.text[s:e] for a in analyses for s, e in a.sentences]
    vectors = encoder.encode(texts + sentence_texts)
    paragraph_vectors, sentence_vectors = vectors[: len(texts)], vectors[len(texts) :]

    records: list[ParagraphRecord] = []
    cursor = 0
    for analysis, vector in zip(analyses, paragraph_vectors, strict=True):
        paragraph = analysis.paragraph
        sentences = []
        for a, b in analysis.sentences:
            sentences.append(_sentence(paragraph, analysis.doc, a, b, sentence_vectors[cursor]))
            cursor += 1
        records.append(
            ParagraphRecord(
                start=paragraph.start,
                end=paragraph.end,
                text=paragraph.text,
                vector=vector,
                sentences=tuple(sentences),
                frames=tuple(frame_record(paragraph, f) for f in analysis.frames),
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


def frame_record(paragraph: Paragraph, frame: Frame) -> FrameRecord:
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
