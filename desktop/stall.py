"""Measures how long the UI event loop goes without running (the responsiveness figure)."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Slot


class StallMeter(QObject):
    """A 5 ms heartbeat on the UI thread; a late beat means the loop was blocked that long."""

    def __init__(self, interval_ms: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.gaps_ms: list[float] = []
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        """Begin measuring (clears earlier figures)."""
        self.gaps_ms.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        """Stop measuring."""
        self._timer.stop()

    @Slot()
    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        self.gaps_ms.append((now - self._last) * 1000)
        self._last = now

    @property
    def beats(self) -> int:
        """Heartbeats seen."""
        return len(self.gaps_ms)

    @property
    def longest_stall_ms(self) -> float:
        """The longest time between two beats, minus the beat interval."""
        return max(self.gaps_ms, default=0.0) - self.interval_ms

    def percentile_ms(self, q: float) -> float:
        """The q-quantile (0..1) of the gaps, minus the beat interval."""
        if not self.gaps_ms:
            return 0.0
        ordered = sorted(self.gaps_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] - self.interval_ms
