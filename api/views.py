"""Domain results -> response Structs. No logic beyond reshaping."""

from __future__ import annotations

from api.schemas import (
    AttributionBody,
    CheckResponse,
    DocumentBody,
    DocumentSummaryBody,
    EvidenceBody,
    FrameBody,
    ParagraphBody,
    SentenceBody,
    SourceBody,
    StoryBody,
    SummaryBody,
)
from claimcheck.results import Attribution, CheckResult, Evidence, Source, Story, Summary
from corpus.store import DocumentSummary, FrameRecord, StoredDocument, StoredSentence


def _attribution(a: Attribution) -> AttributionBody:
    return AttributionBody(a.speaker, a.cue, a.kind)


def _source(s: Source) -> SourceBody:
    m = s.meta
    return SourceBody(
        s.document_id,
        m.title,
        m.outlet,
        m.byline,
        m.published,
        m.url,
        s.paragraph,
        s.start,
        s.end,
        s.info.story_id,
        s.info.agency,
    )


def _story(s: Story) -> StoryBody:
    return StoryBody(s.story_id, s.agency, list(s.document_ids), _source(s.first))


def _evidence(e: Evidence) -> EvidenceBody:
    return EvidenceBody(
        sentence=e.sentence,
        score=e.score,
        allegation=e.allegation,
        attribution=_attribution(e.attribution) if e.attribution else None,
        sources=[_source(s) for s in e.sources],
        stance=e.stance,
        denied_by=[_attribution(d) for d in e.denied_by],
        stories=[_story(s) for s in e.stories],
        agencies_quoted=list(e.agencies_quoted),
    )


def _summary(s: Summary) -> SummaryBody:
    return SummaryBody(
        independent_stories=s.independent_stories,
        asserted_by=list(s.asserted_by),
        alleged_by=list(s.alleged_by),
        denied_by=list(s.denied_by),
        first_appearance=_source(s.first_appearance) if s.first_appearance else None,
    )


def check_response(result: CheckResult) -> CheckResponse:
    return CheckResponse(result.claim, [_evidence(e) for e in result.evidence], _summary(result.summary))


def _frame(f: FrameRecord) -> FrameBody:
    return FrameBody(
        f.speaker,
        f.speaker_start,
        f.speaker_end,
        f.cue,
        f.cue_start,
        f.cue_end,
        f.content_start,
        f.content_end,
        f.kind,
    )


def _touches(f: FrameRecord, s: StoredSentence) -> bool:
    """A sentence lists the frames whose content or cue lies (partly) inside it."""
    content = f.content_start < s.end and s.start < f.content_end
    cue = f.cue_start < s.end and s.start < f.cue_end
    return content or cue


def document_body(doc: StoredDocument) -> DocumentBody:
    m, info = doc.info.meta, doc.info
    return DocumentBody(
        id=doc.id,
        title=m.title,
        outlet=m.outlet,
        byline=m.byline,
        published=m.published,
        url=m.url,
        story_id=info.story_id,
        agency=info.agency,
        format=doc.format,
        ingested_at=info.ingested_at,
        paragraphs=[
            ParagraphBody(
                index=p.index,
                start=p.start,
                end=p.end,
                sentences=[
                    SentenceBody(
                        s.index, s.start, s.end, s.text, [_frame(f) for f in p.frames if _touches(f, s)]
                    )
                    for s in p.sentences
                ],
            )
            for p in doc.paragraphs
        ],
    )


def summary_body(s: DocumentSummary) -> DocumentSummaryBody:
    m = s.info.meta
    return DocumentSummaryBody(
        s.id,
        m.title,
        m.outlet,
        m.byline,
        m.published,
        m.url,
        s.info.story_id,
        s.info.agency,
        s.paragraphs,
        s.sentences,
        s.info.ingested_at,
    )
