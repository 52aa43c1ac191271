"""Which sentences can support a claim: content terms, candidate search and fusion, the support
decision, and merging copies of one sentence."""

from retrieval.candidates import Candidate, Searches, candidates, paragraph_depth
from retrieval.claim import Claim
from retrieval.merge import group_identical
from retrieval.support import Support, SupportPolicy, assess
from retrieval.terms import NEGATED, Requirement, Term, span_terms

__all__ = [
    "NEGATED",
    "Candidate",
    "Claim",
    "Requirement",
    "Searches",
    "Support",
    "SupportPolicy",
    "Term",
    "assess",
    "candidates",
    "group_identical",
    "paragraph_depth",
    "span_terms",
]
