"""Persistence of analysed documents: the source of truth (an SQLite file by default, or a shared
PostgreSQL database, ``store.postgres``), its lexical search and change log.

The store sits above the analysis packages (it keeps what they produce: ``corpus`` metadata,
``attribution`` frames, ``retrieval`` terms, ``embeddings`` vectors) and below the application
package, which alone writes to it.
"""

from store.changelog import IndexChange
from store.documents import Store
from store.faults import ReadOnlyStore, StorageError, StorageFull, StoreUnavailable
from store.lexical import LexicalHit
from store.protocol import ChangeLogReader, DocumentStore, LexicalSearch
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
    "ChangeLogReader",
    "DocumentInfo",
    "DocumentRecord",
    "DocumentStore",
    "DocumentSummary",
    "IndexChange",
    "LexicalHit",
    "LexicalSearch",
    "ParagraphRecord",
    "ReadOnlyStore",
    "SentenceRecord",
    "StorageError",
    "StorageFull",
    "Store",
    "StoreUnavailable",
    "StoredDocument",
    "StoredParagraph",
    "StoredSentence",
    "StoryRow",
    "WriteResult",
]
