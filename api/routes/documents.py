"""The documents collection: ingest (replace by id), read with analysis, list, delete."""

from __future__ import annotations

from typing import Annotated

from litestar import Response, delete, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException, ValidationException
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import (
    HTTP_201_CREATED,
    HTTP_204_NO_CONTENT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_422_UNPROCESSABLE_ENTITY,
)

from api.runtime import Runtime
from api.schemas import DocumentPage, DocumentRequest, strict_body
from claimcheck.checker import Checker
from claimcheck.requests import InvalidSubmissionError, NothingToIndexError, Submission
from claimcheck.results import DocumentView, IngestResult
from claimcheck.settings import Settings


@post(
    "/v1/documents",
    status_code=HTTP_201_CREATED,
    summary="Ingest a document (replaces one with the same id)",
    guards=[strict_body(DocumentRequest, '"text"')],
)
async def post_document(
    data: JSONBody[DocumentRequest],
    runtime: NamedDependency[Runtime],
    checker: NamedDependency[Checker],
    settings: NamedDependency[Settings],
) -> IngestResult:
    if not data.text.strip():
        raise ValidationException('text is empty: send the document text in "text"')
    if len(data.text) > settings.max_document_chars:
        raise ClientException(
            f"document too large: {len(data.text)} characters, at most {settings.max_document_chars}",
            status_code=HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    submission = _validated(
        Submission(
            text=data.text,
            id=data.id,
            format=data.format,
            title=data.title,
            outlet=data.outlet,
            byline=data.byline,
            published=data.published,
            url=data.url,
        )
    )
    try:
        return await runtime.write(lambda: checker.ingest(submission))
    except NothingToIndexError as error:  # 422: well-formed, but nothing in it can be searched
        raise ClientException(str(error), status_code=HTTP_422_UNPROCESSABLE_ENTITY) from None


def _validated(submission: Submission) -> Submission:
    """The submission with its date normalised, or a 400 naming the field and what it accepts."""
    try:
        return submission.validated()
    except InvalidSubmissionError as error:
        raise ValidationException(
            str(error), extra=[{"message": str(error), "key": error.field, "source": "body"}]
        ) from None


@get("/v1/documents/{document_id:str}", summary="A document's metadata and analysis")
async def get_document(
    document_id: FromPath[str], runtime: NamedDependency[Runtime], checker: NamedDependency[Checker]
) -> DocumentView:
    document = await runtime.query(lambda: checker.document(document_id))
    if document is None:
        raise NotFoundException(f"unknown document id: {document_id!r}")
    return document


@get("/v1/documents", summary="Documents, paged by id")
async def list_documents(
    runtime: NamedDependency[Runtime],
    checker: NamedDependency[Checker],
    offset: Annotated[int, QueryParameter(ge=0)] = 0,
    limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
) -> DocumentPage:
    items, total = await runtime.query(lambda: checker.documents(offset, limit))
    return DocumentPage(items, total, offset, limit)


@delete("/v1/documents/{document_id:str}", status_code=HTTP_204_NO_CONTENT, summary="Remove a document")
async def delete_document(
    document_id: FromPath[str], runtime: NamedDependency[Runtime], checker: NamedDependency[Checker]
) -> Response[None]:
    if not await runtime.write(lambda: checker.delete(document_id)):
        raise NotFoundException(f"unknown document id: {document_id!r}")
    return Response(None, status_code=HTTP_204_NO_CONTENT)
