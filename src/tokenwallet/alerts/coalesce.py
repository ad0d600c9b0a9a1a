"""Coalescing bursts: the first alert of a topic goes out at once, the rest wait for a summary.

A thousand refused calls in a second must not become a thousand popups or POSTs. Per topic, the
first alert in a window is sent immediately; later ones in the same window are only counted, and
when the window ends one summary goes out ("… and 999 more refused calls in the last 60 s") with
the latest message. A steady stream therefore costs one message per topic per window. Pure logic
with the time passed in, so it is tested without waiting.
"""

from __future__ import annotations

from dataclasses import dataclass

from tokenwallet.alerts.messages import Alert


@dataclass
class _Window:
    opened: float
    held: int = 0
    last: Alert | None = None


class Coalescer:
    """Not thread-safe: each channel owns one and drives it from its own thread."""

    def __init__(self, window_s: float = 60.0) -> None:
        self.window_s = window_s
        self._windows: dict[str, _Window] = {}

    def add(self, alert: Alert, now: float) -> list[Alert]:
        """What to send now: ended windows' summaries, then this alert unless a window holds it."""
        out = self.due(now)
        window = self._windows.get(alert.topic)
        if window is None:
            self._windows[alert.topic] = _Window(now)
            out.append(alert)
        else:
            window.held += 1
            window.last = alert
        return out

    def due(self, now: float) -> list[Alert]:
        """Summaries of windows that have ended; a topic that had one opens a new window."""
        out: list[Alert] = []
        for topic, window in list(self._windows.items()):
            if now - window.opened < self.window_s:
                continue
            if window.held and window.last is not None:
                out.append(window.last.summary(window.held, self.window_s))
                self._windows[topic] = _Window(now)
            else:
                del self._windows[topic]
        return out

    def next_due(self) -> float | None:
        """When the earliest window ends (None: nothing open)."""
        return min((w.opened + self.window_s for w in self._windows.values()), default=None)
