"""What callers hand the two flows: a document to ingest, and which sources a check may cite.

``DocumentRequest`` is the body of ``POST /v1/documents`` as the v1 contract bounds it (DESIGN.md):
it is here, not in ``api``, because the CLI decodes each line of a JSON Lines file with it too, so a
line is refused for exactly what the API would refuse the same document for, in either CLI mode.

Also what the ingest flow refuses, as exceptions a caller maps to its own errors (the API to
4xx answers): :class:`InvalidSubmissionError` (a field the client sent is not what it must be) and
:class:`NothingToIndexError` (the document holds no sentence to search; nothing is written).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Literal

import msgspec

from corpus.dates import ACCEPTED_FORMATS, DateError, parse_date, stored_day
from corpus.document import DocumentMeta
from corpus.formats.sniff import Format
from corpus.metadata import http_url
from store.records import DocumentInfo

MAX_CLAIM_CHARS = 2000
MAX_LIMIT = 50
DocumentId = Annotated[
    str, msgspec.Meta(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
]
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
PublishedDate = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=2000,
        description=(
            "Publication date, stored as YYYY-MM-DD: ISO 8601 dates and date-times, 'Oct 1, 2020', "
            "'1 October 2020', 'October 1, 2020 10:32 AM', RFC 2822 ('Thu, 01 Oct 2020 10:32:00 GMT'), "
            "2020/10/01. Numeric dates whose day and month could be swapped (01/02/2020), relative "
            "words ('yesterday') and years outside 1800..next year are refused."
        ),
    ),
]
HttpUrl = Annotated[
    str, msgspec.Meta(min_length=1, max_length=2000, description="An absolute http:// or https:// URL")
]


class DocumentRequest(msgspec.Struct, forbid_unknown_fields=True):
    text: Annotated[str, msgspec.Meta(min_length=1, pattern=r"\S")]
    id: DocumentId | None = None
    format: Literal["text", "markdown", "html"] | None = None
    title: ShortText | None = None
    url: HttpUrl | None = None
    outlet: ShortText | None = None
    byline: ShortText | None = None
    published: PublishedDate | None = None

    def submission(self, max_chars: int) -> Submission:
        """The document as the ingest flow takes it, validated (:meth:`Submission.validated`): the
        one rule for a posted document, a bulk line and a CLI input. Raises
        :class:`DocumentTooLargeError` past ``max_chars`` characters of text and
        :class:`InvalidSubmissionError` for a field that cannot be stored."""
        if len(self.text) > max_chars:
            raise DocumentTooLargeError(
                f"document too large: {len(self.text)} characters, at most {max_chars}"
            )
        return Submission(
            text=self.text,
            id=self.id,
            format=self.format,
            title=self.title,
            outlet=self.outlet,
            byline=self.byline,
            published=self.published,
            url=self.url,
        ).validated()


class DocumentTooLargeError(ValueError):
    """A document's text is longer than the service takes (``max_document_chars``)."""


class InvalidSubmissionError(ValueError):
    """A submitted field that cannot be stored as given; ``field`` names it, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NothingToIndexError(ValueError):
    """A document in which the parser finds no sentence to search: refused, nothing written.

    Why refuse rather than store it: a 201 for a document that no claim can ever find tells the
    client it is indexed when it is not (and a provenance tool would silently lack that source).
    """

    def __init__(self, reason: str, document_id: str | None = None) -> None:
        super().__init__(f"no searchable sentence: {reason}")
        self.reason = reason
        self.document_id = document_id


@dataclass(frozen=True, slots=True)
class Submission:
    """A document to ingest. Metadata given here overrides what the parser finds in the text; no
    ``format`` means sniff it from the text; no ``id`` means derive one from the text and the
    metadata that tells sources apart (``claimcheck.ingest.content_id``).

    ``published`` may be any spelling :mod:`corpus.dates` reads and is stored as ``YYYY-MM-DD``;
    ``url`` must be an absolute http(s) URL. :meth:`validated` says what is wrong with a field;
    ingest itself quietly ignores a given date or URL it cannot use (and keeps what the parser
    found), so callers that want the client told call :meth:`validated` first (the API does).
    """

    text: str
    id: str | None = None
    format: Format | None = None
    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    published: str | None = None
    url: str | None = None

    @property
    def meta(self) -> DocumentMeta:
        """The given metadata, normalised: a date as ISO, a URL only if http(s), blanks as None."""
        published = _iso_or_none(self.published)
        return DocumentMeta(
            _text_or_none(self.title),
            _text_or_none(self.outlet),
            _text_or_none(self.byline),
            published,
            http_url(self.url),
        )

    def validated(self) -> Submission:
        """This submission with ``published`` as ``YYYY-MM-DD`` and the text fields trimmed, or
        :class:`InvalidSubmissionError` for the first field that cannot be stored as given."""
        for name in ("title", "outlet", "byline", "published", "url"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                raise InvalidSubmissionError(
                    name, f"{name} is blank: leave it out (or send null) when unknown"
                )
        published = None
        if self.published is not None:
            try:
                published = parse_date(self.published).isoformat()
            except DateError as error:
                message = f"published {self.published!r} is not a date I can read: {error}"
                raise InvalidSubmissionError(
                    "published", f"{message}. Accepted: {ACCEPTED_FORMATS}"
                ) from None
        if self.url is not None and http_url(self.url) is None:
            raise InvalidSubmissionError(
                "url",
                f"url {self.url!r} is not an absolute http(s) URL (like https://example.com/news/story)",
            )
        return replace(
            self,
            title=_text_or_none(self.title),
            outlet=_text_or_none(self.outlet),
            byline=_text_or_none(self.byline),
            published=published,
            url=None if self.url is None else self.url.strip(),
        )


def _text_or_none(value: str | None) -> str | None:
    stripped = value.strip() if value is not None else None
    return stripped or None


def _iso_or_none(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_date(value).isoformat()
    except DateError:
        return None


@dataclass(frozen=True, slots=True)
class CheckFilters:
    """Which sources may count as evidence. Dates are inclusive ISO dates ("2020-10-01").

    A source without a publication date cannot be shown to fall inside a date range, so any
    date bound excludes it; so does a stored date that cannot be read (one written before dates
    were checked at ingest: "9999", "yesterday"). Dates compare as dates, never as strings.
    Outlet names compare case-insensitively.
    """

    published_after: str | None = None
    published_before: str | None = None
    outlets: tuple[str, ...] = ()
    exclude_outlets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("published_after", "published_before"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise ValueError(f"{name} {value!r} is not a calendar date (YYYY-MM-DD)") from None

    def admits(self, info: DocumentInfo) -> bool:
        outlet = (info.meta.outlet or "").casefold()
        if self.published_after or self.published_before:
            day = stored_day(info.meta.published)
            if day is None:
                return False
            if self.published_after and day < date.fromisoformat(self.published_after):
                return False
            if self.published_before and day > date.fromisoformat(self.published_before):
                return False
        if self.outlets and outlet not in {o.casefold() for o in self.outlets}:
            return False
        return not (self.exclude_outlets and outlet in {o.casefold() for o in self.exclude_outlets})
