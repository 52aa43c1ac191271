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

from collections.abc import Sequence

from psycopg_pool import ConnectionPool

from store.lexical import LEXICAL_MAX_DF, LEXICAL_MAX_DF_FRACTION, LEXICAL_MAX_TERMS, LexicalHit
from store.pg_connection import connection

# FTS5's bm25() defaults.
K1 = 1.2
B = 0.75
MIN_IDF = 1e-6

# The query words' lexemes known to the store with their document frequency, rarest first, limited
# as the SQLite store limits them (``store.lexical``).
_RARE = """
WITH tot AS (SELECT sentences, tokens FROM lexical_totals),
words AS (
    SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('english', w))) AS term
    FROM unnest(%(words)s::text[]) AS w
),
rare AS (
    SELECT t.term, t.df FROM lexical_terms t JOIN words USING (term), tot
    WHERE t.df <= LEAST(%(max_df)s, GREATEST(20, floor(%(fraction)s * tot.sentences)))
    ORDER BY t.df, t.term COLLATE "C"
    LIMIT %(max_terms)s
)
"""

# BM25 of the sentences holding any rare word, all in one statement: one round trip a search. The
# tsquery is built from the lexemes as they are (quoted for tsquery input, never stemmed again).
_SEARCH = (
    _RARE
    + r""",
q AS (
    SELECT rare.term, GREATEST(%(min_idf)s, ln((tot.sentences - rare.df + 0.5) / (rare.df + 0.5))) AS idf
    FROM rare, tot
),
avg AS (SELECT GREATEST(tokens::float8 / GREATEST(sentences, 1), 1e-9) AS dl FROM tot)
SELECT s.id, s.paragraph_id,
       sum(q.idf * (tf.n * (%(k1)s + 1))
           / (tf.n + %(k1)s * (1 - %(b)s + %(b)s * claimcheck_tokens(s.tsv) / (SELECT dl FROM avg)))) AS score
FROM sentences s
CROSS JOIN LATERAL (SELECT u.lexeme, COALESCE(array_length(u.positions, 1), 1) AS n FROM unnest(s.tsv) u) tf
JOIN q ON q.term = tf.lexeme
WHERE s.tsv @@ (
    SELECT string_agg('''' || replace(replace(term, E'\\', E'\\\\'), '''', '''''') || '''', ' | ')::tsquery
    FROM q
)
GROUP BY s.id
ORDER BY score DESC, s.id
LIMIT %(k)s
"""
)


class PostgresLexicalIndex:
    """BM25 over the ``sentences.tsv`` column (the store fills it as it writes sentences)."""

    def __init__(self, pool: ConnectionPool, name: str) -> None:
        self._pool = pool
        self._name = name

    @staticmethod
    def _params(words: Sequence[str]) -> dict[str, object]:
        return {
            "words": list(words),
            "max_df": LEXICAL_MAX_DF,
            "fraction": LEXICAL_MAX_DF_FRACTION,
            "max_terms": LEXICAL_MAX_TERMS,
        }

    def rare_terms(self, words: Sequence[str]) -> list[str]:
        """The query words (Snowball English stems, as ``to_tsvector`` stores them) found in few
        enough sentences, rarest first."""
        query = _RARE + 'SELECT term FROM rare ORDER BY df, term COLLATE "C"'
        with connection(self._pool, self._name) as conn:
            return [str(r[0]) for r in conn.execute(query, self._params(words)).fetchall()]

    def search(self, words: Sequence[str], k: int) -> list[LexicalHit]:
        """Best ``k`` sentences for the claim's rare words by BM25."""
        if k <= 0 or not words:
            return []
        params = {**self._params(words), "min_idf": MIN_IDF, "k1": K1, "b": B, "k": k}
        with connection(self._pool, self._name) as conn:
            rows = conn.execute(_SEARCH, params).fetchall()
        return [LexicalHit(int(sid), int(pid), float(score)) for sid, pid, score in rows]
