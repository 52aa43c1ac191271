"""The OpenAPI document is the truth: schemathesis generates requests from it and checks answers.

Every operation gets generated valid and invalid requests (with the write key, as a client holding
one would send them); every answer must be a documented status with a body and headers matching
the document, never a 5xx. Bounded (``max_examples``) so it fits in ``make test``; the
service runs over a fresh data directory holding one document, so reads and deletes of a real id
are exercised too.

One check is left out: ``positive_data_acceptance`` (every schema-valid request must succeed).
Some rules cannot be written in JSON Schema — a calendar date must exist ("2020-02-30" matches
YYYY-MM-DD), ``published_after`` must not be later than ``published_before``, a document must
hold at least one indexable sentence, ``published`` accepts the date formats newsrooms use — and
the service answers those with a 400/422 that says which rule, which is the point of them.

``POST /v1/documents/bulk`` takes JSON Lines, which schemathesis does not know how to send: the
serializer below sends generated text as the body's lines, and anything else as one JSON line.
For that operation ``negative_data_rejection`` is left out too: a "schema-violating" body (a
number, an object where the schema says text) arrives as a line of text, which is a well-formed
JSON Lines body; its bad line is answered in the 200 stream with the error a single POST would
get, as it should be (tests/test_bulk_ingest.py checks those answers line by line).
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from api.app import create_app
from api.jsonlines import MEDIA_TYPES
from tests.conftest import AUTH, api_settings, serving

EXAMPLES_PER_OPERATION = 30


def _documented_schema() -> dict:
    """The document as the service publishes it; building it loads no model."""
    import tempfile
    from pathlib import Path

    app = create_app(settings=api_settings(Path(tempfile.mkdtemp())), checker=None)
    return app.openapi_schema.to_schema()


@schemathesis.serializer(*MEDIA_TYPES)
def json_lines(ctx: object, value: object) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8", errors="surrogatepass")
    return json.dumps(value).encode() + b"\n"


schema = schemathesis.openapi.from_dict(_documented_schema())


@pytest.fixture(scope="module")
def contract_url(encoder, nlp, tmp_path_factory):
    """The real server (uvicorn on loopback) over a fresh store holding one document."""
    from claimcheck.checker import Checker
    from claimcheck.requests import Submission

    checker = Checker.open(tmp_path_factory.mktemp("schemathesis"), encoder, nlp)
    checker.ingest(
        Submission(text="The port authority of Velmora signed a lease, officials said.", id="velmora")
    )
    with serving(checker, max_document_chars=20_000) as url:
        yield url
    checker.close()


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_is_documented_and_never_a_server_error(case, contract_url):
    excluded = [positive_data_acceptance]
    if case.operation.path == "/v1/documents/bulk":
        excluded.append(negative_data_rejection)
    response = case.call_and_validate(base_url=contract_url, headers=AUTH, excluded_checks=excluded)
    assert response.status_code < 500, response.text
