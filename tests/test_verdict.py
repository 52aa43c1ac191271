"""Claim-aware verdicts: which frame (if any) reports the matched words, and who denies them."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from attribution.frame import Frame
from attribution.frames import extract_frames
from attribution.verdict import denials_of, frame_for_match

F16 = (
    "Ankara has backed Azerbaijan in the conflict and on Tuesday the Armenian defense ministry said a "
    "Turkish F-16 flying in support of Baku's forces had downed an Armenian SU-25 warplane."
)
QUOTE = (
    "\"We know that Turkey unambiguously supports Azerbaijan. But that doesn't mean that we are on the other "
    "side and support Armenia against Azerbaijan. It's not like that,\" he said, quoted by the Interfax news "
    "agency."
)
QUOTE_CONTEXT = (
    "Moscow's UN Ambassador Vasily Nebenzya at a briefing Thursday denied that Russia and Turkey backed "
    "different sides in the conflict."
)
NESTED = (
    "On Saturday, the Turkish presidential office said that Erdogan insisted that Yerevan should be "
    "persuaded to sit at the negotiation table. He pointed out that a permanent solution to that "
    "conflict was a key factor for stability in the region, according to the press release."
)
TASS = (
    "Russian President Vladimir Putin informed Turkish President Recep Tayyip Erdogan in a phone call about "
    "phone talks with the leaders of Azerbaijan and Armenia aimed at looking for a solution to the "
    "Nagorno-Karabakh conflict, the Kremlin said on Saturday, TASS reported."
)
YEREVAN = (
    "Yerevan has also accused Ankara of recruiting Islamist fighters in Syria and sending them to fight in "
    "Karabakh on the Azerbaijani side. These claims have been echoed by France and, implicitly, by Russia. "
    "The Turkish and Azerbaijani governments deny them."
)
ERDOGAN = (
    "Turkish President Recep Tayyip has accused the three world powers co-heading the Minsk Group of "
    "supplying weapons to Armenia. Russian officials have rejected Erdogan\u2019s allegations."
)
ARMENIA = (
    "Armenia has always ruled out any Turkish mediation. It maintains that Turkey is directly involved in "
    "the Karabakh war by providing weapons and Turkish military personnel to Azerbaijan."
)


def analyse(nlp: Language, text: str, *context: str) -> tuple[Doc, list[Frame]]:
    doc = nlp(text)
    return doc, extract_frames(doc, [nlp(c) for c in context])


def positions(doc: Doc, words: str, after: str = "") -> list[int]:
    """Start offsets of the tokens of ``words`` (space-separated), searched from ``after`` on."""
    base = doc.text.index(after) if after else 0
    wanted = words.split()
    return [t.idx for t in doc if t.idx >= base and t.text in wanted]


def sentences(doc: Doc) -> list[tuple[int, int]]:
    return [(s.start_char, s.end_char) for s in doc.sents]


def test_outlets_own_clause_is_asserted(nlp):
    doc, frames = analyse(nlp, F16)
    matched = positions(doc, "Ankara backed Azerbaijan conflict")
    assert frame_for_match(matched, frames) is None
    assert frame_for_match(matched, frames) is None


def test_reported_clause_is_the_ministrys_allegation(nlp):
    doc, frames = analyse(nlp, F16)
    matched = positions(doc, "Turkish F-16 downed Armenian SU-25 warplane", after="said")
    frame = frame_for_match(matched, frames)
    assert frame is not None
    assert (frame.kind, frame.cue, frame.speaker) == ("statement", "said", "the Armenian defense ministry")


def test_innermost_speaker_wins_when_both_contain_the_match(nlp):
    doc, frames = analyse(nlp, NESTED)
    frame = frame_for_match(positions(doc, "Yerevan should be persuaded sit negotiation table"), frames)
    assert frame is not None and frame.speaker == "Erdogan" and frame.cue == "insisted"


def test_outer_speaker_wins_when_the_match_covers_the_inner_report(nlp):
    doc, frames = analyse(nlp, NESTED)
    matched = positions(doc, "Erdogan insisted Yerevan persuaded")
    frame = frame_for_match(matched, frames)
    assert frame is not None and frame.speaker == "the Turkish presidential office"


def test_nested_kremlin_inside_tass(nlp):
    doc, frames = analyse(nlp, TASS)
    frame = frame_for_match(positions(doc, "Putin informed Erdogan phone call"), frames)
    assert frame is not None and frame.speaker == "the Kremlin"


def test_quote_over_several_sentences_reports_the_quoted_speaker(nlp):
    doc, frames = analyse(nlp, QUOTE, QUOTE_CONTEXT)
    frame = frame_for_match(positions(doc, "we are on the other side support Armenia"), frames)
    assert frame is not None and frame.cue == "said"
    assert frame.speaker == "Moscow's UN Ambassador Vasily Nebenzya"


def test_hedge_counts_as_allegation(nlp):
    doc, frames = analyse(nlp, "Turkey reportedly sent F-16 jets to Azerbaijan.")
    frame = frame_for_match(positions(doc, "Turkey sent F-16 jets Azerbaijan"), frames)
    assert frame is not None and frame.kind == "hedge"


def frame(content_start: int, content_end: int, kind: str = "statement", cue_start: int = 0) -> Frame:
    return Frame(kind, "said", cue_start, cue_start + 4, None, None, None, content_start, content_end)  # type: ignore[arg-type]


def test_at_least_half_of_the_match_must_be_inside():
    outer = frame(10, 20)
    assert frame_for_match([12, 14, 30, 40], [outer]) is outer
    assert frame_for_match([12, 30, 40], [outer]) is None
    assert frame_for_match([], [outer]) is None


def test_words_matched_in_the_speaker_do_not_count_against_the_frame(nlp):
    # the claim's party named as the source's employer, its act inside the report
    text = 'A spokesman for Norvale AG said that rumours the car-maker was suffering were "absolute rubbish."'
    doc, frames = analyse(nlp, text)
    matched = positions(doc, "Norvale AG suffering")
    frame = frame_for_match(matched, frames)
    assert frame is not None and frame.speaker == "A spokesman for Norvale AG"
    # ... but words matched outside both still do
    assert frame_for_match([*matched, len(text) + 5, len(text) + 9], frames) is None


def test_most_positions_then_smallest_content():
    big, small = frame(0, 100), frame(10, 20)
    assert frame_for_match([12, 15], [big, small]) is small
    assert frame_for_match([12, 15, 50], [big, small]) is big


def test_denial_two_sentences_later_through_an_echo(nlp):
    doc, frames = analyse(nlp, YEREVAN)
    accusation = next(f for f in frames if f.kind == "accusation")
    denials = denials_of(accusation, frames, sentences(doc), doc.text)
    assert [d.speaker for d in denials] == ["The Turkish and Azerbaijani governments"]


def test_denial_of_allegations_in_next_sentence(nlp):
    doc, frames = analyse(nlp, ERDOGAN)
    accusation = next(f for f in frames if f.kind == "accusation")
    denials = denials_of(accusation, frames, sentences(doc), doc.text)
    assert [(d.cue, d.speaker) for d in denials] == [("rejected", "Russian officials")]


def test_a_denial_with_its_own_content_disputes_nothing_else(nlp):
    text = (
        "Armenia denied that it had shelled Ganja. It maintains that Turkey is directly involved in the war."
    )
    doc, frames = analyse(nlp, text)
    maintains = next(f for f in frames if f.cue == "maintains")
    assert denials_of(maintains, frames, sentences(doc), doc.text) == []
    denied = next(f for f in frames if f.kind == "denial")
    assert denials_of(denied, frames, sentences(doc), doc.text) == []


def test_refusing_a_request_is_not_a_denial(nlp):
    _, frames = analyse(nlp, ARMENIA)
    assert not any(f.kind == "denial" for f in frames)


def test_denial_of_an_asserted_sentence(nlp):
    doc, frames = analyse(nlp, "Turkey sent Syrian fighters to Karabakh. Ankara denies this.")
    first = sentences(doc)[0]
    denials = denials_of(first, frames, sentences(doc), doc.text)
    assert [(d.cue, d.speaker) for d in denials] == [("denies", "Ankara")]


@pytest.mark.parametrize(
    "text",
    [
        "Armenia accused Turkey of sending jets. Ankara denied that it had closed the border.",
        "Armenia accused Turkey of sending jets. The fighting went on. Shelling continued. Ankara denied it.",
    ],
)
def test_unrelated_or_distant_denials_are_ignored(nlp, text):
    doc, frames = analyse(nlp, text)
    accusation = next(f for f in frames if f.kind == "accusation")
    assert denials_of(accusation, frames, sentences(doc), doc.text) == []


def test_denial_containing_the_reported_claim(nlp):
    doc, frames = analyse(nlp, "Yerevan rejected Erdogan's claim that Armenia attacked first.")
    claim = next(f for f in frames if f.cue == "claim")
    denials = denials_of(claim, frames, sentences(doc), doc.text)
    assert [d.speaker for d in denials] == ["Yerevan"]


def test_named_enclosing_speaker_beats_a_vague_inner_one(nlp):
    text = (
        'The Russian ministry said both confirmed "readiness for close coordination of the actions of '
        'Russia and Turkey".'
    )
    frames = extract_frames(nlp(text))
    start = text.index("readiness")
    positions = [start, text.index("coordination"), text.index("Russia and"), text.index("Turkey")]
    assert start > 0
    chosen = frame_for_match(positions, frames)
    assert chosen is not None and chosen.speaker == "The Russian ministry"


def test_negated_report_is_the_named_sources_denial(nlp):
    """Claim "Norsk Hydro will close the Karmoy smelter" against "... said it had no plans to close
    its aluminium smelter in Karmoy": Norsk Hydro denies it."""
    doc, frames = analyse(
        nlp, "Norsk Hydro A/S said it had no plans to close its aluminium smelter in Karmoy."
    )
    frame = frame_for_match(positions(doc, "close smelter Karmoy"), frames)
    assert frame is not None
    assert (frame.kind, frame.cue, frame.speaker) == ("denial", "said", "Norsk Hydro A/S")


def test_a_continued_quotation_is_the_quoted_sources_allegation(nlp):
    """The second paragraph of a multi-paragraph quotation is still the source's words."""
    opening = (
        'Norlund said "In view of the conditional nature of the Halvorsen offer, Norlund believes that the '
        "purpose of the offer is to disrupt its planned merger with Apex Corp."
    )
    doc, frames = analyse(
        nlp, '"Halvorsen\'s proposal is an attempt by Peter Lund to block the Apex merger."', opening
    )
    frame = frame_for_match(positions(doc, "Halvorsen proposal attempt Lund block Apex merger"), frames)
    assert frame is not None and frame.speaker == "Norlund"
