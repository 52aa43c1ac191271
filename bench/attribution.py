"""Attribution quality of the real ingest analysis, measured on PolNeAR and CoNLL-2010 weasel words.

Why this exists: the allegation flag rests on attribution frames (cue, speaker, content) found at
ingest; the seeds test them sentence by sentence, this measures them on newswire the rules were not
written for.

**Method** (code path, speech acts, matching rules for cue, source and content): the module
docstring of :mod:`evaluation.attribution`, which both this benchmark and the test floors call.

**Hedges.** ``wiki-weasel-conll2010`` (label 1 = the sentence holds a weasel/hedge cue). A sentence
is predicted uncertain when :func:`evaluation.attribution.sentence_is_hedged` finds a hedge frame or a
hedge cue in it. The PTB tokenisation (-LRB-, ``, '') is undone before spaCy. The lexicon was
tuned on ``train.csv`` only; the figures are on ``test.csv``.

**Speed.** Sentences per second through ``analyse_paragraphs`` (spaCy ``nlp.pipe`` + sentence
repair + frames; no encoder) on the scored split, one process, and the share of time spent in
frame extraction alone.

Run: ``.venv/bin/python -m bench.attribution --split test`` (``--split dev``/``train`` to tune;
``--limit N`` articles; ``--no-hedges``; ``--errors N`` prints missed/spurious cues).

The scoring itself is :mod:`evaluation.attribution`, shared with the test suite's floors.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from evaluation.attribution import polnear_report, run_polnear, run_weasel


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="test", choices=("train", "dev", "test"))
    parser.add_argument("--limit", type=int, default=None, help="first N articles of the split")
    parser.add_argument("--no-hedges", action="store_true")
    parser.add_argument("--no-polnear", action="store_true")
    parser.add_argument("--hedge-split", default=None, help="wiki-weasel split (default: test for test)")
    parser.add_argument("--errors", type=int, default=0, help="print N missed and N spurious cues")
    args = parser.parse_args(argv)

    from corpus.nlp import load_pipeline

    nlp = load_pipeline()
    if not args.no_polnear:
        scores = run_polnear(args.split, nlp, args.limit)
        report = polnear_report(args.split, scores)
        print(
            f"PolNeAR {args.split}: {scores.gold_speech} speech-act attributions, "
            f"{scores.predicted} predicted frames (non-hedge), {scores.sentences} sentences"
        )
        print(
            f"  cue      P {report['cue_p']:.3f}  R {report['cue_r']:.3f}  F1 {report['cue_f']:.3f}"
            f"   (P nested-excl {report['cue_p_nested_excl']:.3f}, F1 {report['cue_f_nested_excl']:.3f})"
        )
        print(
            f"  source   P {report['source_p']:.3f}  R {report['source_r']:.3f}  F1 {report['source_f']:.3f}"
        )
        print(
            f"  content  P {report['content_p']:.3f}  R {report['content_r']:.3f}"
            f"  F1 {report['content_f']:.3f}"
            "   (>= 50% of gold content chars)"
        )
        print(
            f"  speed    {report['sentences_per_s']:.0f} sentences/s (spaCy + frames), "
            f"frame extraction {100 * report['frame_share']:.1f}% of it"
        )
        for name, context in scores.missed[: args.errors]:
            print("MISSED  ", name[:30], context)
        for name, context in scores.spurious[: args.errors]:
            print("SPURIOUS", name[:30], context)
    if not args.no_hedges:
        split = args.hedge_split or ("test" if args.split == "test" else "train")
        hedge = run_weasel(split, nlp, args.limit * 20 if args.limit else None)
        print(
            f"wiki-weasel {split} ({hedge['n']:.0f} sentences): hedge P {hedge['hedge_p']:.3f}  "
            f"R {hedge['hedge_r']:.3f}  F1 {hedge['hedge_f']:.3f}"
        )


if __name__ == "__main__":
    main()
