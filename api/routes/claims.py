"""POST /v1/claims/check."""

from __future__ import annotations

from litestar import post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from api.runtime import Runtime
from api.schemas import MAX_CLAIM_CHARS, CheckRequest, CheckResponse
from api.views import check_response
from claimcheck.checker import Checker


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
    result = await runtime.query(lambda: checker.check(claim, data.limit))
    return check_response(result)
