"""The HTTP contract through Litestar's test client, with the real models."""

from __future__ import annotations

import pytest

F16_CLAIM = "A Turkish F-16 downed an SU-25"


def test_health_is_ok_once_loaded(seeded_client):
    response = seeded_client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["documents"] == 5


def test_check_answers_200_with_contract_fields(seeded_client, seed_texts):
    response = seeded_client.post("/v1/claims/check", json={"claim": F16_CLAIM})
    assert response.status_code == 200
    body = response.json()
    assert body["claim"] == F16_CLAIM
    top = body["evidence"][0]
    assert set(top) >= {"sentence", "score", "allegation", "attribution", "sources"}
    assert "had downed an Armenian SU-25" in top["sentence"]
    assert {s["document_id"][:3] for s in top["sources"]} == {"000", "001"}
    for source in top["sources"]:
        original = seed_texts[source["document_id"]][source["start"] : source["end"]]
        assert " ".join(original.split()) == top["sentence"]
    afp = next(s for s in top["sources"] if s["document_id"].startswith("001"))
    assert afp["byline"] == "AFP" and afp["published"] == "2020-10-01" and afp["outlet"] == "The Moscow Times"
    assert afp["url"].startswith("https://www.themoscowtimes.com/2020/10/01/")


def test_evidence_is_ordered_and_limited(seeded_client):
    body = seeded_client.post(
        "/v1/claims/check", json={"claim": "Putin and Erdogan discussed Karabakh", "limit": 2}
    )
    evidence = body.json()["evidence"]
    assert 1 <= len(evidence) <= 2
    assert [e["score"] for e in evidence] == sorted((e["score"] for e in evidence), reverse=True)


def test_unsupported_claim_gets_empty_evidence(seeded_client):
    body = seeded_client.post(
        "/v1/claims/check", json={"claim": "Germany imposed sanctions on Azerbaijan"}
    ).json()
    assert body["evidence"] == []


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"claim": "   "}, "claim is empty"),
        ({"claim": "x" * 2001}, "too long"),
        ({"claim": "ok", "limt": 3}, "unknown field"),
        ({"claim": 42}, "Expected `str`"),
        ({"claim": "ok", "limit": 0}, ">= 1"),
        ({"claim": "ok", "limit": 51}, "<= 50"),
        ({}, "missing required field"),
    ],
)
def test_bad_claims_get_clear_400(seeded_client, payload, fragment):
    response = seeded_client.post("/v1/claims/check", json=payload)
    assert response.status_code == 400
    assert fragment.lower() in response.json()["detail"].lower()


def test_malformed_json_is_400(seeded_client):
    response = seeded_client.post(
        "/v1/claims/check", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["status_code"] == 400 and "json" in body["detail"].lower()


def test_document_lifecycle(client):
    text = (
        "# Harbour deal signed\n\nBy [Reuters](#)\n\nMarch 3, 2024\n\n"
        "The port authority of Velmora signed a 40-year lease with Nordic Freight on Tuesday, "
        "officials said.\n\nOriginal url:\n\n<https://www.reuters.com/world/velmora-harbour-lease>"
    )
    created = client.post("/v1/documents", json={"id": "velmora", "text": text, "format": "markdown"})
    assert created.status_code == 201
    assert created.json() == {"id": "velmora", "paragraphs": 1, "sentences": 1}

    doc = client.get("/v1/documents/velmora").json()
    assert (doc["title"], doc["byline"], doc["published"], doc["outlet"]) == (
        "Harbour deal signed",
        "Reuters",
        "2024-03-03",
        "Reuters",
    )
    sentence = doc["paragraphs"][0]["sentences"][0]
    assert text[sentence["start"] : sentence["end"]] == sentence["text"]
    frame = sentence["attributions"][0]
    assert text[frame["cue_start"] : frame["cue_end"]] == "said"
    assert text[frame["speaker_start"] : frame["speaker_end"]] == "officials"

    listing = client.get("/v1/documents", params={"limit": 10}).json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == "velmora"

    claim = {"claim": "Velmora port authority signed a 40-year lease with Nordic Freight"}
    assert client.post("/v1/claims/check", json=claim).json()["evidence"]

    replaced = client.post(
        "/v1/documents", json={"id": "velmora", "text": "Velmora port fees rose by 3% in May."}
    )
    assert replaced.status_code == 201
    assert client.post("/v1/claims/check", json=claim).json()["evidence"] == []

    assert client.delete("/v1/documents/velmora").status_code == 204
    assert client.get("/v1/documents/velmora").status_code == 404
    assert client.delete("/v1/documents/velmora").status_code == 404
    assert client.get("/v1/documents").json()["total"] == 0


def test_post_without_id_gets_a_stable_content_id(client):
    first = client.post("/v1/documents", json={"text": "Velmora port fees rose by 3% in May."}).json()
    second = client.post("/v1/documents", json={"text": "Velmora port fees rose by 3% in May."}).json()
    assert first["id"] == second["id"]
    assert client.get("/v1/documents").json()["total"] == 1


@pytest.mark.parametrize(
    ("payload", "status", "fragment"),
    [
        ({"text": ""}, 400, "text is empty"),
        ({"text": "x " * 15_000}, 413, "document too large"),
        ({"text": "ok", "format": "pdf"}, 400, "format"),
        ({"text": "ok", "id": "../etc"}, 400, "id"),
        ({"text": "ok", "colour": "red"}, 400, "unknown field"),
        ({"text": ["a"]}, 400, "Expected `str`"),
    ],
)
def test_bad_documents_are_rejected_and_change_nothing(client, payload, status, fragment):
    response = client.post("/v1/documents", json=payload)
    assert response.status_code == status
    assert fragment.lower() in response.json()["detail"].lower()
    assert client.get("/v1/documents").json()["total"] == 0


def test_unknown_document_is_404_with_detail(client):
    response = client.get("/v1/documents/nope")
    assert response.status_code == 404 and "nope" in response.json()["detail"]


def test_health_is_503_while_nothing_is_loaded():
    from api.routes.health import health
    from api.runtime import Runtime

    runtime = Runtime(checker=None)
    try:
        assert health.fn(runtime=runtime).status_code == 503
    finally:
        runtime.shutdown()
