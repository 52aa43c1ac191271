"""Stance of an evidence sentence towards a claim: supports, refutes, or reports it.

``stance.model`` is the serving side (numpy only, shipped weights); ``stance.train`` fits it offline
from the shared datasets loaded and split by ``stance.data``; ``bench.stance`` prints the held-out
figures computed by ``stance.evaluate``.
"""
