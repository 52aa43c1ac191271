"""The spaCy pipeline as loaded for the service: its matrix products through numpy, its analyses
those of thinc's default (blis) path, on the seed articles and on claims."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Model

from corpus.nlp import load_pipeline
from corpus.parse import parse_document

CLAIMS = [
    "A Turkish F-16 downed an Armenian SU-25",
    "Azerbaijan denies that its forces shelled Stepanakert",
    "The fighting broke out on September 27",
]


def _analyses(docs: list[Doc]) -> list[tuple[str, str, int, str, str, str, bool]]:
    return [
        (t.tag_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_, t.lemma_, bool(t.is_sent_start))
        for doc in docs
        for t in doc
    ]


@pytest.fixture(scope="module")
def blis_nlp() -> Language:
    return load_pipeline(matmul="blis")


def test_every_layer_multiplies_through_numpy(nlp: Language) -> None:
    """Layers keep the ops they were built with: the loader must have reached all of them."""
    layers = [
        node
        for _, component in nlp.pipeline
        if isinstance(model := getattr(component, "model", None), Model)
        for node in model.walk()
    ]
    assert len(layers) > 50
    assert not [node.name for node in layers if getattr(node.ops, "use_blis", False)]


def test_numpy_and_blis_products_give_the_same_analyses(
    nlp: Language, blis_nlp: Language, seed_texts: dict[str, str]
) -> None:
    """A faster backend that changed a tag, a head or an entity would change what is indexed."""
    paragraphs = [p.text for text in seed_texts.values() for p in parse_document(text).paragraphs]
    texts = paragraphs + CLAIMS
    ours = _analyses(list(nlp.pipe(texts)))
    theirs = _analyses(list(blis_nlp.pipe(texts)))
    assert len(ours) > 1_500
    assert ours == theirs


def test_a_bracketed_name_is_parsed_as_an_aside_and_kept_as_written(nlp: Language) -> None:
    """The wire's "<Harwick-Vale Co>" breaks en_core_web_sm's parse of the clause (the cue loses its
    speaker); parsed as "(Harwick-Vale Co)", the Doc still holds the brackets the story wrote."""
    from attribution.frames import extract_frames
    from corpus.nlp import parse_as_written

    text = (
        '<Harwick-Vale Co>, producer of "The Quillon Show," said it filed suit against Norvale'
        " International Inc, seeking assurances that it will receive its share of revenues."
    )
    assert [f.speaker for f in extract_frames(nlp(text))] == [None]
    (doc,) = parse_as_written(nlp, [text], 1)
    assert doc.text == text
    assert [f.speaker for f in extract_frames(doc)] == ["<Harwick-Vale Co>"]
