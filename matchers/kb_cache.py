"""The validated knowledge base, compiled once and kept on disk, so start-up does not parse and validate YAML
again until something it depends on changes.

The key is a hash of every knowledge file (and the catalogue), of the engine's own source and schema, and of the
Python version: a cache can only be used by the code and the files that wrote it. A stale cache is simply never
looked up again; a corrupt or unreadable one is ignored, removed and rebuilt. `kb validate` always reads the YAML.

Where: $BOT_KB_CACHE_DIR, else $XDG_CACHE_HOME/hybridcall-diag, else ~/.cache/hybridcall-diag; when none can
be written, no cache is kept (every start then reads the YAML, as before). The cache holds pickled objects, so
it lives in the user's own cache directory, never in a shared or world-writable place.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .knowledge_base import KnowledgeBase

log = logging.getLogger(__name__)

KEEP = 8                               # cache files kept (other knowledge bases, other versions)
ENGINE_ROOT = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    configured = os.environ.get("BOT_KB_CACHE_DIR")
    if configured:
        root = Path(configured)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        root = Path(base) / "hybridcall-diag"
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return root if os.access(root, os.W_OK) else None


@lru_cache(maxsize=1)
def _engine_digest() -> bytes:
    """The engine's own source and schema: a cache is only valid for the code that built it."""
    h = hashlib.sha256(sys.version.encode())
    for path in sorted(ENGINE_ROOT.rglob("*.py")) + [ENGINE_ROOT / "kb_schema.json"]:
        h.update(str(path.relative_to(ENGINE_ROOT)).encode())
        h.update(path.read_bytes())
    return h.digest()


def cache_key(root: Path) -> str | None:
    """Hash of everything the compiled base depends on; None when a file cannot be read (no cache then)."""
    h = hashlib.sha256(_engine_digest())
    h.update(str(root.resolve()).encode())
    try:
        for path in sorted(root.rglob("*.y*ml")):
            h.update(str(path.relative_to(root)).encode() + b"\0")
            h.update(path.read_bytes())
    except OSError:
        return None
    return h.hexdigest()


def load(key: str) -> KnowledgeBase | None:
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"kb-{key}.pickle"
    try:
        with path.open("rb") as fh:
            kb = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - any damage to the file means: rebuild it
        log.warning("knowledge-base cache %s unreadable (%s); rebuilding it", path.name, type(exc).__name__)
        path.unlink(missing_ok=True)
        return None
    from .knowledge_base import KnowledgeBase

    return kb if isinstance(kb, KnowledgeBase) else None


def store(key: str, kb: KnowledgeBase) -> None:
    folder = cache_dir()
    if folder is None:
        return
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".kb-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"kb-{key}.pickle")   # readers see the old file or the whole new one
    except Exception as exc:  # noqa: BLE001 - a cache that cannot be written is only a slower start
        log.warning("knowledge-base cache not written (%s)", exc)
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        return
    _prune(folder)


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("kb-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
