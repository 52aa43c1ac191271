"""The examples of the OpenAPI document: real requests and this service's real answers to them.

Each answer was produced by the service over the five seed articles (the check examples) or over
the one document of the ingest example, with ``limit`` 1 so an answer stays short enough to read;
nothing was edited. ``tests/test_observability.py`` decodes every example into the type the route
declares, so an example that stops matching the contract fails a test rather than misleading a
client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.openapi import ResponseSpec
from litestar.openapi.spec import Example

CHECK_REQUEST: dict[str, Any] = {"claim": "A Turkish F-16 downed an SU-25", "limit": 1}

CHECK_RESULT: dict[str, Any] = {
    "claim": "A Turkish F-16 downed an SU-25",
    "evidence": [
        {
            "sentence": "Ankara has backed Azerbaijan in the conflict and on Tuesday the "
            "Armenian defense ministry said a Turkish F-16 flying in support of "
            "Baku's forces had downed an Armenian SU-25 warplane.",
            "score": 0.723,
            "allegation": True,
            "attribution": {"speaker": "the Armenian defense ministry", "cue": "said", "kind": "statement"},
            "sources": [
                {
                    "document_id": "000_68f08474d3e5119a",
                    "title": None,
                    "outlet": None,
                    "byline": None,
                    "published": None,
                    "url": None,
                    "paragraph": 5,
                    "start": 1055,
                    "end": 1238,
                    "story_id": "story_f863ea7f4c11ac3d",
                    "agency": "AFP",
                },
                {
                    "document_id": "001_2ebd0813046cf1ef",
                    "title": "Russia Says Ready for 'Close Coordination' With Turkey on Karabakh",
                    "outlet": "The Moscow Times",
                    "byline": "AFP",
                    "published": "2020-10-01",
                    "url": "https://www.themoscowtimes.com/2020/10/01/russia-says-ready-for-close-coordination-with-turkey-on-karabakh-a71625",
                    "paragraph": 5,
                    "start": 1176,
                    "end": 1359,
                    "story_id": "story_f863ea7f4c11ac3d",
                    "agency": "AFP",
                },
            ],
            "stance": "reports",
            "denied_by": [],
            "stories": [
                {
                    "story_id": "story_f863ea7f4c11ac3d",
                    "agency": "AFP",
                    "documents": ["000_68f08474d3e5119a", "001_2ebd0813046cf1ef"],
                    "first_appearance": {
                        "document_id": "001_2ebd0813046cf1ef",
                        "title": "Russia Says Ready for 'Close Coordination' With Turkey on Karabakh",
                        "outlet": "The Moscow Times",
                        "byline": "AFP",
                        "published": "2020-10-01",
                        "url": "https://www.themoscowtimes.com/2020/10/01/russia-says-ready-for-close-coordination-with-turkey-on-karabakh-a71625",
                        "paragraph": 5,
                        "start": 1176,
                        "end": 1359,
                        "story_id": "story_f863ea7f4c11ac3d",
                        "agency": "AFP",
                    },
                }
            ],
            "agencies_quoted": [],
            "match": {
                "entities": [{"claim": "F-16", "evidence": "F-16"}, {"claim": "SU-25", "evidence": "SU-25"}],
                "figures": [],
                "predicate": {"claim": "downed", "evidence": "downed"},
                "from_context": [],
                "conflicts": [],
                "speaker": None,
            },
        }
    ],
    "summary": {
        "independent_stories": 1,
        "asserted_by": [],
        "alleged_by": ["the Armenian defense ministry"],
        "denied_by": [],
        "first_appearance": {
            "document_id": "001_2ebd0813046cf1ef",
            "title": "Russia Says Ready for 'Close Coordination' With Turkey on Karabakh",
            "outlet": "The Moscow Times",
            "byline": "AFP",
            "published": "2020-10-01",
            "url": "https://www.themoscowtimes.com/2020/10/01/russia-says-ready-for-close-coordination-with-turkey-on-karabakh-a71625",
            "paragraph": 5,
            "start": 1176,
            "end": 1359,
            "story_id": "story_f863ea7f4c11ac3d",
            "agency": "AFP",
        },
        "contradicted_by": [],
    },
    "contradicting": [],
}

CHECK_BATCH_REQUEST: dict[str, Any] = {
    "claims": ["Turkey backs Azerbaijan", "Germany imposed sanctions on Azerbaijan"],
    "limit": 1,
}

CHECK_BATCH_RESPONSE: dict[str, Any] = {
    "results": [
        {
            "claim": "Turkey backs Azerbaijan",
            "evidence": [
                {
                    "sentence": "Turkey has strongly backed Azerbaijan\u2019s military "
                    "operations since the outbreak of the war in and around "
                    "Karabakh on September 27.",
                    "score": 0.8186,
                    "allegation": False,
                    "attribution": None,
                    "sources": [
                        {
                            "document_id": "002_165968b6b0ecd78d",
                            "title": None,
                            "outlet": None,
                            "byline": None,
                            "published": None,
                            "url": None,
                            "paragraph": 6,
                            "start": 1162,
                            "end": 1291,
                            "story_id": "story_1cbe9556e3ccd127",
                            "agency": None,
                        }
                    ],
                    "stance": "supports",
                    "denied_by": [],
                    "stories": [
                        {
                            "story_id": "story_1cbe9556e3ccd127",
                            "agency": None,
                            "documents": ["002_165968b6b0ecd78d"],
                            "first_appearance": {
                                "document_id": "002_165968b6b0ecd78d",
                                "title": None,
                                "outlet": None,
                                "byline": None,
                                "published": None,
                                "url": None,
                                "paragraph": 6,
                                "start": 1162,
                                "end": 1291,
                                "story_id": "story_1cbe9556e3ccd127",
                                "agency": None,
                            },
                        }
                    ],
                    "agencies_quoted": [],
                    "match": {
                        "entities": [
                            {"claim": "Turkey", "evidence": "Turkey"},
                            {"claim": "Azerbaijan", "evidence": "Azerbaijan"},
                        ],
                        "figures": [],
                        "predicate": {"claim": "backs", "evidence": "backed"},
                        "from_context": [],
                        "conflicts": [],
                        "speaker": None,
                    },
                }
            ],
            "summary": {
                "independent_stories": 1,
                "asserted_by": ["002_165968b6b0ecd78d"],
                "alleged_by": [],
                "denied_by": [],
                "first_appearance": {
                    "document_id": "002_165968b6b0ecd78d",
                    "title": None,
                    "outlet": None,
                    "byline": None,
                    "published": None,
                    "url": None,
                    "paragraph": 6,
                    "start": 1162,
                    "end": 1291,
                    "story_id": "story_1cbe9556e3ccd127",
                    "agency": None,
                },
                "contradicted_by": [],
            },
            "contradicting": [],
        },
        {
            "claim": "Germany imposed sanctions on Azerbaijan",
            "evidence": [],
            "summary": {
                "independent_stories": 0,
                "asserted_by": [],
                "alleged_by": [],
                "denied_by": [],
                "first_appearance": None,
                "contradicted_by": [],
            },
            "contradicting": [],
        },
    ]
}

DOCUMENT_REQUEST: dict[str, Any] = {
    "id": "moscow-times-2020-10-01-karabakh",
    "text": "Russia said on Thursday its foreign minister Sergei Lavrov and Turkish counterpart "
    'Mevlut Cavusoglu had confirmed in a phone call they were ready for "close coordination" '
    "to stabilize the situation in Nagorno Karabakh.\n"
    "\n"
    "Fighting over the breakaway region between majority-Muslim Azerbaijan and Christian "
    "Armenia has raised fears of a wider conflict involving regional powers Turkey and "
    "Russia.",
    "format": "text",
    "title": "Russia Says Ready for 'Close Coordination' With Turkey on Karabakh",
    "url": "https://www.themoscowtimes.com/2020/10/01/russia-says-ready-for-close-coordination-with-turkey-on-karabakh-a71625",
    "outlet": "The Moscow Times",
    "byline": "AFP",
    "published": "October 01, 2020",
}

INGEST_RESULT: dict[str, Any] = {"id": "moscow-times-2020-10-01-karabakh", "paragraphs": 2, "sentences": 2}

DOCUMENT_VIEW: dict[str, Any] = {
    "id": "moscow-times-2020-10-01-karabakh",
    "title": "Russia Says Ready for 'Close Coordination' With Turkey on Karabakh",
    "outlet": "The Moscow Times",
    "byline": "AFP",
    "published": "2020-10-01",
    "url": "https://www.themoscowtimes.com/2020/10/01/russia-says-ready-for-close-coordination-with-turkey-on-karabakh-a71625",
    "story_id": "story_dc1d1e1b0c6a27c1",
    "agency": "AFP",
    "format": "text",
    "ingested_at": "2026-11-30T10:25:38Z",
    "paragraphs": [
        {
            "index": 0,
            "start": 0,
            "end": 218,
            "sentences": [
                {
                    "index": 0,
                    "start": 0,
                    "end": 218,
                    "text": "Russia said on Thursday its foreign minister Sergei "
                    "Lavrov and Turkish counterpart Mevlut Cavusoglu had "
                    'confirmed in a phone call they were ready for "close '
                    'coordination" to stabilize the situation in Nagorno '
                    "Karabakh.",
                    "attributions": [
                        {
                            "kind": "statement",
                            "cue": "said",
                            "cue_start": 7,
                            "cue_end": 11,
                            "speaker": "Russia",
                            "speaker_start": 0,
                            "speaker_end": 6,
                            "content_start": 24,
                            "content_end": 217,
                        },
                        {
                            "kind": "statement",
                            "cue": "confirmed",
                            "cue_start": 104,
                            "cue_end": 113,
                            "speaker": "Turkish counterpart Mevlut Cavusoglu",
                            "speaker_start": 63,
                            "speaker_end": 99,
                            "content_start": 130,
                            "content_end": 217,
                        },
                    ],
                }
            ],
        },
        {
            "index": 1,
            "start": 220,
            "end": 393,
            "sentences": [
                {
                    "index": 0,
                    "start": 220,
                    "end": 393,
                    "text": "Fighting over the breakaway region between "
                    "majority-Muslim Azerbaijan and Christian Armenia has "
                    "raised fears of a wider conflict involving regional "
                    "powers Turkey and Russia.",
                    "attributions": [],
                }
            ],
        },
    ],
}

DOCUMENT_PAGE: dict[str, Any] = {
    "items": [
        {
            "id": "moscow-times-2020-10-01-karabakh",
            "title": "Russia Says Ready for 'Close Coordination' With Turkey on Karabakh",
            "outlet": "The Moscow Times",
            "byline": "AFP",
            "published": "2020-10-01",
            "url": "https://www.themoscowtimes.com/2020/10/01/russia-says-ready-for-close-coordination-with-turkey-on-karabakh-a71625",
            "story_id": "story_dc1d1e1b0c6a27c1",
            "agency": "AFP",
            "paragraphs": 2,
            "sentences": 2,
            "ingested_at": "2026-11-30T10:25:38Z",
        }
    ],
    "total": 1,
    "offset": 0,
    "limit": 50,
}

HEALTH_OK: dict[str, Any] = {
    "status": "ok",
    "documents": 5,
    "paragraphs": 48,
    "mode": "read-write",
    "disk_full": False,
    "storage": None,
}

HEALTH_LOADING: dict[str, Any] = {
    "status": "loading",
    "documents": 0,
    "paragraphs": 0,
    "mode": "read-write",
    "disk_full": False,
    "storage": None,
}


# The ClaimReview draft of docs/claimreview-request.json: docs/claimreview-example.jsonld, which
# tests/test_claimreview.py checks verbatim against the service (and tests/test_observability.py
# checks these copies against those files).
CLAIM_REVIEW_REQUEST: dict[str, Any] = {
    "claim": "A Turkish F-16 downed an SU-25",
    "author": "Example Fact Desk",
    "author_url": "https://factdesk.example.org",
    "url": "https://factdesk.example.org/checks/turkish-f16-su25",
    "rating": "Unproven",
}

CLAIM_REVIEW: dict[str, Any] = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "claimReviewed": "A Turkish F-16 downed an SU-25",
    "url": "https://factdesk.example.org/checks/turkish-f16-su25",
    "author": {"@type": "Organization", "name": "Example Fact Desk", "url": "https://factdesk.example.org"},
    "reviewRating": {"@type": "Rating", "alternateName": "Unproven"},
    "itemReviewed": {
        "@type": "Claim",
        "text": "A Turkish F-16 downed an SU-25",
        "author": {"name": "Armenian defense ministry"},
        "datePublished": "2020-10-01",
        "firstAppearance": {
            "@type": "CreativeWork",
            "identifier": "001_2ebd0813046cf1ef",
            "url": "https://www.themoscowtimes.com/2020/10/01/russia-says-ready-for-close-coordination-with-turkey-on-karabakh-a71625",
            "headline": "Russia Says Ready for 'Close Coordination' With Turkey on Karabakh",
            "datePublished": "2020-10-01",
            "publisher": {"@type": "Organization", "name": "The Moscow Times"},
            "author": {"@type": "Organization", "name": "AFP"},
        },
        "appearance": [
            {
                "@type": "CreativeWork",
                "identifier": "001_2ebd0813046cf1ef",
                "url": "https://www.themoscowtimes.com/2020/10/01/russia-says-ready-for-close-coordination-with-turkey-on-karabakh-a71625",
                "headline": "Russia Says Ready for 'Close Coordination' With Turkey on Karabakh",
                "datePublished": "2020-10-01",
                "publisher": {"@type": "Organization", "name": "The Moscow Times"},
                "author": {"@type": "Organization", "name": "AFP"},
            },
            {
                "@type": "CreativeWork",
                "identifier": "000_68f08474d3e5119a",
                "author": {"@type": "Organization", "name": "AFP"},
            },
        ],
    },
}


@dataclass
class VerbatimExample(Example):
    """An example whose value is published as it is.

    Litestar drops every ``None`` from the objects it turns into the OpenAPI document, values of
    examples included, so ``"title": null`` vanished from the answers and the examples no longer
    matched their own schema (``title`` is required, and may be null)."""

    def to_schema(self) -> dict[str, Any]:
        schema = super().to_schema()
        schema["value"] = self.value
        return schema


def example(summary: str, value: Any) -> list[Example]:
    """The ``examples=`` list of a request ``Body`` or a response: one named example."""
    return [VerbatimExample(summary=summary, value=value)]


def answer(
    data_container: Any,
    description: str,
    summary: str,
    value: Any,
    media_type: str = "application/json",
) -> ResponseSpec:
    """A route's success response with its example (in ``responses={status: ...}`` it replaces
    the one Litestar generates, which has no example)."""
    return ResponseSpec(
        data_container,
        description=description,
        examples=example(summary, value),
        generate_examples=False,
        media_type=media_type,
    )
