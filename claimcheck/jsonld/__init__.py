"""schema.org's JSON-LD context, vendored, and a document loader that serves only it.

A JSON-LD processor resolves ``"@context": "https://schema.org"`` by fetching schema.org's context
document. This service never fetches anything at run time (and its test machines cannot), so the
context is shipped here (``schemaorg-context.jsonld``; origin and licence in ``README.md`` beside
it) and :func:`offline_loader` hands it to a processor (pyld's ``documentLoader`` option) for
schema.org's addresses and refuses every other URL, rather than reaching the network.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

CONTEXT_FILE = Path(__file__).with_name("schemaorg-context.jsonld")
# How documents name schema.org's context: either scheme, with or without the trailing slash, and
# the context document's own address.
SCHEMA_ORG_URLS = frozenset(
    f"{scheme}://schema.org{path}"
    for scheme in ("http", "https")
    for path in ("", "/", "/docs/jsonldcontext.jsonld", "/docs/jsonldcontext.json")
)


class RemoteDocumentRefusedError(LookupError):
    """A JSON-LD document asked for a URL other than schema.org's context: nothing is fetched."""


@cache
def schema_org_context() -> dict[str, Any]:
    """The vendored context document (``{"@context": {...}}``), parsed once."""
    document: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return document


def offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader: schema.org's context from the vendored file, any other URL refused."""
    if url.strip() not in SCHEMA_ORG_URLS:
        raise RemoteDocumentRefusedError(f"not fetching {url!r}: only schema.org's context is served")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": schema_org_context(),
    }
