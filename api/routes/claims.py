"""POST /v1/claims/check and POST /v1/claims/check-batch."""

from __future__ import annotations

from datetime import date

from litestar import post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from api.runtime import Runtime
from api.schemas import MAX_CLAIM_CHARS, CheckBatchRequest, CheckBatchResponse, CheckRequest, strict_body
from claimcheck.checker import Checker
from claimcheck.requests import CheckFilters
from claimcheck.results import CheckResult


def _claim_text(raw: str, where: str = "claim") -> str:
    claim = raw.strip()
    if not claim:
        raise ValidationException(f'{where} is empty: send the claim text to check in "{where}"')
    if len(claim) > MAX_CLAIM_CHARS:
        raise ValidationException(
            f"{where} is too long: {len(claim)} characters, at most {MAX_CLAIM_CHARS} after trimming"
        )
    return claim


def _filters(data: CheckRequest | CheckBatchRequest) -> CheckFilters:
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


@post(
    "/v1/claims/check",
    status_code=HTTP_200_OK,
    summary="Supporting sentences for a claim",
    guards=[strict_body(CheckRequest, '"claim"')],
)
async def check_claim(
    data: JSONBody[CheckRequest], runtime: NamedDependency[Runtime], checker: NamedDependency[Checker]
) -> CheckResult:
    claim, filters = _claim_text(data.claim), _filters(data)
    return await runtime.batcher.check(checker, claim, data.limit, filters)


@post(
    "/v1/claims/check-batch",
    status_code=HTTP_200_OK,
    summary="Up to 100 claims in one encoder pass",
    guards=[strict_body(CheckBatchRequest, '"claims"')],
)
async def check_claims(
    data: JSONBody[CheckBatchRequest], runtime: NamedDependency[Runtime], checker: NamedDependency[Checker]
) -> CheckBatchResponse:
    claims = [_claim_text(c, f"claims[{i}]") for i, c in enumerate(data.claims)]
    filters = _filters(data)
    results = await runtime.query(lambda: checker.check_many(claims, data.limit, filters))
    return CheckBatchResponse(results)
