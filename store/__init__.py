"""Persistence of analysed documents: the SQLite source of truth, its lexical search and change log.

The store sits above the analysis packages (it keeps what they produce: ``corpus`` metadata,
``attribution`` frames, ``retrieval`` terms, ``embeddings`` vectors) and below the application
package, which alone writes to it.
"""

from store.changelog import IndexChange
from store.documents import Store
from store.faults import ReadOnlyStore, StorageError, StorageFull
from store.lexical import LexicalHit
from store.records import (
    DocumentInfo,
    DocumentRecord,
    DocumentSummary,
    ParagraphRecord,
    SentenceRecord,
    StoredDocument,
    StoredParagraph,
    StoredSentence,
    StoryRow,
    WriteResult,
)

__all__ = [
    "DocumentInfo",
    "DocumentRecord",
    "DocumentSummary",
    "IndexChange",
    "LexicalHit",
    "ParagraphRecord",
    "ReadOnlyStore",
    "SentenceRecord",
    "StorageError",
    "StorageFull",
    "Store",
    "StoredDocument",
    "StoredParagraph",
    "StoredSentence",
    "StoryRow",
    "WriteResult",
]
