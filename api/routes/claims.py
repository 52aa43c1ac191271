"""POST /v1/claims/check."""

from __future__ import annotations

from datetime import date

from litestar import post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from api.runtime import Runtime
from api.schemas import MAX_CLAIM_CHARS, CheckRequest, CheckResponse
from api.views import check_response
from claimcheck.checker import Checker
from claimcheck.results import CheckFilters


@post("/v1/claims/check", status_code=HTTP_200_OK, summary="Supporting sentences for a claim")
async def check_claim(
    data: JSONBody[CheckRequest], runtime: NamedDependency[Runtime], checker: NamedDependency[Checker]
) -> CheckResponse:
    claim = data.claim.strip()
    if not claim:
        raise ValidationException('claim is empty: send the claim text to check in "claim"')
    if len(claim) > MAX_CLAIM_CHARS:
        raise ValidationException(
            f"claim is too long: {len(claim)} characters, at most {MAX_CLAIM_CHARS} after trimming"
        )
    for name, value in (
        ("published_after", data.published_after),
        ("published_before", data.published_before),
    ):
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValidationException(f"{name} {value!r} is not a calendar date (YYYY-MM-DD)") from None
    if data.published_after and data.published_before and data.published_after > data.published_before:
        raise ValidationException("published_after is later than published_before: no source could match")
    filters = CheckFilters(
        published_after=data.published_after,
        published_before=data.published_before,
        outlets=tuple(data.outlets or ()),
        exclude_outlets=tuple(data.exclude_outlets or ()),
    )
    result = await runtime.query(lambda: checker.check(claim, data.limit, filters))
    return check_response(result)
