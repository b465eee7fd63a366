"""The running tally of a batch on stderr: done, failed, mean score and time left.

On a terminal it is one line redrawn in place; otherwise (a log, CI) one line
per finished student, so the log tells what happened to whom.
"""

from __future__ import annotations

import sys
import time

from autograder.reporters import clean


class Progress:
    def __init__(self, total: int, already: list[dict], stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.total, self.done, self.failed = total, 0, 0
        self.scores: list[float] = []
        self.max_score = 0.0
        for record in already:
            self._count(record)
        self.graded_now = 0
        self.start = time.monotonic()

    def _count(self, record: dict) -> None:
        self.done += 1
        if record.get("error"):
            self.failed += 1
        else:
            self.scores.append(float(record["score"]))
            self.max_score = float(record["max_score"])

    def update(self, record: dict) -> None:
        self._count(record)
        self.graded_now += 1
        line = self.line()
        if self.tty:
            self.stream.write("\r" + line.ljust(79))
        else:
            outcome = f"error: {record['error']}" if record.get("error") else \
                f"{record['score']:g} / {record['max_score']:g}"
            self.stream.write(clean.line(f"{line}  ({record['student_id']}: {outcome})") + "\n")
        self.stream.flush()

    def say(self, text: str) -> None:
        """One line of its own (on a terminal, above the redrawn tally)."""
        self.stream.write(clean.line(text) + "\n")
        self.stream.flush()

    def line(self) -> str:
        mean = f"{sum(self.scores) / len(self.scores):.1f} / {self.max_score:g}" if self.scores else "-"
        return (f"[{self.done}/{self.total}] graded {self.done - self.failed}, failed {self.failed}, "
                f"mean {mean}, ETA {self.eta()}")

    def eta(self) -> str:
        left = self.total - self.done
        if left == 0:
            return "0:00"
        if not self.graded_now:
            return "?"
        seconds = int((time.monotonic() - self.start) / self.graded_now * left)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
