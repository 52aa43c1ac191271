"""Provenance of an answer: which stories its sources belong to, and who asserts, alleges or denies.

A claim carried by ten outlets that reprint one AFP dispatch is one story; the summary counts
stories, not documents, and names the outlets that state the claim in their own voice apart from
the speakers it is only attributed to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from claimcheck.results import Evidence, Source, Story, Summary

UNNAMED_SOURCE = "unnamed source"


def appearance_key(source: Source) -> tuple[int, str, str, str]:
    """Earliest first: dated sources by date, then undated ones by ingest time."""
    published = source.meta.published
    return (0 if published else 1, published or "", source.info.ingested_at, source.document_id)


def stories_of(sources: Sequence[Source]) -> tuple[Story, ...]:
    """Group an item's sources by story, each story with its earliest appearance; earliest first."""
    by_story: dict[str, list[Source]] = {}
    for source in sources:
        by_story.setdefault(source.info.story_id, []).append(source)
    stories = []
    for story_id, members in by_story.items():
        first = min(members, key=appearance_key)
        agency = next((m.info.agency for m in members if m.info.agency), None)
        document_ids = tuple(dict.fromkeys(m.document_id for m in members))
        stories.append(Story(story_id, agency, document_ids, first))
    return tuple(sorted(stories, key=lambda s: appearance_key(s.first)))


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def outlet_name(source: Source) -> str:
    """How a source is named when it asserts something: outlet, else agency, else document id."""
    return source.meta.outlet or source.info.agency or source.document_id


def summarize(evidence: Sequence[Evidence]) -> Summary:
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
    sources = [s for item in evidence for s in item.sources]
    return Summary(
        independent_stories=len({s.info.story_id for s in sources}),
        asserted_by=_unique(asserted),
        alleged_by=_unique(alleged),
        denied_by=_unique(denied),
        first_appearance=min(sources, key=appearance_key) if sources else None,
    )
