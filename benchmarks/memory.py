"""Peak resident memory of this process and all its descendants (worker pools, Ray actors), for the benchmarks."""

from __future__ import annotations

import os
import threading

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss_mb(root: int) -> float:
    """Resident megabytes of ``root`` and every process below it (read from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
            with open(f"/proc/{entry}/statm", encoding="ascii") as f:
                rss[int(entry)] = int(f.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 2**20


class MemorySampler:
    """Samples the tree's RSS in a thread; ``peak`` is the largest total seen (MB), ``mark()`` notes it so far.

    Once a second: each sample reads /proc for every process on the machine. Every 0.2 s that was a third of
    the driver's busy samples under py-spy in a 2-actor Ray run (the driver's CPU fell from about 11% to 9% of a
    core at 1 s), time the 2-worker runs take from their analysis and the 1-worker runs do not (their second
    core is idle). The runs measured
    last minutes and their memory grows over seconds (model loading), so a 1 s sample still sees the peak.
    """

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.peak = 0.0
        self.marks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def mark(self, name: str) -> None:
        self.marks[name] = self.peak

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mb(os.getpid()))
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss_mb(os.getpid()))
