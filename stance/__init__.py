"""Stance of an evidence sentence towards a claim: supports, refutes, or reports it.

``stance.decision`` decides it (rules first, then the learned model when it is confident);
``stance.model`` is the learned model's serving side (numpy only, shipped weights) and
``stance.features`` its pair features. Training lives outside the runtime package, in
``training.stance``; the held-out figures come from ``bench.stance``.
"""

from stance.decision import StanceClassifier, StanceJudge, negation_conflict
from stance.model import Stance, StanceModel

__all__ = ["Stance", "StanceClassifier", "StanceJudge", "StanceModel", "negation_conflict"]
