"""POST /v1/claims/check and POST /v1/claims/check-batch."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated

from litestar import post
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException, ValidationException
from litestar.params import Body
from litestar.status_codes import HTTP_200_OK

from api import examples
from api.access import ACCESS, KEY_OPTIONAL
from api.body import BODY_TYPE
from api.errors import Busy, PayloadTooLarge, UnsupportedMediaType
from api.metrics import outcome
from api.observe import annotate
from api.runtime import Runtime
from api.schemas import CheckBatchRequest, CheckBatchResponse, CheckRequest
from claimcheck.checker import Checker
from claimcheck.requests import CheckFilters
from claimcheck.results import CheckResult


def check_filters(data: CheckRequest | CheckBatchRequest) -> CheckFilters:
    """The sources a check may cite, or a 400 that says which bound is wrong (shared by every check
    route and the desk page)."""
    for name, value in (
        ("published_after", data.published_after),
        ("published_before", data.published_before),
    ):
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValidationException(f"{name} {value!r} is not a calendar date (YYYY-MM-DD)") from None
    if (
        data.published_after
        and data.published_before
        and date.fromisoformat(data.published_after) > date.fromisoformat(data.published_before)
    ):
        raise ValidationException("published_after is later than published_before: no source could match")
    return CheckFilters(
        published_after=data.published_after,
        published_before=data.published_before,
        outlets=tuple(data.outlets or ()),
        exclude_outlets=tuple(data.exclude_outlets or ()),
    )


# Claims of a batch go to the query thread this many at a time, each slice after any single check
# already waiting: a 100-claim batch delays a single check by one slice, not by the whole batch.
BATCH_SLICE = 4

CHECK_RAISES = [
    ValidationException,
    NotAuthorizedException,
    PayloadTooLarge,
    UnsupportedMediaType,
    TooManyRequestsException,
    Busy,
]


@post(
    "/v1/claims/check",
    status_code=HTTP_200_OK,
    summary="Supporting sentences for a claim",
    opt={ACCESS: "check", BODY_TYPE: CheckRequest},
    raises=CHECK_RAISES,
    security=KEY_OPTIONAL,
    responses={
        HTTP_200_OK: examples.answer(
            CheckResult,
            "Supporting and contradicting sentences, best first, each with its sources",
            "A claim the seed articles report as an allegation",
            examples.CHECK_RESULT,
        )
    },
)
async def check_claim(
    data: Annotated[
        CheckRequest, Body(examples=examples.example("One claim, the best sentence", examples.CHECK_REQUEST))
    ],
    runtime: NamedDependency[Runtime],
    checker: NamedDependency[Checker],
) -> CheckResult:
    claim, filters = data.claim.strip(), check_filters(data)  # empty and too long: the schema
    annotate(claim_chars=len(claim))
    result = await runtime.batcher.check(checker, claim, data.limit, filters)
    annotate(outcome=outcome(result))
    return result


@post(
    "/v1/claims/check-batch",
    status_code=HTTP_200_OK,
    summary="Up to 100 claims, answered in order",
    opt={ACCESS: "check", BODY_TYPE: CheckBatchRequest},
    raises=CHECK_RAISES,
    security=KEY_OPTIONAL,
    responses={
        HTTP_200_OK: examples.answer(
            CheckBatchResponse,
            "One answer per claim, in the order sent",
            "A supported claim and an unsupported one",
            examples.CHECK_BATCH_RESPONSE,
        )
    },
)
async def check_claims(
    data: Annotated[
        CheckBatchRequest,
        Body(examples=examples.example("Two claims, one sentence each", examples.CHECK_BATCH_REQUEST)),
    ],
    runtime: NamedDependency[Runtime],
    checker: NamedDependency[Checker],
) -> CheckBatchResponse:
    claims = [c.strip() for c in data.claims]
    annotate(claims=len(claims))
    filters = check_filters(data)
    results: list[CheckResult] = []
    for start in range(0, len(claims), BATCH_SLICE):
        results += await runtime.checks_bulk(
            partial(checker.check_many, claims[start : start + BATCH_SLICE], data.limit, filters)
        )
    return CheckBatchResponse(results)
