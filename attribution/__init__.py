"""Who said what: attribution frames from a dependency parse (at ingest), and the claim-aware
allegation verdict and denials (at query time, from stored frames only)."""

from attribution.frame import Frame, FrameKind
from attribution.frames import extract_frames
from attribution.verdict import denials_of, frame_for_match

__all__ = ["Frame", "FrameKind", "denials_of", "extract_frames", "frame_for_match"]
