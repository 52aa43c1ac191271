"""Proper names spaCy's small English model reads as common nouns.

Why: a claim usually opens with its doer, and a capitalised first word the model has never seen
("Rosehaugh will supply NYNEX ...", "Levitt earlier declared ...", "Dixons went after Cyclops") is
tagged as a common noun, with no entity. It then names nothing: a sentence about another company
doing the same thing supports the claim, since no requirement asks for the doer and no role can
be compared. A capitalised word that is rare as an English word is a name, whatever the tagger
says. How rare comes from `wordfreq` (word frequencies over large English corpora): below
`MAX_COMMON_ZIPF` (one occurrence per million words) it is no common word ("proceeds" 4.1,
"board" 5.2, "treasury" 4.2 are; "rosehaugh" 0, "wrather" 1.5, "levitt" 2.9 are not).
"""

from __future__ import annotations

from typing import Final

from spacy.tokens import Token
from wordfreq import zipf_frequency

MAX_COMMON_ZIPF: Final = 3.0
"""Zipf frequency (log10 of occurrences per billion words) below which a word is no common word."""


def _common_word(lower: str) -> bool:
    return zipf_frequency(lower, "en") >= MAX_COMMON_ZIPF  # wordfreq caches its lookups


def untagged_name(token: Token) -> bool:
    """A capitalised word tagged as a common noun that is not a common English word."""
    text = token.text
    return (
        token.pos_ == "NOUN"
        and len(text) > 1
        and text[0].isupper()
        and text.isalpha()
        and not _common_word(text.lower())
    )
