"""POST /v1/claims/claimreview: a check's answer as a schema.org ClaimReview draft (JSON-LD).

The check runs exactly as ``POST /v1/claims/check`` runs it (same filters, same queue); what the
answer becomes is ``claimcheck.claimreview``'s business, so the CLI can build the same document.
"""

from __future__ import annotations

from typing import Annotated

from litestar import post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import Body
from litestar.status_codes import HTTP_200_OK

from api import examples
from api.access import ACCESS, KEY_OPTIONAL
from api.body import BODY_TYPE
from api.routes.claims import CHECK_RAISES, check_filters
from api.runtime import Runtime
from api.schemas import ClaimReviewRequest
from claimcheck.checker import Checker
from claimcheck.claimreview import MEDIA_TYPE, Claim, ClaimReview, InvalidReviewError, Reviewer, claim_review


@post(
    "/v1/claims/claimreview",
    status_code=HTTP_200_OK,
    summary="A check's answer as a schema.org ClaimReview (or Claim) draft, JSON-LD",
    description=(
        "Runs the check and answers JSON-LD: with rating, url and author, a ClaimReview whose "
        "itemReviewed Claim lists every source document as an appearance; without reviewer fields, "
        "the Claim alone. The service rates nothing: the rating is the reviewer's."
    ),
    media_type=MEDIA_TYPE,
    opt={ACCESS: "check", BODY_TYPE: ClaimReviewRequest},
    raises=CHECK_RAISES,
    security=KEY_OPTIONAL,
    responses={
        HTTP_200_OK: examples.answer(
            ClaimReview | Claim,
            "A ClaimReview draft (with reviewer fields) or the Claim alone, as JSON-LD",
            "The F-16 claim, rated by the reviewer",
            examples.CLAIM_REVIEW,
            media_type=MEDIA_TYPE,
        )
    },
)
async def claim_review_draft(
    data: Annotated[
        ClaimReviewRequest,
        Body(examples=examples.example("A claim with the reviewer's fields", examples.CLAIM_REVIEW_REQUEST)),
    ],
    runtime: NamedDependency[Runtime],
    checker: NamedDependency[Checker],
) -> ClaimReview | Claim:
    try:
        reviewer = Reviewer(data.author, data.author_url, data.url, data.rating).validated()
    except InvalidReviewError as error:
        raise ValidationException(
            str(error), extra=[{"message": str(error), "key": error.field, "source": "body"}]
        ) from None
    filters = check_filters(data)
    result = await runtime.batcher.check(checker, data.claim.strip(), data.limit, filters)
    return claim_review(result, reviewer)
