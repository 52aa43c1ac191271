"""The documents collection: ingest (replace by id), read with analysis, list, delete."""

from __future__ import annotations

from typing import Annotated

from litestar import delete, get, post
from litestar.di import NamedDependency
from litestar.exceptions import (
    NotAuthorizedException,
    NotFoundException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.params import Body, FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from api import examples
from api.access import ACCESS, KEY_OPTIONAL, KEY_REQUIRED
from api.body import BODY_TYPE
from api.errors import Busy, InsufficientStorage, NothingToIndex, PayloadTooLarge, UnsupportedMediaType
from api.observe import annotate
from api.runtime import Runtime
from api.schemas import DocumentPage, DocumentRequest
from claimcheck.checker import Checker
from claimcheck.requests import DocumentTooLargeError, InvalidSubmissionError, NothingToIndexError, Submission
from claimcheck.results import DocumentView, IngestResult
from claimcheck.settings import Settings

# Far beyond any corpus, and inside SQLite's 64-bit integers (a larger offset was a 500).
MAX_OFFSET = 2**40

_READ_RAISES = [NotAuthorizedException, Busy]


@post(
    "/v1/documents",
    status_code=HTTP_201_CREATED,
    summary="Ingest a document (replaces one with the same id)",
    opt={ACCESS: "write", BODY_TYPE: DocumentRequest},
    raises=[
        ValidationException,
        NotAuthorizedException,
        PayloadTooLarge,
        UnsupportedMediaType,
        TooManyRequestsException,
        NothingToIndex,
        Busy,
        InsufficientStorage,
    ],
    security=KEY_REQUIRED,
    responses={
        HTTP_201_CREATED: examples.answer(
            IngestResult,
            "Stored and indexed: its paragraphs and sentences can be found by the next check",
            "Two paragraphs of a Moscow Times (AFP) article",
            examples.INGEST_RESULT,
        )
    },
)
async def post_document(
    data: Annotated[
        DocumentRequest,
        Body(examples=examples.example("An article's first two paragraphs", examples.DOCUMENT_REQUEST)),
    ],
    runtime: NamedDependency[Runtime],
    checker: NamedDependency[Checker],
    settings: NamedDependency[Settings],
) -> IngestResult:
    annotate(text_chars=len(data.text))
    submission = submission_of(data, settings)
    try:
        result = await runtime.write(lambda: checker.ingest(submission))
    except NothingToIndexError as error:  # 422: well-formed, but nothing in it can be searched
        raise NothingToIndex(str(error)) from None
    runtime.on_ingested(result)
    annotate(document_id=result.id, sentences=result.sentences)
    return result


def submission_of(data: DocumentRequest, settings: Settings) -> Submission:
    """What the checker ingests for a posted document (a ``POST /v1/documents`` body or one line of
    a bulk body): 413 for a text over the size limit, 400 naming a field that cannot be stored."""
    try:
        return data.submission(settings.max_document_chars)
    except DocumentTooLargeError as error:
        raise PayloadTooLarge(str(error)) from None
    except InvalidSubmissionError as error:
        raise ValidationException(
            str(error), extra=[{"message": str(error), "key": error.field, "source": "body"}]
        ) from None


@get(
    "/v1/documents/{document_id:str}",
    summary="A document's metadata and analysis",
    opt={ACCESS: "read"},
    raises=[NotFoundException, *_READ_RAISES],
    security=KEY_OPTIONAL,
    responses={
        HTTP_200_OK: examples.answer(
            DocumentView,
            "The document's metadata, paragraphs and sentences with their attributions",
            "The document of the POST /v1/documents example",
            examples.DOCUMENT_VIEW,
        )
    },
)
async def get_document(
    document_id: FromPath[str], runtime: NamedDependency[Runtime], checker: NamedDependency[Checker]
) -> DocumentView:
    document = await runtime.query(lambda: checker.document(document_id))
    if document is None:
        raise NotFoundException(f"unknown document id: {document_id!r}")
    return document


@get(
    "/v1/documents",
    summary="Documents, paged by id",
    opt={ACCESS: "read"},
    raises=[ValidationException, *_READ_RAISES],
    security=KEY_OPTIONAL,
    responses={
        HTTP_200_OK: examples.answer(
            DocumentPage,
            "A page of documents ordered by id, and how many there are in all",
            "A store holding one document",
            examples.DOCUMENT_PAGE,
        )
    },
)
async def list_documents(
    runtime: NamedDependency[Runtime],
    checker: NamedDependency[Checker],
    offset: Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
) -> DocumentPage:
    items, total = await runtime.query(lambda: checker.documents(offset, limit))
    return DocumentPage(items, total, offset, limit)


@delete(
    "/v1/documents/{document_id:str}",
    status_code=HTTP_204_NO_CONTENT,
    summary="Remove a document",
    opt={ACCESS: "write"},
    raises=[NotFoundException, NotAuthorizedException, TooManyRequestsException, Busy, InsufficientStorage],
    security=KEY_REQUIRED,
)
async def delete_document(
    document_id: FromPath[str], runtime: NamedDependency[Runtime], checker: NamedDependency[Checker]
) -> None:
    if not await runtime.write(lambda: checker.delete(document_id)):
        raise NotFoundException(f"unknown document id: {document_id!r}")
