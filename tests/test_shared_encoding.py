"""Encoding shared with an idle helper thread (``embeddings.shared``): the same vectors in the same
order as one call, work actually taken by the helper when it is free, none when it is busy, and an
error on the caller's side that stops both."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from embeddings.encoder import Encoder, Vectors
from embeddings.shared import encode_shared

TEXTS = [f"Sentence {i}: " + " ".join(["the ministry said exports rose"] * (1 + i % 5)) for i in range(40)]


class Recording:
    """An encoder that notes which thread encoded each text (and can fail on one)."""

    def __init__(self, inner: Encoder, fail_on: str | None = None) -> None:
        self._inner = inner
        self._fail_on = fail_on
        self.threads: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        return self._inner.dimension

    @property
    def space(self) -> str:
        return self._inner.space

    def encode(self, texts: Sequence[str]) -> Vectors:
        if self._fail_on in texts:
            raise RuntimeError("encoder failed")
        with self._lock:
            self.threads.update(dict.fromkeys(texts, threading.current_thread().name))
        return self._inner.encode(texts)


@pytest.fixture
def helper() -> Iterator[ThreadPoolExecutor]:
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="helper")
    yield pool
    pool.shutdown(wait=True)


def test_same_vectors_in_input_order_and_the_idle_helper_takes_a_share(fp32_encoder, helper) -> None:
    recording = Recording(fp32_encoder)
    shared = encode_shared(recording, TEXTS, helper)
    alone = fp32_encoder.encode(TEXTS)
    assert shared.shape == alone.shape
    np.testing.assert_allclose(shared, alone, atol=1e-5)
    assert set(recording.threads) == set(TEXTS)
    by_thread = set(recording.threads.values())
    assert threading.current_thread().name in by_thread
    assert any(name.startswith("helper") for name in by_thread)


def test_a_busy_helper_takes_nothing(fp32_encoder, helper) -> None:
    """The helper's own stage runs first; by the time it is free the caller has encoded all."""
    helper.submit(time.sleep, 3.0)
    recording = Recording(fp32_encoder)
    shared = encode_shared(recording, TEXTS[:6], helper)
    np.testing.assert_allclose(shared, fp32_encoder.encode(TEXTS[:6]), atol=1e-5)
    assert set(recording.threads.values()) == {threading.current_thread().name}


def test_an_error_on_the_callers_side_stops_the_helper_too(fp32_encoder, helper) -> None:
    recording = Recording(fp32_encoder, fail_on=TEXTS[0])  # the shortest: the caller's first chunk
    with pytest.raises(RuntimeError, match="encoder failed"):
        encode_shared(recording, TEXTS, helper)
    assert helper.submit(lambda: "free").result(timeout=30) == "free"  # nothing left running


def test_without_a_helper_or_for_one_text_a_plain_call(fp32_encoder, helper) -> None:
    recording = Recording(fp32_encoder)
    encode_shared(recording, TEXTS[:5], None)
    encode_shared(recording, TEXTS[5:6], helper)
    assert set(recording.threads.values()) == {threading.current_thread().name}
