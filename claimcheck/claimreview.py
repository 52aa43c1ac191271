"""A check's answer as schema.org JSON-LD for a fact-checker: a ``ClaimReview`` draft, or a ``Claim``.

The service rates nothing. It gathers what a reviewer needs to publish a review: where the claim
appeared (each source document as a ``CreativeWork``: link, headline, outlet, date), which
appearance is the earliest, and who made the claim when the evidence says so. A reviewer who
supplies a rating gets a complete ``ClaimReview`` (the fields Google's Fact Check Tools read:
``claimReviewed``, ``reviewRating.alternateName``, ``url``, ``author``); without a rating the
answer is the ``Claim`` alone, ready to be completed in the reviewer's own tools.

Rules, and why:

- **Appearances** come from ``evidence`` only (sentences that carry the claim, asserted or
  attributed), never from ``contradicting``: a source that states the opposite is not a place the
  claim appeared. Each source document is one ``CreativeWork``, however many of its sentences
  matched. Sources without a URL are listed too, as inline descriptions (schema.org and Google's
  documentation allow "a link to, or inline description of" a CreativeWork): dropping them would
  hide from the reviewer that the claim appeared there. Every one carries the service's document
  id as ``identifier``, so the reviewer can open it (``GET /v1/documents/{id}``).
  Appearances are listed earliest first (dated by date, then undated by id).
- **firstAppearance** is the earliest *dated* appearance; with no dated source it is left out
  (which undated copy came first is unknown). The ``Claim``'s ``datePublished`` is its date.
- **author of the Claim** (who made it) is named only when every evidence item reports the claim
  as a statement or accusation by one and the same speaker (names compared after normalisation:
  "the Armenian defense ministry" = "Armenian Defense Ministry"). Asserted by an outlet, hedged,
  denied, or said by several parties: no author, since no single party made the claim. The
  speaker's node has no ``@type``: the stored analysis does not tell a person from an
  organisation, and guessing would publish a wrong type; the reviewer completes it.
- **Reviewer fields**: ``rating`` makes it a ``ClaimReview``, and then ``url`` (the fact-check's
  page) and ``author`` (the reviewing organisation) are required too. ``url``/``author`` without a
  rating are refused rather than dropped (a draft ``Claim`` has no place for them), as is
  ``author_url`` without ``author``.

``@context`` is ``https://schema.org``; schema.org's context maps terms into ``http://schema.org/``.
Pure: nothing here touches HTTP, the store or a model, so the API and the CLI can both use it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

import msgspec

from claimcheck.results import CheckResult, Evidence, Source
from corpus.dates import stored_day
from corpus.metadata import http_url
from retrieval.aliases import name_key

SCHEMA_ORG = "https://schema.org"
MEDIA_TYPE = "application/ld+json"
_SPEAKER_KINDS = frozenset({"statement", "accusation"})


class InvalidReviewError(ValueError):
    """A reviewer field that cannot go into a review as given; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Reviewer:
    """What the fact-checker adds: their organisation, the fact-check's URL, their rating."""

    author: str | None = None
    author_url: str | None = None
    url: str | None = None
    rating: str | None = None

    def validated(self) -> Reviewer:
        """This reviewer with text trimmed, or :class:`InvalidReviewError` for the first field
        that is blank, not an absolute http(s) URL, or given without what it belongs with."""
        for name in ("author", "author_url", "url", "rating"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                raise InvalidReviewError(name, f"{name} is blank: leave it out (or send null)")
        for name in ("url", "author_url"):
            value = getattr(self, name)
            if value is not None and http_url(value) is None:
                raise InvalidReviewError(
                    name, f"{name} {value!r} is not an absolute http(s) URL (like https://example.org/check)"
                )
        if self.author_url is not None and self.author is None:
            raise InvalidReviewError("author_url", "author_url needs author: the organisation it belongs to")
        if self.rating is not None:
            missing = [name for name in ("url", "author") if getattr(self, name) is None]
            if missing:
                raise InvalidReviewError(
                    missing[0],
                    f"a ClaimReview with a rating needs {' and '.join(missing)} too: the fact-check's url "
                    "and the reviewing organisation (author)",
                )
        elif self.url is not None or self.author is not None:
            field = "url" if self.url is not None else "author"
            raise InvalidReviewError(
                field,
                f"{field} belongs to a review: send rating with it, or leave the reviewer fields out "
                "for a Claim draft",
            )
        return replace(
            self,
            author=_trimmed(self.author),
            author_url=_trimmed(self.author_url),
            url=_trimmed(self.url),
            rating=_trimmed(self.rating),
        )


def _trimmed(value: str | None) -> str | None:
    return value.strip() if value is not None else None


# The JSON-LD nodes. Field names are schema.org's (camelCase); ``@type`` is a one-value Literal, so
# the OpenAPI document states it (a msgspec tag would do the same but is always encoded first,
# before ``@context``); absent facts are left out rather than sent as null.


class Agent(msgspec.Struct, kw_only=True, omit_defaults=True, rename="camel", frozen=True):
    """A person or organisation by name; ``@type`` only when it is known."""

    type: Literal["Organization", "Person"] | None = msgspec.field(default=None, name="@type")
    name: str
    url: str | None = None


class CreativeWork(msgspec.Struct, kw_only=True, omit_defaults=True, rename="camel", frozen=True):
    """One source document in which the claim appears."""

    type: Literal["CreativeWork"] = msgspec.field(name="@type")
    identifier: str
    url: str | None = None
    headline: str | None = None
    date_published: str | None = None
    publisher: Agent | None = None
    author: Agent | None = None


class Claim(msgspec.Struct, kw_only=True, omit_defaults=True, rename="camel", frozen=True):
    """The claim, where it appeared and who made it; ``@context`` only at the top of a document."""

    context: str | None = msgspec.field(default=None, name="@context")
    type: Literal["Claim"] = msgspec.field(name="@type")
    text: str
    author: Agent | None = None
    date_published: str | None = None
    first_appearance: CreativeWork | None = None
    appearance: tuple[CreativeWork, ...] = ()


class Rating(msgspec.Struct, kw_only=True, rename="camel", frozen=True):
    """The reviewer's verdict in their own words ("False", "Misleading")."""

    type: Literal["Rating"] = msgspec.field(name="@type")
    alternate_name: str


class ClaimReview(msgspec.Struct, kw_only=True, omit_defaults=True, rename="camel", frozen=True):
    """A fact-check of one claim, as Google's Fact Check Tools read it."""

    context: str = msgspec.field(name="@context")
    type: Literal["ClaimReview"] = msgspec.field(name="@type")
    claim_reviewed: str
    url: str
    author: Agent
    review_rating: Rating
    item_reviewed: Claim


def _published(source: Source) -> date | None:
    return stored_day(source.published)


def _creative_work(source: Source) -> CreativeWork:
    day = _published(source)
    if source.agency:
        author: Agent | None = Agent(type="Organization", name=source.agency)
    else:
        author = Agent(name=source.byline) if source.byline else None
    return CreativeWork(
        type="CreativeWork",
        identifier=source.document_id,
        url=http_url(source.url),
        headline=source.title,
        date_published=day.isoformat() if day else None,
        publisher=Agent(type="Organization", name=source.outlet) if source.outlet else None,
        author=author,
    )


def _appearances(evidence: tuple[Evidence, ...]) -> list[tuple[date | None, CreativeWork]]:
    """Each source document once, earliest dated first, then the undated by document id."""
    by_document: dict[str, Source] = {}
    for item in evidence:
        for source in item.sources:
            by_document.setdefault(source.document_id, source)
    ordered = sorted(
        by_document.values(),
        key=lambda s: (_published(s) is None, _published(s) or date.min, s.document_id),
    )
    return [(_published(s), _creative_work(s)) for s in ordered]


def _speaker(evidence: tuple[Evidence, ...]) -> Agent | None:
    """The one party every item attributes the claim to, or None (see the module's rules)."""
    names: list[str] = []
    for item in evidence:
        attribution = item.attribution
        if attribution is None or attribution.speaker is None or attribution.kind not in _SPEAKER_KINDS:
            return None
        names.append(attribution.speaker.strip())
    if not names or len({name_key(n) for n in names}) != 1 or not name_key(names[0]):
        return None
    name = names[0]
    if name[:4].lower() == "the " and len(name) > 4:  # "the Armenian defense ministry" as a name
        name = name[4:]
    return Agent(name=name)


def claim_of(result: CheckResult, top_level: bool = True) -> Claim:
    """The ``Claim`` for a check's answer: its text, appearances, first appearance and speaker."""
    appearances = _appearances(result.evidence)
    dated = [(day, work) for day, work in appearances if day is not None]
    first = dated[0] if dated else None
    return Claim(
        context=SCHEMA_ORG if top_level else None,
        type="Claim",
        text=result.claim,
        author=_speaker(result.evidence),
        date_published=first[0].isoformat() if first else None,
        first_appearance=first[1] if first else None,
        appearance=tuple(work for _, work in appearances),
    )


def claim_review(result: CheckResult, reviewer: Reviewer | None = None) -> ClaimReview | Claim:
    """A ``ClaimReview`` when the reviewer rated the claim, else the ``Claim`` draft alone.

    ``reviewer`` must have passed :meth:`Reviewer.validated` (the rating, url and author rule).
    """
    if reviewer is None or reviewer.rating is None:
        return claim_of(result)
    if reviewer.url is None or reviewer.author is None:
        raise InvalidReviewError("rating", "a rated review needs url and author: validate the reviewer first")
    return ClaimReview(
        context=SCHEMA_ORG,
        type="ClaimReview",
        claim_reviewed=result.claim,
        url=reviewer.url,
        author=Agent(type="Organization", name=reviewer.author, url=reviewer.author_url),
        review_rating=Rating(type="Rating", alternate_name=reviewer.rating),
        item_reviewed=claim_of(result, top_level=False),
    )


def to_jsonld(document: ClaimReview | Claim) -> bytes:
    """The document as JSON-LD bytes (UTF-8), as the API sends it."""
    return msgspec.json.encode(document)
