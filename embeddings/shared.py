"""Encode a list of texts on the calling thread and, while it has nothing else to do, a helper's.

Why: ingest runs in two stages on two threads, the language stage (spaCy, frames, terms) and the
vector stage (the encoder, then the writes). Once the parse got cheaper the vector stage alone
bounded ingest while the language thread waited for the next batch, and one POST per document
runs the stages one after the other, so the second core idled through every encoder call. Here the
texts, sorted by length, are cut into chunks; the caller takes chunks from the short end, a task
queued on the helper's executor takes them from the long end once the helper is free, each taking
the next chunk under a lock. Whichever thread is free encodes, neither waits for the other except
for the helper's last chunk in flight, and a helper still busy with its own stage takes nothing.
onnxruntime releases the GIL while it computes and one session serves concurrent calls.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Executor

import numpy as np

from embeddings.backends import BATCH_SIZE
from embeddings.encoder import Encoder, Vectors


def encode_shared(encoder: Encoder, texts: Sequence[str], helper: Executor | None) -> Vectors:
    """``encoder.encode(texts)``, the work shared with ``helper`` when it is idle (rows in input
    order; without a helper, or for one text, a plain call)."""
    if helper is None or len(texts) < 2:
        return encoder.encode(texts)
    # A chunk is one forward pass of the encoder's batch size, or half the texts when that would
    # leave a single chunk, so that two texts can run on two cores.
    chunk = min(BATCH_SIZE, (len(texts) + 1) // 2)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    chunks = deque(order[start : start + chunk] for start in range(0, len(order), chunk))
    lock = threading.Lock()
    out = np.empty((len(texts), encoder.dimension), dtype=np.float32)

    def work(from_long_end: bool) -> None:
        while True:
            with lock:
                if not chunks:
                    return
                rows = chunks.pop() if from_long_end else chunks.popleft()
            out[rows] = encoder.encode([texts[i] for i in rows])

    helping = helper.submit(work, True)
    try:
        work(False)
    finally:
        with lock:
            chunks.clear()  # on an error here, the helper stops after its current chunk
        helping.result()
    return out
