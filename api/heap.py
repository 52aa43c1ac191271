"""Keep the loaded models out of the garbage collector's full passes.

Why: once the spaCy pipelines, the encoder session and the index are loaded, a serving process holds
~330,000 objects tracked by Python's cyclic collector (Reuters store, measured with
``gc.get_objects()``), and a full (generation 2) collection walks every one of them while holding the
GIL: 297 to 351 ms on this 2-core machine, every thread stalled, the event loop included. Those objects
live as long as the process, so walking them finds nothing. ``gc.freeze()`` moves them to the
permanent generation: a full collection then costs ~1 ms (measured in the same process, README,
"Performance"). Reference counting still frees frozen objects; only cycle detection skips them.

The heap is collected once before freezing, so the loader's own cyclic garbage is not kept for the
life of the process; :func:`thaw` gives the objects back to the collector when the models are closed,
so a process that opens and closes apps (the tests) does not keep their cycles.
"""

from __future__ import annotations

import gc


def freeze_loaded() -> int:
    """Collect, then freeze everything alive now; returns how many objects were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def thaw() -> None:
    """Return the frozen objects to the oldest generation, where full collections see them again."""
    gc.unfreeze()
