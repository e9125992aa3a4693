"""A reader that closes stdout early (``pipeline head ... | head -1``) ends the
command quietly, as Unix tools do (issue 15)."""

from __future__ import annotations

import subprocess
import sys


def test_closed_stdout_ends_quietly(tmp_path):
    data = tmp_path / "big.csv"
    data.write_text("a,b\n" + "".join(f"{i},{2 * i}\n" for i in range(200_000)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "head", "-n", "200000", "--json", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader goes away, as `head -1` does
    stderr = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141
    assert first == b'{"a": 0, "b": 0}\n'
    assert stderr == b""
