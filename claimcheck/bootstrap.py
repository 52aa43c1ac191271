"""Process start-up: thread pools, models, data directory, seed corpus."""

from __future__ import annotations

import logging
import os

from claimcheck.checker import Checker
from claimcheck.evidence import LearnedStance
from claimcheck.settings import Settings
from stance.model import StanceModel

log = logging.getLogger("claimcheck")


def open_checker(settings: Settings) -> Checker:
    """Everything a serving process needs, in order; seeds go into an empty store only."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from corpus.nlp import load_pipeline
    from embeddings.backends import load_encoder
    from embeddings.encoder import configure_threads

    configure_threads(settings.torch_threads, settings.faiss_threads)
    cache = settings.model_cache or settings.data_dir / "models"
    encoder = load_encoder(settings.encoder_backend, cache, settings.torch_threads)
    checker = Checker.open(
        settings.data_dir,
        encoder,
        load_pipeline(),
        claim_nlp=load_pipeline(),
        stance_predictor=LearnedStance(StanceModel.load()),
    )
    if checker.store.document_count() == 0 and settings.seeds_dir is not None and settings.seeds_dir.is_dir():
        seeds = sorted(p for p in settings.seeds_dir.iterdir() if p.is_file() and not p.name.startswith("."))
        results = checker.ingest_files(seeds)
        checker.save()
        log.info("ingested %d seed documents from %s", len(results), settings.seeds_dir)
    return checker
