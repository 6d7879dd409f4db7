"""The service following the portal: :func:`~assistant.sync.run.run` in the background.

With ``ASSISTANT_SYNC_URLS`` set, the service syncs them at start-up and then every
``ASSISTANT_SYNC_INTERVAL_S`` seconds; ``POST /api/sync`` starts one at once. One sync
runs at a time, in its own thread, and every index change it makes holds the service's
write lock, so the service stays the single writer of its index: pushed articles and
synced ones never interleave, and questions go on being answered during a sync.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from assistant.core.config import Settings
from assistant.ingest.pipeline import Ingestor
from assistant.sync.run import run
from assistant.sync.state import SyncState

logger = logging.getLogger(__name__)

STOP_WAIT_S = 30.0  # how long shutdown waits for a sync to reach a safe point


class Follower:
    """Runs syncs of the configured (or requested) URLs, one at a time."""

    def __init__(
        self, settings: Settings, ingestor: Ingestor, write_lock: AbstractContextManager[Any]
    ) -> None:
        self.settings = settings
        self.ingestor = ingestor
        self.write_lock = write_lock
        self._busy = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._loop: threading.Thread | None = None
        self._current: threading.Thread | None = None
        self.running_urls: list[str] = []
        self.last: dict[str, Any] | None = None

    # --- control ------------------------------------------------------------------------
    def start(self) -> None:
        """Follow ``sync_urls`` every ``sync_interval_s`` (nothing when either is unset)."""
        if not self.settings.sync_urls or self.settings.sync_interval_s <= 0 or self._loop:
            return
        self._loop = threading.Thread(target=self._follow, name="sync-follow", daemon=True)
        self._loop.start()
        logger.info(
            "Following %d source(s) every %g s",
            len(self.settings.sync_urls),
            self.settings.sync_interval_s,
        )

    def trigger(self, urls: Sequence[str] | None = None) -> bool:
        """Start one sync now in a thread; False when one is already running."""
        targets = list(urls or self.settings.sync_urls)
        if not self._busy.acquire(blocking=False):
            return False
        thread = threading.Thread(
            target=self._run_locked, args=(targets,), name="sync-now", daemon=True
        )
        self._current = thread
        thread.start()
        return True

    def stop(self) -> None:
        """Ask a running sync to stop between two pages and wait for it (bounded)."""
        self._stop.set()
        self._wake.set()
        for thread in (self._current, self._loop):
            if thread is not None and thread.is_alive():
                thread.join(timeout=STOP_WAIT_S)

    @property
    def running(self) -> bool:
        return self._busy.locked()

    def status(self) -> dict[str, Any]:
        """What ``GET /api/sync`` shows: the schedule, the running sync, and the last
        run of every source this index was synced from (kept in the index directory)."""
        state = SyncState(self.settings.index_dir)
        try:
            sources = state.runs()
        finally:
            state.close()
        return {
            "running": self.running,
            "running_urls": self.running_urls if self.running else [],
            "configured_urls": list(self.settings.sync_urls),
            "interval_s": self.settings.sync_interval_s,
            "last": self.last,
            "sources": sources,
        }

    # --- work ---------------------------------------------------------------------------
    def _follow(self) -> None:
        while not self._stop.is_set():
            if self._busy.acquire(blocking=False):
                self._run_locked(list(self.settings.sync_urls))
            self._wake.wait(self.settings.sync_interval_s)
            self._wake.clear()

    def _run_locked(self, urls: list[str]) -> None:
        """One sync; the caller holds ``_busy``. Never raises: a failed sync is logged
        and shown in the status, and the next one is tried at the next interval."""
        started = time.time()
        self.running_urls = urls
        try:
            summary = run(
                urls,
                self.ingestor,
                self.settings,
                write_lock=self.write_lock,
                stop=self._stop,
            )
            logger.info("sync: %s", summary.line(), extra={"fields": {"sync": summary.as_dict()}})
            self.last = {
                "started_at": started,
                "finished_at": time.time(),
                "ok": not summary.failed_sources,
                "summary": summary.as_dict(),
            }
        except Exception as err:  # the service must outlive any sync
            logger.exception("sync failed: %s", err)
            self.last = {
                "started_at": started,
                "finished_at": time.time(),
                "ok": False,
                "error": str(err),
            }
        finally:
            self._busy.release()
