"""What a command could not read, per file: records skipped, files cut short.

``pipeline stats`` reads on past damage (a bad CRC, a record that is not an
Example, a CSV row with the wrong field count) and stops a file at damage it
cannot read past; this tally says what was left out, so figures computed
without those records never pass for the whole data.

Example:
    >>> u = Unreadable()
    >>> u.skip("a.tfrecord", 2)
    >>> u.stop("b.csv", "truncated gzip")
    >>> for line in u.lines():
    ...     print(line)
    a.tfrecord: 2 unreadable records skipped
    b.csv: reading stopped: truncated gzip
    >>> u.skip("b.csv")
    >>> u.lines()[1]
    'b.csv: 1 unreadable record skipped; reading stopped: truncated gzip'
    >>> u.total_records, bool(u)
    (3, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Unreadable"]


@dataclass
class Unreadable:
    """Records skipped per file, and why each cut-short file stopped."""

    records: dict[str, int] = field(default_factory=dict)
    stopped: dict[str, str] = field(default_factory=dict)

    def skip(self, path: str, n: int = 1) -> None:
        """Count ``n`` unreadable records of ``path``."""
        self.records[path] = self.records.get(path, 0) + n

    def stop(self, path: str, reason: str) -> None:
        """Note that reading ``path`` stopped early, and why."""
        self.stopped[path] = " ".join(reason.split())

    @property
    def total_records(self) -> int:
        """Unreadable records over all files."""
        return sum(self.records.values())

    def __bool__(self) -> bool:
        return bool(self.records or self.stopped)

    def lines(self) -> list[str]:
        """One line per file, in file order."""
        out = []
        for path in sorted({*self.records, *self.stopped}):
            parts = []
            if self.records.get(path):
                n = self.records[path]
                parts.append(f"{n} unreadable record{'s' * (n != 1)} skipped")
            if path in self.stopped:
                parts.append(f"reading stopped: {self.stopped[path]}")
            out.append(f"{path}: {'; '.join(parts)}")
        return out

    def to_dict(self) -> dict:
        """``{path: {"unreadable_records": n, "stopped": reason or None}}``."""
        return {
            p: {"unreadable_records": self.records.get(p, 0),
                "stopped": self.stopped.get(p)}
            for p in sorted({*self.records, *self.stopped})
        }  # fmt: skip
