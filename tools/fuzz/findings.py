"""Where findings go: counted by signature, inputs saved for replay.

Each finding is one line of ``<dir>/run-<seed>/findings.jsonl`` (target, kind,
signature, detail, case seed and index, input file) and, for the first few of
each signature, the input itself in ``<dir>/run-<seed>/<target>-<kind>-<n>.bin``,
which ``python -m tools.fuzz --replay FILE --target NAME`` runs again.

Example:
    >>> import tempfile
    >>> store = FindingStore(tempfile.mkdtemp(), seed=1)
    >>> store.add({"target": "t", "kind": "crashes", "signature": "signal 11",
    ...            "detail": "", "case": [1, 2], "data": b"x"}).endswith(".bin")
    True
    >>> store.by_signature()
    {'t|crashes|signal 11': 1}
"""

from __future__ import annotations

import collections
import json
import os

#: Inputs saved per (target, kind, signature) and run.
KEEP_PER_SIGNATURE = 3
#: Findings logged to findings.jsonl per signature (the rest are only counted).
_LOG_PER_SIGNATURE = 20


class FindingStore:
    """Findings of one run, on disk under ``folder`` (nothing written when empty)."""

    def __init__(self, folder: str, seed: int) -> None:
        self.folder = os.path.join(folder, f"run-{seed}") if folder else ""
        self.counts: collections.Counter = collections.Counter()
        self.examples: dict[str, str] = {}

    def _save(self, finding: dict, key: str) -> str | None:
        if not self.folder or finding.get("data") is None:
            return None
        if self.counts[key] > KEEP_PER_SIGNATURE:
            return None
        os.makedirs(self.folder, exist_ok=True)
        count = sum(self.counts.values())
        path = os.path.join(
            self.folder, f"{finding['target']}-{finding['kind']}-{count}.bin"
        )
        with open(path, "wb") as f:
            f.write(finding["data"])
        return path

    def add(self, finding: dict) -> str | None:
        """Count ``finding``, save its input if it is among the first; its file."""
        key = f"{finding['target']}|{finding['kind']}|{finding['signature']}"
        self.counts[key] += 1
        path = self._save(finding, key)
        if path:
            self.examples.setdefault(key, path)
        if self.folder and self.counts[key] <= _LOG_PER_SIGNATURE:
            os.makedirs(self.folder, exist_ok=True)
            line = {k: v for k, v in finding.items() if k != "data"}
            line["file"] = path
            with open(os.path.join(self.folder, "findings.jsonl"), "a") as f:
                f.write(json.dumps(line) + "\n")
        return path

    def by_signature(self) -> dict[str, int]:
        """How many findings each ``target|kind|signature`` has."""
        return dict(self.counts)
