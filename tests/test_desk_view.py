"""The desk page's view model (api.desk_view): wording, grouping and offset-based highlighting.

No models: results and documents are built by hand, shaped as the checker returns them.
"""

from __future__ import annotations

from api.desk_view import (
    CONTEXT_SENTENCES,
    ELLIPSIS,
    badge,
    cited_documents,
    conflict_note,
    outcome,
    paragraph_pieces,
    safe_url,
    story_groups,
    summary_line,
)
from claimcheck.results import (
    Aligned,
    Attribution,
    CheckResult,
    Conflict,
    DocumentView,
    Evidence,
    Match,
    ParagraphView,
    SentenceView,
    Source,
    Story,
    Summary,
)

NO_MATCH = Match(entities=(), figures=(), predicate=None, from_context=(), conflicts=())


def source(
    document_id: str, start: int, end: int, *, paragraph: int = 0, story: str = "s1", **meta
) -> Source:
    fields = {"title": None, "outlet": None, "byline": None, "published": None, "url": None, "agency": None}
    return Source(
        document_id=document_id,
        paragraph=paragraph,
        start=start,
        end=end,
        story_id=story,
        **{**fields, **meta},
    )


def summary(**fields) -> Summary:
    defaults = {
        "independent_stories": 1,
        "asserted_by": (),
        "alleged_by": (),
        "denied_by": (),
        "first_appearance": None,
    }
    return Summary(**{**defaults, **fields})


def evidence(sentence: str, sources: tuple[Source, ...], stories: tuple[Story, ...], **fields) -> Evidence:
    defaults = {
        "score": 0.8,
        "allegation": False,
        "attribution": None,
        "stance": "supports",
        "denied_by": (),
        "agencies_quoted": (),
        "match": NO_MATCH,
    }
    return Evidence(sentence=sentence, sources=sources, stories=stories, **{**defaults, **fields})


def document(document_id: str, sentences: list[str], *, paragraph: int = 0) -> DocumentView:
    """One paragraph of ``sentences`` separated by single spaces, offsets as the store keeps them."""
    views, position = [], 100
    for index, text in enumerate(sentences):
        views.append(SentenceView(index, position, position + len(text), text, ()))
        position += len(text) + 1
    para = ParagraphView(paragraph, 100, position - 1, tuple(views))
    return DocumentView(
        id=document_id,
        title=None,
        outlet=None,
        byline=None,
        published=None,
        url=None,
        story_id="s1",
        agency=None,
        format="text",
        ingested_at="2020-01-01T00:00:00Z",
        paragraphs=(para,),
    )


def span(doc: DocumentView, index: int) -> tuple[int, int]:
    s = doc.paragraphs[0].sentences[index]
    return s.start, s.end


def test_summary_line_names_each_role_and_says_when_no_one_asserts():
    line = summary_line(summary(alleged_by=("the Armenian defense ministry",)))
    assert line == "1 independent story · alleged by the Armenian defense ministry · asserted by no one"


def test_summary_line_plural_lists_and_denials_and_contradictions():
    line = summary_line(
        summary(
            independent_stories=3,
            asserted_by=("Reuters", "AP"),
            alleged_by=("Armenia", "France", "an unnamed source"),
            denied_by=("Turkey",),
            contradicted_by=("TASS",),
        )
    )
    assert line == (
        "3 independent stories · alleged by Armenia, France and an unnamed source · asserted by Reuters "
        "and AP · denied by Turkey · contradicted by TASS"
    )
    assert summary_line(summary(independent_stories=0)) == "0 independent stories · asserted by no one"


def test_highlight_follows_offsets_not_text():
    """The same words twice in a paragraph: only the cited one (by offsets) is marked."""
    doc = document("d", ["Shelling resumed.", "Talks failed.", "Shelling resumed.", "Aid arrived."])
    start, end = span(doc, 2)
    pieces = paragraph_pieces(doc, source("d", start, end), "Shelling resumed.")
    assert [p.text for p in pieces if p.marked] == ["Shelling resumed."]
    assert "".join(p.text for p in pieces) == "Shelling resumed. Talks failed. Shelling resumed. Aid arrived."
    marked_at = next(i for i, p in enumerate(pieces) if p.marked)
    assert "".join(p.text for p in pieces[:marked_at]) == "Shelling resumed. Talks failed. "


def test_long_paragraph_is_cut_around_the_mark():
    sentences = [f"Sentence number {i} says something." for i in range(20)]
    doc = document("d", sentences)
    start, end = span(doc, 10)
    pieces = paragraph_pieces(doc, source("d", start, end), sentences[10])
    text = "".join(p.text for p in pieces)
    assert text.startswith(ELLIPSIS) and text.endswith(ELLIPSIS)
    for i in range(10 - CONTEXT_SENTENCES, 10 + CONTEXT_SENTENCES + 1):
        assert sentences[i] in text
    assert sentences[10 - CONTEXT_SENTENCES - 1] not in text
    assert sentences[10 + CONTEXT_SENTENCES + 1] not in text


def test_missing_document_or_paragraph_falls_back_to_the_sentence():
    pieces = paragraph_pieces(None, source("gone", 0, 10), "Only this.")
    assert [(p.text, p.marked) for p in pieces] == [("Only this.", True)]
    doc = document("d", ["One.", "Two."])
    pieces = paragraph_pieces(doc, source("d", 0, 4, paragraph=7), "One.")
    assert [(p.text, p.marked) for p in pieces] == [("One.", True)]


def test_sources_grouped_by_story_with_first_appearance():
    afp_a = source("a", 0, 9, story="afp", agency="AFP", byline="AFP")
    afp_b = source("b", 0, 9, story="afp", agency="AFP", outlet="The Moscow Times", published="2020-10-01")
    own = source("c", 0, 9, story="own", outlet="Eurasianet", byline="Joshua Kucera")
    stories = (
        Story("afp", "AFP", ("a", "b"), afp_b),
        Story("own", None, ("c",), own),
    )
    groups = story_groups(evidence("x", (afp_a, own, afp_b), stories))
    assert [g.heading for g in groups] == ["Story 1 · AFP · 2 copies", "Story 2 · 1 copy"]
    assert [[s.document_id for s in g.sources] for g in groups] == [["a", "b"], ["c"]]
    assert [s.first for s in groups[0].sources] == [False, True]
    first = groups[0].sources[0]
    assert first.byline is None  # the same as the agency: said once
    assert first.published == "undated" and first.title == "Untitled (a)"
    assert groups[1].sources[0].byline == "Joshua Kucera"


def test_badges_say_who_and_through_which_cue():
    asserted = badge(evidence("x", (), ()), contradicting=False)
    assert (asserted.kind, asserted.label, asserted.speaker) == ("asserted", "Asserted by the outlet", None)
    said = Attribution("the Armenian defense ministry", "said", "statement")
    alleged = badge(evidence("x", (), (), attribution=said, allegation=True), contradicting=False)
    assert (alleged.kind, alleged.label, alleged.speaker, alleged.cue) == (
        "allegation",
        "Allegation",
        "the Armenian defense ministry",
        "said",
    )
    unnamed = badge(
        evidence("x", (), (), attribution=Attribution(None, "accused", "accusation")), contradicting=False
    )
    assert (unnamed.label, unnamed.speaker) == ("Accusation", "unnamed source")
    refuted = badge(evidence("x", (), (), stance="refutes"), contradicting=True)
    assert refuted.kind == "contradiction"


def test_outcome_puts_denials_beside_their_item_and_contradictions_apart():
    doc = document("d", ["Armenia said Turkey sent fighters.", "Ankara denies it.", "Turkey sent no one."])
    s0, s1 = source("d", *span(doc, 0)), source("d", *span(doc, 2))
    supporting = evidence(
        "Armenia said Turkey sent fighters.",
        (s0,),
        (Story("s1", None, ("d",), s0),),
        attribution=Attribution("Armenia", "said", "statement"),
        allegation=True,
        stance="reports",
        denied_by=(Attribution("Ankara", "denies", "denial"),),
        match=Match(
            entities=(Aligned("Turkey", "Turkey"),),
            figures=(),
            predicate=Aligned("deployed", "sent"),
            from_context=(),
            conflicts=(),
        ),
    )
    contra = evidence("Turkey sent no one.", (s1,), (Story("s1", None, ("d",), s1),), stance="refutes")
    result = CheckResult(
        claim="Turkey deployed fighters",
        evidence=(supporting,),
        summary=summary(alleged_by=("Armenia",), denied_by=("Ankara",), contradicted_by=("d",)),
        contradicting=(contra,),
    )
    assert cited_documents(result) == {"d"}
    view = outcome(result, {"d": doc})
    assert not view.empty
    (item,) = view.supporting
    assert [(d.label, d.speaker, d.cue) for d in item.denials] == [("Denied", "Ankara", "denies")]
    assert item.matched == "Turkey · deployed = sent"
    assert [p.text for p in item.paragraph if p.marked] == ["Armenia said Turkey sent fighters."]
    (against,) = view.contradicting
    assert [p.text for p in against.paragraph if p.marked] == ["Turkey sent no one."]
    assert view.summary.endswith("denied by Ankara · contradicted by d")


def test_conflicts_in_words():
    assert (
        conflict_note(Conflict("rose", "fell", "direction")) == "The claim says “rose”, the sentence “fell”"
    )
    assert "Roles reversed" in conflict_note(Conflict("downed", "downed", "roles"))
    assert "did not happen" in conflict_note(Conflict("backed", "backed", "negation"))


def test_empty_outcome():
    view = outcome(CheckResult("Germany imposed sanctions", (), summary(independent_stories=0)), {})
    assert view.empty


def test_only_http_links():
    assert safe_url("https://example.com/a?b=1") == "https://example.com/a?b=1"
    assert safe_url("HTTP://example.com") == "HTTP://example.com"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url(" JavaScript:alert(1)") is None
    assert safe_url("data:text/html,<script>") is None
    assert safe_url(None) is None
    assert safe_url("http://[::1") is None  # unparseable
