"""The application: the ingest and check flows end to end (``Checker``), what they take
(``requests``) and give back (``results``), configuration and start-up. ``api`` and the CLI call
it; it calls the store, the verification stage and the analysis packages.

Public names are loaded on first use (PEP 562): the ``claimcheck`` command imports this package,
and ``claimcheck --help`` should not wait for spaCy and FAISS to load.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimcheck.checker import Checker
    from claimcheck.requests import CheckFilters, Submission
    from claimcheck.results import (
        CheckResult,
        DocumentListing,
        DocumentView,
        Evidence,
        IngestResult,
        Source,
    )
    from claimcheck.settings import Settings

_HOMES = {
    "Checker": "claimcheck.checker",
    "CheckFilters": "claimcheck.requests",
    "Submission": "claimcheck.requests",
    "CheckResult": "claimcheck.results",
    "DocumentListing": "claimcheck.results",
    "DocumentView": "claimcheck.results",
    "Evidence": "claimcheck.results",
    "IngestResult": "claimcheck.results",
    "Source": "claimcheck.results",
    "Settings": "claimcheck.settings",
}

__all__ = [
    "CheckFilters",
    "CheckResult",
    "Checker",
    "DocumentListing",
    "DocumentView",
    "Evidence",
    "IngestResult",
    "Settings",
    "Source",
    "Submission",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'claimcheck' has no attribute {name!r}")
    return getattr(import_module(home), name)
