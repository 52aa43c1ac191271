"""Scoring attribution frames against PolNeAR and hedge detection against CoNLL-2010 weasel words.

Shared by ``bench/attribution.py`` (the full figures) and the test suite (floors on a sample), so
that both compute the same thing.

**Code path.** Each PolNeAR raw article goes through ``corpus.parse.parse_document(text, "text")``
and ``claimcheck.ingest.analyse_paragraphs`` (the language stage that ingest runs), whose frames
are already in offsets of the raw text, exactly as they are stored. Gold spans are the brat
standoff offsets into the same raw text; a discontinuous brat span counts as the union of its pieces. One
annotator per article (the first
alphabetically), as in ``polnear_sentences.jsonl``.

**Speech acts.** PolNeAR annotates beliefs, intentions and "polls show" as attributions too. The
benchmark scores the *speech-act* attributions: a gold attribution whose cue contains a verb whose
lemma (spaCy, on the cue text alone) is in :data:`SPEECH_LEMMAS`, or whose cue contains "according
to", "in a statement", or is a bare ":" introducing a quotation.

**Matching** (one-to-one, greedy in text order; a prediction is paired with the first unpaired
gold attribution whose cue it overlaps, speech acts first). Predictions are all frames except
source-less hedges ("reportedly", "is said to"), which PolNeAR does not annotate as a rule:

* *cue*: the predicted cue span overlaps the gold cue span by at least one character.
  Recall = paired speech-act gold attributions / speech-act gold attributions. Precision =
  paired predictions / predictions. A prediction paired with a non-speech gold attribution
  (e.g. "believe") counts as correct for precision and is left out of recall. PolNeAR is
  univocal (a token belongs to at most one attribution), so a nested report ("the office said
  that Erdogan insisted ...") can only be annotated once: ``P nested-excl`` also leaves out of
  the precision denominator the unpaired predictions whose cue lies inside a gold content span.
  Gold attributions in text the parser drops (headlines kept as the title, boilerplate) count
  as missed: the benchmark scores the service, not the rules alone.
* *source*: the predicted speaker span (the pronoun's own span for "he said") overlaps the gold
  source span in at least 50% of the gold source's characters AND at least 50% of the predicted
  span's characters (no head rule). A gold attribution without a source matches a prediction
  without a speaker. P = matches / cue-paired speech-act predictions, R = matches / speech-act
  gold attributions.
* *content*: the predicted content span covers at least 50% of the gold content's characters.
  Reported like source (P over paired predictions, R over all speech-act gold attributions).

**Hedges.** ``wiki-weasel-conll2010`` (label 1 = the sentence holds a weasel/hedge cue). A sentence
is predicted uncertain when :func:`sentence_is_hedged` finds a hedge frame or a hedge cue in it.
The PTB tokenisation (-LRB-, ``, '') is undone before spaCy. The lexicon was tuned on ``train.csv`` only;
the figures are on ``test.csv``.

**Speed.** Sentences per second through ``analyse_paragraphs`` (spaCy ``nlp.pipe`` + sentence
repair + frames; no encoder) on the scored split, one process, and the share of time spent in
frame extraction alone.
"""

from __future__ import annotations

import csv
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as TokenSpan

from attribution.frame import Frame
from attribution.frames import extract_frames
from attribution.hedges import hedge_cues
from claimcheck.ingest import analyse_paragraphs
from corpus.parse import parse_document

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
POLNEAR = SHARED / "polnear" / "data"
WEASEL = SHARED / "wiki-weasel-conll2010"

SPEECH_LEMMAS = frozenset(
    """
    say tell add accuse allege claim deny reject dismiss charge blame report state announce insist
    maintain warn write argue explain confirm declare assert acknowledge admit note tweet respond
    reply quote testify contend repeat reiterate stress emphasize concede suggest predict recall
    complain boast promise pledge vow inform comment remark mention reveal disclose
    """.split()  # noqa: SIM905
)
"""Gold cue lemmas that make an attribution a speech act (reporting verbs, not beliefs or wishes)."""

SPEECH_PHRASES = ("according to", "in a statement")

Span = tuple[int, int]


@dataclass
class Gold:
    cue: list[Span]
    source: list[Span]
    content: list[Span]
    cue_text: str
    speech: bool = False


@dataclass
class Article:
    name: str
    text: str
    golds: list[Gold]


@dataclass
class Scores:
    gold_speech: int = 0
    predicted: int = 0
    paired: int = 0
    paired_speech: int = 0
    nested_unpaired: int = 0
    source_ok: int = 0
    content_ok: int = 0
    sentences: int = 0
    seconds: float = 0.0
    frame_seconds: float = 0.0
    missed: list[tuple[str, str]] = field(default_factory=list)
    spurious: list[tuple[str, str]] = field(default_factory=list)


# --------------------------------------------------------------------------- data


def _spans(field_text: str) -> list[Span]:
    """brat "a b;c d" -> [(a, b), (c, d)]."""
    out = []
    for piece in field_text.split(";"):
        a, b = piece.split()
        out.append((int(a), int(b)))
    return out


def _read_ann(path: Path) -> list[Gold]:
    spans: dict[str, tuple[str, list[Span], str]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (label, _spans(offsets), parts[2] if len(parts) > 2 else "")
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(item.split(":", 1) for item in parts[1].split())
            events.append(roles)
    golds = []
    for roles in events:
        cue = spans.get(roles.get("Cue", ""))
        if cue is None:
            continue
        source = spans.get(roles.get("Source", ""))
        content = spans.get(roles.get("Content", ""))
        golds.append(Gold(cue[1], source[1] if source else [], content[1] if content else [], cue[2]))
    return golds


def load_split(split: str, limit: int | None = None) -> list[Article]:
    text_dir = POLNEAR / split / "text"
    ann_dir = POLNEAR / split / "attributions"
    articles = []
    for text_path in sorted(text_dir.glob("*.txt"))[:limit]:
        anns = sorted(ann_dir.glob(f"{text_path.stem}_*.ann"))
        if not anns:
            continue
        text = text_path.read_text(encoding="utf-8")
        articles.append(Article(text_path.stem, text, _read_ann(anns[0])))
    return articles


def mark_speech_acts(articles: Sequence[Article], nlp: Language) -> None:
    """Set ``Gold.speech`` from the gold cue's lemmas (spaCy on the cue text alone, cached)."""
    cues = sorted({g.cue_text for a in articles for g in a.golds})
    lemmas = {
        text: {t.lemma_.lower() for t in doc}
        for text, doc in zip(cues, nlp.pipe(cues, batch_size=256), strict=True)
    }
    for article in articles:
        for gold in article.golds:
            lowered = gold.cue_text.lower().strip()
            gold.speech = (
                lowered == ":"
                or any(p in lowered for p in SPEECH_PHRASES)
                or bool(lemmas[gold.cue_text] & SPEECH_LEMMAS)
            )


# --------------------------------------------------------------------------- scoring


def _overlap(a: Iterable[Span], b: Iterable[Span]) -> int:
    b = list(b)
    return sum(max(0, min(x1, y1) - max(x0, y0)) for x0, x1 in a for y0, y1 in b)


def _length(spans: Iterable[Span]) -> int:
    return sum(e - s for s, e in spans)


def source_matches(frame: Frame, gold: Gold) -> bool:
    if frame.speaker_start is None or frame.speaker_end is None:
        return not gold.source
    if not gold.source:
        return False
    predicted = [(frame.speaker_start, frame.speaker_end)]
    shared = _overlap(predicted, gold.source)
    return 2 * shared >= _length(gold.source) and 2 * shared >= _length(predicted)


def content_matches(frame: Frame, gold: Gold) -> bool:
    if not gold.content:
        return False
    return 2 * _overlap([(frame.content_start, frame.content_end)], gold.content) >= _length(gold.content)


def predict(article: Article, nlp: Language) -> tuple[list[Frame], int]:
    (paragraphs,) = analyse_paragraphs([parse_document(article.text, "text")], nlp)
    frames = [f for p in paragraphs for f in p.frames]
    return frames, sum(len(p.sentences) for p in paragraphs)


def score_article(article: Article, frames: list[Frame], scores: Scores) -> None:
    golds = article.golds
    scores.gold_speech += sum(g.speech for g in golds)
    taken: set[int] = set()
    predictions = sorted(
        (f for f in frames if f.kind != "hedge" or f.speaker_start is not None), key=lambda f: f.cue_start
    )
    for frame in predictions:
        scores.predicted += 1
        cue = [(frame.cue_start, frame.cue_end)]
        candidates = [i for i, g in enumerate(golds) if i not in taken and _overlap(cue, g.cue) > 0]
        candidates.sort(key=lambda i: not golds[i].speech)
        if not candidates:
            if any(_overlap(cue, g.content) > 0 for g in golds):
                scores.nested_unpaired += 1
            else:
                scores.spurious.append((article.name, _context(article.text, frame.cue_start, frame.cue_end)))
            continue
        index = candidates[0]
        taken.add(index)
        scores.paired += 1
        gold = golds[index]
        if gold.speech:
            scores.paired_speech += 1
            scores.source_ok += source_matches(frame, gold)
            scores.content_ok += content_matches(frame, gold)
    for i, gold in enumerate(golds):
        if gold.speech and i not in taken:
            a, b = gold.cue[0]
            scores.missed.append((article.name, _context(article.text, a, b)))


def _context(text: str, start: int, end: int, width: int = 90) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def _prf(tp: float, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def run_polnear(split: str, nlp: Language, limit: int | None = None, time_frames: bool = True) -> Scores:
    articles = load_split(split, limit)
    mark_speech_acts(articles, nlp)
    scores = Scores()
    for article in articles:
        started = time.perf_counter()
        frames, sentences = predict(article, nlp)
        scores.seconds += time.perf_counter() - started
        scores.sentences += sentences
        score_article(article, frames, scores)
    if time_frames:
        scores.frame_seconds = _frame_seconds(articles, nlp)
    return scores


def _frame_seconds(articles: Sequence[Article], nlp: Language) -> float:
    """Time spent in extract_frames alone, on Docs parsed beforehand."""
    docs = [
        list(nlp.pipe([p.text for p in parse_document(a.text, "text").paragraphs], batch_size=64))
        for a in articles
    ]
    started = time.perf_counter()
    for paragraph_docs in docs:
        for i, doc in enumerate(paragraph_docs):
            extract_frames(doc, paragraph_docs[max(0, i - 2) : i])
    return time.perf_counter() - started


def polnear_report(split: str, scores: Scores) -> dict[str, float]:
    cue_p, cue_r, cue_f = _prf(scores.paired, scores.predicted, scores.gold_speech)
    nested_p = scores.paired / max(1, scores.predicted - scores.nested_unpaired)
    # Recall counts only speech-act gold; precision counts pairs with any gold attribution.
    cue_r = scores.paired_speech / scores.gold_speech if scores.gold_speech else 0.0
    cue_f = 2 * cue_p * cue_r / (cue_p + cue_r) if cue_p + cue_r else 0.0
    nested_f = 2 * nested_p * cue_r / (nested_p + cue_r) if nested_p + cue_r else 0.0
    src_p = scores.source_ok / scores.paired_speech if scores.paired_speech else 0.0
    src_r = scores.source_ok / scores.gold_speech if scores.gold_speech else 0.0
    src_f = 2 * src_p * src_r / (src_p + src_r) if src_p + src_r else 0.0
    con_p = scores.content_ok / scores.paired_speech if scores.paired_speech else 0.0
    con_r = scores.content_ok / scores.gold_speech if scores.gold_speech else 0.0
    con_f = 2 * con_p * con_r / (con_p + con_r) if con_p + con_r else 0.0
    return {
        "cue_p": cue_p,
        "cue_r": cue_r,
        "cue_f": cue_f,
        "cue_p_nested_excl": nested_p,
        "cue_f_nested_excl": nested_f,
        "source_p": src_p,
        "source_r": src_r,
        "source_f": src_f,
        "content_p": con_p,
        "content_r": con_r,
        "content_f": con_f,
        "sentences_per_s": scores.sentences / scores.seconds if scores.seconds else 0.0,
        "frame_share": scores.frame_seconds / scores.seconds if scores.seconds else 0.0,
    }


# --------------------------------------------------------------------------- hedges


def sentence_is_hedged(sentence: TokenSpan | Doc, frames: Sequence[Frame]) -> bool:
    """Whether a sentence is hedged: a hedge frame has its cue in it, or it holds a hedge cue.

    ``frames`` are the frames of the paragraph the sentence belongs to (paragraph offsets).
    """
    start, end = (
        (0, len(sentence.text)) if isinstance(sentence, Doc) else (sentence.start_char, sentence.end_char)
    )
    if any(f.kind == "hedge" and start <= f.cue_start < end for f in frames):
        return True
    return bool(hedge_cues(sentence))


_PTB = [("-LRB-", "("), ("-RRB-", ")"), ("-LSB-", "["), ("-RSB-", "]"), ("``", '"'), ("''", '"')]


def detokenize(text: str) -> str:
    text = text.strip()
    for ptb, plain in _PTB:
        text = text.replace(ptb, plain)
    text = re.sub(r" ([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    return re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)


def load_weasel(split: str, limit: int | None = None) -> list[tuple[str, int]]:
    with (WEASEL / f"{split}.csv").open(encoding="utf-8", newline="") as handle:
        rows = [(detokenize(r["text"]), int(r["label"])) for r in csv.DictReader(handle)]
    if limit is None or limit >= len(rows):
        return rows
    step = len(rows) / limit  # the files are grouped by label: sample evenly over the whole file
    return [rows[int(i * step)] for i in range(limit)]


def run_weasel(split: str, nlp: Language, limit: int | None = None) -> dict[str, float]:
    rows = load_weasel(split, limit)
    tp = fp = fn = 0
    for (_, label), doc in zip(rows, nlp.pipe([t for t, _ in rows], batch_size=256), strict=True):
        predicted = sentence_is_hedged(doc, extract_frames(doc))
        tp += predicted and label == 1
        fp += predicted and label == 0
        fn += (not predicted) and label == 1
    p, r, f = _prf(tp, tp + fp, tp + fn)
    return {"hedge_p": p, "hedge_r": r, "hedge_f": f, "n": len(rows)}
