"""Ingest-time analysis in two stages: language (spaCy) then vectors (the encoder).

Everything that depends only on the document is computed here once, so a query is one encoder
call, one FAISS search and look-ups. The stages are separate so bulk ingest can run them on both
cores at once: spaCy parses the next batch of documents while the encoder embeds this one.

- :func:`analyze_paragraphs` / :func:`prepare_many`: spaCy over every paragraph of a batch of
  documents in one ``nlp.pipe``, sentence spans, attribution frames and content terms, all mapped
  to offsets in the original text (the Docs are dropped: they are large). ``bench/attribution.py``
  measures this half.
- :func:`embed_many`: one encoder call for every sentence of the batch; a paragraph's vector is the
  normalised mean of its sentences' vectors: half the encoder work of embedding paragraphs too. The
  paragraph vector only picks FAISS candidates (sentences are scored by their own vectors); the dev
  claims pass with it and Reuters ingest rose to 189 sentences/s (README, Performance).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from attribution.frame import Frame
from attribution.frames import extract_frames
from corpus.document import Paragraph, ParsedDocument
from corpus.segment import split_sentences
from corpus.store import FrameRecord, ParagraphRecord, SentenceRecord, Term
from embeddings.encoder import Encoder, Vectors
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


@dataclass(frozen=True, slots=True)
class SentenceDraft:
    start: int
    end: int
    text: str
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class ParagraphDraft:
    """A paragraph's language analysis in original-text offsets, waiting for its vectors."""

    start: int
    end: int
    text: str
    sentences: tuple[SentenceDraft, ...]
    frames: tuple[FrameRecord, ...]


def analyze_paragraphs(parsed: ParsedDocument, nlp: Language) -> list[ParagraphAnalysis]:
    """spaCy (batched), sentence spans and attribution frames for every content paragraph."""
    return _analyses([parsed], nlp)[0]


def _analyses(documents: Sequence[ParsedDocument], nlp: Language) -> list[list[ParagraphAnalysis]]:
    texts = [p.text for parsed in documents for p in parsed.paragraphs]
    docs = iter(nlp.pipe(texts, batch_size=SPACY_BATCH_SIZE))
    out = []
    for parsed in documents:
        own = [next(docs) for _ in parsed.paragraphs]
        out.append(
            [
                ParagraphAnalysis(
                    paragraph,
                    doc,
                    split_sentences(doc),
                    extract_frames(doc, own[max(0, i - PRONOUN_CONTEXT_PARAGRAPHS) : i]),
                )
                for i, (paragraph, doc) in enumerate(zip(parsed.paragraphs, own, strict=True))
            ]
        )
    return out


def prepare_many(documents: Sequence[ParsedDocument], nlp: Language) -> list[tuple[ParagraphDraft, ...]]:
    """The language stage for a batch of documents: one ``nlp.pipe`` over all their paragraphs."""
    drafts = [[_draft(a) for a in analyses] for analyses in _analyses(documents, nlp)]
    # A paragraph of punctuation alone has no sentence: nothing in it can be evidence.
    return [tuple(p for p in paragraphs if p.sentences) for paragraphs in drafts]


def _draft(analysis: ParagraphAnalysis) -> ParagraphDraft:
    paragraph, doc = analysis.paragraph, analysis.doc
    sentences = []
    for start, end in analysis.sentences:
        span = doc.char_span(start, end, alignment_mode="expand")
        orig_start, orig_end = paragraph.original_span(start, end)
        terms = span_terms(span, paragraph.offsets.__getitem__) if span is not None else ()
        sentences.append(SentenceDraft(orig_start, orig_end, paragraph.text[start:end], terms))
    return ParagraphDraft(
        paragraph.start,
        paragraph.end,
        paragraph.text,
        tuple(sentences),
        tuple(frame_record(paragraph, f) for f in analysis.frames),
    )


def embed_many(
    documents: Sequence[Sequence[ParagraphDraft]], encoder: Encoder
) -> list[tuple[ParagraphRecord, ...]]:
    """The vector stage for a batch: every sentence of every document in one encoder call."""
    texts = [s.text for paragraphs in documents for p in paragraphs for s in p.sentences]
    vectors = iter(encoder.encode(texts))
    return [
        tuple(_record(p, [next(vectors) for _ in p.sentences]) for p in paragraphs)
        for paragraphs in documents
    ]


def _record(draft: ParagraphDraft, vectors: list[Vectors]) -> ParagraphRecord:
    return ParagraphRecord(
        start=draft.start,
        end=draft.end,
        text=draft.text,
        vector=paragraph_vector(vectors),
        sentences=tuple(
            SentenceRecord(s.start, s.end, s.text, v, s.terms)
            for s, v in zip(draft.sentences, vectors, strict=True)
        ),
        frames=draft.frames,
    )


def paragraph_vector(sentence_vectors: Sequence[Vectors]) -> Vectors:
    """Normalised mean of the sentence vectors: the paragraph's direction in embedding space."""
    mean = np.mean(np.vstack(sentence_vectors), axis=0)
    norm = float(np.linalg.norm(mean))
    vector: Vectors = (mean / norm if norm > 0 else mean).astype(np.float32)
    return vector


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
