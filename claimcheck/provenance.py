"""Provenance of an answer: which stories its sources belong to, and who asserts, alleges or denies.

A claim carried by ten outlets that reprint one AFP dispatch is one story; the summary counts
stories, not documents, and names the outlets that state the claim in their own voice apart from
the speakers it is only attributed to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from claimcheck.results import Evidence, Source, Story, Summary
from claimcheck.views import citation
from corpus.dates import stored_day
from store.records import DocumentInfo, StoredSentence

UNNAMED_SOURCE = "unnamed source"


def source_of(sentence: StoredSentence, info: DocumentInfo) -> Source:
    """The citation of one stored sentence."""
    return Source(
        document_id=sentence.document_id,
        **citation(info.meta),
        paragraph=sentence.paragraph_index,
        start=sentence.start,
        end=sentence.end,
        story_id=info.story_id,
        agency=info.agency,
    )


def _appearance_key(infos: Mapping[str, DocumentInfo]) -> Callable[[Source], tuple[int, date, str, str]]:
    """Earliest first: dated sources by date (compared as dates: a store may hold dates written
    before ingest normalised them), then undated ones by ingest time."""

    def key(source: Source) -> tuple[int, date, str, str]:
        day = stored_day(source.published)
        info = infos.get(source.document_id)
        ingested_at = info.ingested_at if info is not None else ""
        return (0 if day else 1, day or date.min, ingested_at, source.document_id)

    return key


def stories_of(sources: Sequence[Source], infos: Mapping[str, DocumentInfo]) -> tuple[Story, ...]:
    """Group an item's sources by story, each story with its earliest appearance; earliest first."""
    earliest = _appearance_key(infos)
    by_story: dict[str, list[Source]] = {}
    for source in sources:
        by_story.setdefault(source.story_id, []).append(source)
    stories = []
    for story_id, members in by_story.items():
        first = min(members, key=earliest)
        agency = next((m.agency for m in members if m.agency), None)
        document_ids = tuple(dict.fromkeys(m.document_id for m in members))
        stories.append(Story(story_id, agency, document_ids, first))
    return tuple(sorted(stories, key=lambda s: earliest(s.first_appearance)))


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def outlet_name(source: Source) -> str:
    """How a source is named when it asserts something: outlet, else agency, else document id."""
    return source.outlet or source.agency or source.document_id


def summarize(
    evidence: Sequence[Evidence], infos: Mapping[str, DocumentInfo], contradicting: Sequence[Evidence] = ()
) -> Summary:
    asserted: list[str] = []
    alleged: list[str] = []
    denied: list[str] = []
    for item in evidence:
        attribution = item.attribution
        if attribution is None:
            if item.stance == "supports":
                asserted.extend(outlet_name(s) for s in item.sources)
        elif attribution.kind == "denial":
            denied.append(attribution.speaker or UNNAMED_SOURCE)
        else:
            alleged.append(attribution.speaker or UNNAMED_SOURCE)
        denied.extend(d.speaker or UNNAMED_SOURCE for d in item.denied_by)
    contradicted = [
        item.attribution.speaker or UNNAMED_SOURCE if item.attribution else outlet_name(s)
        for item in contradicting
        for s in (item.sources if item.attribution is None else item.sources[:1])
    ]
    sources = [s for item in evidence for s in item.sources]
    return Summary(
        independent_stories=len({s.story_id for s in sources}),
        asserted_by=_unique(asserted),
        alleged_by=_unique(alleged),
        denied_by=_unique(denied),
        first_appearance=min(sources, key=_appearance_key(infos)) if sources else None,
        contradicted_by=_unique(contradicted),
    )
