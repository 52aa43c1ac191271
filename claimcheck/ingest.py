"""Ingest-time analysis in two stages: language (parser + spaCy) then vectors (the encoder).

Everything that depends only on the document is computed here once, so a query is one encoder
call, one FAISS search and look-ups. The stages are separate so bulk ingest can run them on both
cores at once: spaCy parses the next batch of documents while the encoder embeds this one.

- :func:`analyse`: parse each submission (format, metadata, origin, story fingerprint), then spaCy
  over every paragraph of the batch in one ``nlp.pipe``: sentence spans, attribution frames,
  content terms and quoted agencies, all mapped to offsets in the posted text (the Docs are
  dropped: they are large). ``bench/attribution.py`` measures this stage through
  :func:`analyse_paragraphs`. A document left without a sentence says why
  (``AnalysedDocument.nothing_to_index``); the checker refuses it instead of writing it.
- :func:`embed`: one encoder call for every sentence of the batch; a paragraph's vector is the
  normalised mean of its sentences' vectors: half the encoder work of embedding paragraphs too. The
  paragraph vector only picks FAISS candidates (sentences are scored by their own vectors); the dev
  claims pass with it and Reuters ingest rose to 189 sentences/s (README, Performance).
"""

from __future__ import annotations

import calendar
import hashlib
from collections import deque
from collections.abc import Sequence, Set
from concurrent.futures import Executor
from dataclasses import dataclass, replace

import numpy as np
from datasketch import MinHash
from spacy.language import Language
from spacy.tokens import Doc

from attribution.frames import extract_frames
from attribution.speakers import surnames
from claimcheck.requests import NothingToIndexError, Submission
from corpus.document import DocumentMeta, Paragraph, ParsedDocument
from corpus.nlp import parse_as_written
from corpus.origin import agencies_in, masthead_outlet, originating_agency
from corpus.parse import parse_document
from corpus.segment import is_sentence, split_sentences
from corpus.stories import fingerprint
from embeddings.encoder import Encoder, Vectors
from embeddings.shared import encode_shared
from retrieval.aliases import AliasTable, document_aliases
from retrieval.descriptions import NameMemory, description_terms, remember_names
from retrieval.structure import EventMemory, remember_events
from retrieval.structure import analyse as analyse_structure
from retrieval.terms import NEGATED, relative_year_terms, span_terms, word_key
from store.records import ParagraphRecord, SentenceRecord

# Preceding paragraphs searched for the name a pronoun speaker ("he", "it") stands for.
PRONOUN_CONTEXT_PARAGRAPHS = 2

# Paragraphs per spaCy batch. Measured on PolNeAR (bench/attribution.py): throughput is flat from
# 32 to 256 paragraphs per batch with en_core_web_sm, and every component of the pipeline is used
# (tok2vec/tagger/parser: sentences and frames; attribute_ruler/lemmatizer: cue lemmas and content
# terms; ner: speakers and retrieval entities), so none is disabled.
SPACY_BATCH_SIZE = 64
SPACY_BATCH_CHARS = 100_000


@dataclass(frozen=True, slots=True)
class AnalysedDocument:
    """A submission after the language stage, waiting for its vectors and its write."""

    submission: Submission
    id: str
    meta: DocumentMeta
    agency: str | None
    minhash: MinHash
    paragraphs: tuple[ParagraphRecord, ...]
    context: tuple[str, ...] = ()  # term keys of the title, lead and year (``retrieval.candidates``)
    nothing_to_index: str | None = None  # why no paragraph is left, when none is

    @property
    def sentence_count(self) -> int:
        return sum(len(p.sentences) for p in self.paragraphs)

    def refusal(self) -> NothingToIndexError | None:
        """Why this document is not written (nothing left to index), or None when it can be."""
        if self.paragraphs:
            return None
        return NothingToIndexError(self.nothing_to_index or "nothing left to index", self.id)


@dataclass(frozen=True, slots=True)
class Embedded:
    """The vector stage's output for one document: a row per paragraph and a row per sentence."""

    paragraphs: Vectors
    sentences: Vectors


def analyse(batch: Sequence[Submission], nlp: Language) -> list[AnalysedDocument]:
    """The language stage for a batch: parse, metadata, origin, story fingerprint, spaCy analysis."""
    parsed_docs = [parse_document(s.text, s.format) for s in batch]
    metas = [_override(p.meta, s.meta) for p, s in zip(parsed_docs, batch, strict=True)]
    aliases = [document_aliases(p.text) for p in parsed_docs]
    analysed = analyse_paragraphs(parsed_docs, nlp, aliases, [publication_year(m.published) for m in metas])
    titles = list(parse_as_written(nlp, [m.title or "" for m in metas], SPACY_BATCH_SIZE))
    out = []
    for submission, parsed, meta, paragraphs, title, table in zip(
        batch, parsed_docs, metas, analysed, titles, aliases, strict=True
    ):
        if meta.outlet is None:
            meta = replace(meta, outlet=masthead_outlet(parsed.paragraphs, parsed.text))
        out.append(
            AnalysedDocument(
                submission,
                submission.id or content_id(submission.text, meta),
                meta,
                originating_agency(meta, parsed.paragraphs, parsed.text),
                fingerprint([meta.title or "", *(p.text for p in parsed.paragraphs)]),
                paragraphs,
                _context(title, paragraphs, meta, table),
                None if paragraphs else _nothing_to_index(parsed),
            )
        )
    return out


def _nothing_to_index(parsed: ParsedDocument) -> str:
    """Why a document yields no sentence, in words for the client who posted it."""
    if not any(char.isalnum() for char in parsed.text):
        return "the text has no words (only punctuation, symbols, control characters or spaces)"
    if not parsed.paragraphs and not parsed.short_lines:
        return (
            "every line was read as metadata (title, byline, date, URL) or page furniture "
            "(links, buttons, appeals, captions, sign-offs)"
        )
    short_lines = (
        "its short lines without final punctuation are not sentences (none has a verb with its "
        "subject): menu items, labels or table rows"
    )
    if not parsed.paragraphs:
        return f"no line of it is a sentence: {short_lines}"
    if not parsed.short_lines:
        return "no line of it is a sentence: its paragraphs hold only punctuation or symbols"
    return f"no line of it is a sentence: its paragraphs hold only punctuation or symbols, and {short_lines}"


def _context(
    title: Doc, paragraphs: Sequence[ParagraphRecord], meta: DocumentMeta, aliases: AliasTable
) -> tuple[str, ...]:
    """Term keys every sentence of the document may lean on: the title's, the lead sentence's, and
    the publication year and month ("the strike" in a story titled "GM workers strike Pontiac
    plants"; "froze silver sales on Tuesday" in a story of April 1987 is a freeze of April 1987)."""
    keys = {key for key, _, _ in span_terms(title[:], lambda i: i, aliases) if key != NEGATED}
    if paragraphs and paragraphs[0].sentences:
        keys |= {key for key, _, _ in paragraphs[0].sentences[0].terms if key != NEGATED}
    keys |= publication_keys(meta.published)
    return tuple(sorted(keys))


def publication_year(published: str | None) -> int | None:
    """The year of an ISO publication date, if it has one."""
    return int(published[:4]) if published and published[:4].isdigit() else None


def publication_keys(published: str | None) -> set[str]:
    """The year and the month's name of an ISO publication date, as term keys ("1987", "april")."""
    keys: set[str] = set()
    if published and published[:4].isdigit():
        keys.add(published[:4])
        month = published[5:7]
        if month.isdigit() and 1 <= int(month) <= 12:
            keys.add(word_key(calendar.month_name[int(month)]))
    return keys


def analyse_paragraphs(
    documents: Sequence[ParsedDocument],
    nlp: Language,
    aliases: Sequence[AliasTable] | None = None,
    years: Sequence[int | None] | None = None,
) -> list[tuple[ParagraphRecord, ...]]:
    """spaCy over every content paragraph of a batch of documents in one ``nlp.pipe``: sentences,
    their terms (names read with the aliases each document defines, ``retrieval.aliases``) and
    structure (``retrieval.structure``), and the paragraphs' attribution frames. ``years`` are the
    documents' publication years: "last year" in a story of 1987 also answers to "1986".

    A paragraph of punctuation alone has no sentence: nothing in it can be evidence, so it is left out.
    A short line without final punctuation (``ParsedDocument.short_lines``) is kept only when it
    parses as a sentence (:func:`corpus.segment.is_sentence`): a headline-like line, not a button.
    """
    tables = aliases if aliases is not None else [document_aliases(d.text) for d in documents]
    candidates = [_candidates(parsed) for parsed in documents]
    texts = [p.text for pieces in candidates for p, _ in pieces]
    docs = parse_as_written(nlp, texts, _batch_size(texts))
    out = []
    published = years if years is not None else [None] * len(documents)
    for pieces, table, year in zip(candidates, tables, published, strict=True):
        records = []
        antecedent: tuple[str, ...] = ()  # the previous sentence's subject, across paragraphs
        events: EventMemory = {}  # acts named with their doer so far, for "the offer" later on
        names: NameMemory = {}  # names spelled out so far, for "the strait" later on
        # Only the Docs a pronoun may look back into are kept: a Doc is large, and a document cut
        # into a hundred pieces must not hold a hundred of them at once.
        earlier: deque[Doc] = deque(maxlen=PRONOUN_CONTEXT_PARAGRAPHS)
        people: set[str] = set()  # surnames of the people named so far, for "Lyng said" later on
        for paragraph, short in pieces:
            doc = next(docs)
            if short and not is_sentence(doc):
                continue
            people.update(surnames(doc))
            record = _record(paragraph, doc, list(earlier), table, antecedent, events, names, people, year)
            earlier.append(doc)
            if record.sentences:
                records.append(record)
                antecedent = record.sentences[-1].structure.subject
        out.append(tuple(records))
    return out


def _batch_size(texts: Sequence[str]) -> int:
    """Paragraphs per spaCy batch: SPACY_BATCH_SIZE, fewer when paragraphs are long, so that one
    batch never holds much more than SPACY_BATCH_CHARS of text (a document cut into 10,000-character
    pieces would otherwise be parsed 64 pieces at a time: 2.5 GB RSS for 900,000 characters)."""
    longest = max((len(t) for t in texts), default=1)
    return max(1, min(SPACY_BATCH_SIZE, SPACY_BATCH_CHARS // max(longest, 1)))


def _candidates(parsed: ParsedDocument) -> list[tuple[Paragraph, bool]]:
    """The document's paragraphs and its short lines (flagged True), in document order."""
    pieces = [(p, False) for p in parsed.paragraphs] + [(p, True) for p in parsed.short_lines]
    return sorted(pieces, key=lambda piece: piece[0].start)


def _record(
    paragraph: Paragraph,
    doc: Doc,
    context: Sequence[Doc],
    aliases: AliasTable,
    antecedent: tuple[str, ...],
    events: EventMemory,
    names: NameMemory,
    people: Set[str] = frozenset(),
    year: int | None = None,
) -> ParagraphRecord:
    """One paragraph's sentences, terms, structure and frames, in offsets of the posted text.
    ``events`` and ``names`` are the document's memories of named acts and spelled-out names: read
    and extended, sentence by sentence; ``people`` the surnames of the people it has named."""
    to_original = paragraph.offsets.__getitem__
    sentences = []
    for start, end in split_sentences(doc):
        text = paragraph.text[start:end]
        if not any(char.isalnum() for char in text):
            continue  # "!!!", "* * *": a paragraph of punctuation alone is nothing to search
        span = doc.char_span(start, end, alignment_mode="expand")
        orig_start, orig_end = paragraph.original_span(start, end)
        agencies = tuple(agencies_in(text))
        if span is None:
            sentences.append(SentenceRecord(orig_start, orig_end, text, (), agencies))
            continue
        terms = (*span_terms(span, to_original, aliases), *description_terms(span, names, to_original))
        if year is not None:
            terms = (*terms, *relative_year_terms(span, to_original, year))
        remember_names(names, span)
        facts = analyse_structure(span, to_original, antecedent, events)
        remember_events(events, facts)
        # Only the sentence just before: past one whose subject names nobody ("The company
        # reported a loss"), an older subject is a guess a pronoun must not be credited with.
        antecedent = facts.subject
        sentences.append(SentenceRecord(orig_start, orig_end, text, terms, agencies, facts))
    frames = extract_frames(doc, context, people)
    return ParagraphRecord(
        paragraph.start,
        paragraph.end,
        paragraph.text,
        tuple(sentences),
        tuple(f.mapped(paragraph.original_span) for f in frames),
    )


def embed(
    batch: Sequence[AnalysedDocument], encoder: Encoder, helper: Executor | None = None
) -> list[Embedded]:
    """The vector stage for a batch: every sentence of every document in one encoder call, shared
    with ``helper``'s thread while it is idle (``embeddings.shared``)."""
    texts = [s.text for document in batch for p in document.paragraphs for s in p.sentences]
    vectors = encode_shared(encoder, texts, helper)
    out = []
    first = 0
    for document in batch:
        count = document.sentence_count
        sentences = vectors[first : first + count]
        first += count
        rows, at = [], 0
        for p in document.paragraphs:
            rows.append(paragraph_vector(sentences[at : at + len(p.sentences)]))
            at += len(p.sentences)
        paragraphs = np.vstack(rows) if rows else np.zeros((0, vectors.shape[1]), dtype=np.float32)
        out.append(Embedded(paragraphs, sentences))
    return out


def paragraph_vector(sentence_vectors: Vectors) -> Vectors:
    """Normalised mean of the sentence vectors: the paragraph's direction in embedding space."""
    mean = np.mean(sentence_vectors, axis=0)
    norm = float(np.linalg.norm(mean))
    vector: Vectors = (mean / norm if norm > 0 else mean).astype(np.float32)
    return vector


def _override(found: DocumentMeta, given: DocumentMeta) -> DocumentMeta:
    """Metadata the client sent wins over what the parser found, field by field."""
    changes = {name: getattr(given, name) for name in given.__slots__ if getattr(given, name) is not None}
    return replace(found, **changes)


def content_id(text: str, meta: DocumentMeta | None = None) -> str:
    """Id for a document posted without one: from its text and the metadata that tells sources
    apart (outlet, URL, byline, publication date, given or found by the parser).

    Why the metadata: the same wire text carried by two outlets is two sources of one story, and
    an id from the text alone made the second post silently replace the first. The same post
    repeated (same text, same metadata) gets the same id, so re-posting still replaces it. With no
    such metadata the id is the text's alone, as it always was. The title is left out: copies of
    a dispatch often share it, and it does not say who published the copy.
    """
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    marks = _source_marks(meta) if meta is not None else ""
    if marks:
        digest.update(b"\x00" + marks.encode("utf-8", "surrogatepass"))
    return "doc_" + digest.hexdigest()[:16]


def _source_marks(meta: DocumentMeta) -> str:
    """The source-telling fields as one string; names compare without case or spacing changes."""
    fields = {
        "outlet": meta.outlet and " ".join(meta.outlet.split()).casefold(),
        "url": meta.url and meta.url.strip(),
        "byline": meta.byline and " ".join(meta.byline.split()).casefold(),
        "published": meta.published,
    }
    return "\x1f".join(f"{name}={value}" for name, value in fields.items() if value)
