"""The lexical half of hybrid retrieval on PostgreSQL: full-text search, ranked by BM25 as FTS5 ranks.

Sentences carry ``tsv = to_tsvector('english', text)`` under a GIN index (``store.pg_schema``). The
policy is the SQLite one (``store.lexical``): only a claim's rarest words are searched, each found
in at most ``LEXICAL_MAX_DF`` sentences and 1% of all, at most ``LEXICAL_MAX_TERMS`` of them, and
the sentences holding any are ranked by BM25 with FTS5's constants and formula (k1 = 1.2,
b = 0.75, idf = ln((N - n + 0.5) / (n + 0.5)), at least 1e-6). PostgreSQL's own ``ts_rank`` is
not BM25 (no idf), and the check weighs each hit by its BM25 relative to the best one, so the score
is computed here from the statistics the triggers keep (``lexical_terms``, ``lexical_totals``).

Differences from SQLite, by construction: words are stemmed by the Snowball English stemmer
(PostgreSQL's ``english`` configuration) rather than the original Porter stemmer, English stop
words are not indexed (they were never rare enough to be searched; a sentence's length still counts
them, read off the position of its last indexed word), and hyphenated words are indexed whole and by
their parts. On the test corpus (tests/test_postgres_store.py) the scores are FTS5's to 1e-9.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from psycopg_pool import ConnectionPool

from store.lexical import LEXICAL_MAX_DF, LEXICAL_MAX_DF_FRACTION, LEXICAL_MAX_TERMS, LexicalHit

# FTS5's bm25() defaults.
K1 = 1.2
B = 0.75
MIN_IDF = 1e-6

_STATISTICS = """
SELECT t.term, t.df, tot.sentences, tot.tokens
FROM lexical_totals tot
LEFT JOIN lexical_terms t ON t.term = ANY(
    ARRAY(SELECT unnest(tsvector_to_array(to_tsvector('english', w))) FROM unnest(%s::text[]) AS w)
)
"""

_BM25 = """
WITH q(term, idf) AS (SELECT * FROM unnest(%(terms)s::text[], %(idfs)s::float8[]))
SELECT s.id, s.paragraph_id,
       sum(q.idf * (tf.n * (%(k1)s + 1)) / (tf.n + %(k1)s * (1 - %(b)s + %(b)s * claimcheck_tokens(s.tsv)
           / %(avgdl)s))) AS score
FROM sentences s
CROSS JOIN LATERAL (SELECT u.lexeme, COALESCE(array_length(u.positions, 1), 1) AS n FROM unnest(s.tsv) u) tf
JOIN q ON q.term = tf.lexeme
WHERE s.tsv @@ %(query)s::tsquery
GROUP BY s.id
ORDER BY score DESC, s.id
LIMIT %(k)s
"""


def _tsquery_lexeme(term: str) -> str:
    """A lexeme quoted for tsquery input, taken as it is (no second stemming)."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


class PostgresLexicalIndex:
    """BM25 over the ``sentences.tsv`` column (the store fills it as it writes sentences)."""

    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    def _statistics(self, words: Sequence[str]) -> tuple[list[tuple[int, str]], int, int]:
        """(document frequency, term) of each query word's lexemes known to the store, and the
        number of sentences and tokens in it."""
        with self._pool.connection() as conn:
            rows = conn.execute(_STATISTICS, (list(words),)).fetchall()
        sentences = int(rows[0][2]) if rows else 0
        tokens = int(rows[0][3]) if rows else 0
        counted = [(int(df), str(term)) for term, df, _, _ in rows if term is not None]
        return counted, sentences, tokens

    def _rare(self, counted: list[tuple[int, str]], sentences: int) -> list[tuple[int, str]]:
        max_df = min(LEXICAL_MAX_DF, max(20, int(LEXICAL_MAX_DF_FRACTION * sentences)))
        return sorted(c for c in counted if c[0] <= max_df)[:LEXICAL_MAX_TERMS]

    def rare_terms(self, words: Sequence[str]) -> list[str]:
        """The query words (Snowball English stems, as ``to_tsvector`` stores them) found in few
        enough sentences, rarest first."""
        counted, sentences, _ = self._statistics(words)
        return [term for _, term in self._rare(counted, sentences)]

    def search(self, words: Sequence[str], k: int) -> list[LexicalHit]:
        """Best ``k`` sentences for the claim's rare words by BM25."""
        if k <= 0 or not words:
            return []
        counted, sentences, tokens = self._statistics(words)
        rare = self._rare(counted, sentences)
        if not rare:
            return []
        idfs = [max(MIN_IDF, math.log((sentences - df + 0.5) / (df + 0.5))) for df, _ in rare]
        terms = [term for _, term in rare]
        params = {
            "terms": terms,
            "idfs": idfs,
            "k1": K1,
            "b": B,
            "avgdl": max(tokens / max(sentences, 1), 1e-9),
            "query": " | ".join(_tsquery_lexeme(t) for t in terms),
            "k": k,
        }
        with self._pool.connection() as conn:
            rows = conn.execute(_BM25, params).fetchall()
        return [LexicalHit(int(sid), int(pid), float(score)) for sid, pid, score in rows]
