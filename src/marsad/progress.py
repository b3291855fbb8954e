"""Progress of a batch on standard error: a bar on a terminal, a periodic line in a log.

On a terminal: a bar with the total (when the inputs can be counted), rate,
ETA and failures so far. When standard error is a file or a pipe (a cron job,
``nohup``, a container log): one line every ``LOG_EVERY_SECONDS`` with the
count, the rate and the failures, and a last line when the batch ends, so a
long run is never silent and a short one adds nothing.
"""
from __future__ import annotations

import sys
import time
from typing import Iterable, Iterator, TextIO, TypeVar

T = TypeVar("T")

# Seconds between two progress lines in a log: often enough to see a stalled
# run within a minute, rarely enough that a day-long run logs ~3,000 lines.
LOG_EVERY_SECONDS = 30.0


def _failed(res: object) -> bool:
    article = getattr(res, "article", None)
    return article is None or bool(getattr(article, "failures", None))


class Progress:
    """Counts results (and inputs skipped before processing) and shows them as this stream allows."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None,
                 tty: bool | None = None, every: float = LOG_EVERY_SECONDS):
        self.label, self.total, self.every = label, total, every
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.done = self.failed = self.skipped = 0
        self.start = self.last = time.monotonic()
        self.logged = False
        self.bar = None
        if self.tty:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=label, unit=" articles", file=self.stream, dynamic_ncols=True)

    def wrap(self, results: Iterable[T]) -> Iterator[T]:
        try:
            for res in results:
                self.advance(_failed(res))
                yield res
        finally:
            self.close()

    def advance(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        if self.bar is not None:
            self.bar.update(1)
            if failed:
                self.bar.set_postfix(failed=self.failed, refresh=False)
            return
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self.logged = True
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def skip(self, n: int = 1) -> None:
        """Inputs accounted for without processing (already stored): they move the bar, not the rate."""
        self.skipped += n
        if self.bar is not None:
            self.bar.update(n)

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        n = self.done + self.skipped
        of = f"/{self.total}" if self.total else ""
        eta = ""
        if self.total and self.done:
            eta = f", ETA {_clock((self.total - n) * elapsed / self.done)}"
        skipped = f", {self.skipped} already done" if self.skipped else ""
        return (f"marsad: {self.label}: {n}{of} articles, {self.done / elapsed:.1f}/s, "
                f"{self.failed} failed{skipped}, {_clock(elapsed)} elapsed{eta}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        elif self.logged:
            self.logged = False
            self.stream.write(self.line() + " (done)\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
