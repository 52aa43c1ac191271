"""From posted text to clean paragraphs: formats, metadata, boilerplate, sentences, origin, stories.

Every paragraph keeps, per character, its offset in the text as posted, so everything found later
can be reported in the client's own offsets.
"""

from corpus.document import DocumentMeta, Paragraph, ParsedDocument
from corpus.formats.sniff import Format, sniff_format
from corpus.nlp import load_pipeline
from corpus.origin import agencies_in, masthead_outlet, originating_agency
from corpus.parse import parse_document
from corpus.segment import split_sentences
from corpus.stories import StoryIndex, fingerprint

__all__ = [
    "DocumentMeta",
    "Format",
    "Paragraph",
    "ParsedDocument",
    "StoryIndex",
    "agencies_in",
    "fingerprint",
    "load_pipeline",
    "masthead_outlet",
    "originating_agency",
    "parse_document",
    "sniff_format",
    "split_sentences",
]
