"""A short "Reading your bundle (name, size)…" note, posted in the thread only when downloading, reading and
diagnosing a message's files takes longer than a threshold, so a quick answer comes alone.

The note is posted from a timer thread while the job works; the job waits for that post to finish before it
posts the answer, so the note always comes first. A threshold of 0 posts the note at once (no timer), which is
what tests use instead of sleeping.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from matchers.evidence.archives import EXTENSIONS as ARCHIVE_EXTENSIONS
from matchers.evidence.archives import human_size

log = logging.getLogger(__name__)

FileInfo = tuple[str, int | None]   # name, size in bytes when known


def _kind(name: str) -> str:
    return "bundle" if name.lower().endswith(ARCHIVE_EXTENSIONS) else "file"


def reading_note(files: Sequence[FileInfo | None]) -> str:
    """The note's text.

    >>> reading_note([("diag.tar.gz", 48 * 1024 * 1024)])
    'Reading your bundle (diag.tar.gz, 48 MB)…'
    >>> reading_note([("expe.log", 2048), ("capture.pcap", None)])
    'Reading your files (expe.log, 2 KB; capture.pcap)…'
    >>> reading_note([None])
    'Reading your attachment…'
    """
    known = [f for f in files if f is not None]
    if not known:
        return "Reading your attachment…"
    described = "; ".join(name + (f", {human_size(size)}" if size is not None else "") for name, size in known)
    what = _kind(known[0][0]) if len(known) == 1 else "files"
    return f"Reading your {what} ({described})…"


class ProgressNote:
    def __init__(self, after: float, post: Callable[[], None]) -> None:
        self.after = after
        self._post = post
        self._lock = threading.Lock()
        self.posted = False

    def _fire(self) -> None:
        with self._lock:
            if self.posted:
                return
            try:
                self._post()
                self.posted = True
            except Exception:  # noqa: BLE001 - a note that cannot be posted must not cost the answer
                log.warning("could not post the progress note", exc_info=True)

    @contextmanager
    def running(self, enabled: bool = True) -> Iterator[None]:
        """Post the note if the block takes longer than `after` seconds; on leaving, wait for a note being
        posted, so whatever comes next comes after it."""
        if not enabled:
            yield
            return
        if self.after <= 0:
            self._fire()
            yield
            return
        timer = threading.Timer(self.after, self._fire)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
            timer.join()
