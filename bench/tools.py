"""The shared scorers (``../shared/tools``) loaded as modules, so benchmarks reuse their ingest,
HTTP client and gold matching instead of copying them: they are plain scripts, not a package."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


def load_tool(path: Path, name: str) -> ModuleType:
    """The script at ``path`` executed as module ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
