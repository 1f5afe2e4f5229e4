"""jionlp and cn2an are called quietly and one thread at a time (corpus/quiet.py)."""
from __future__ import annotations

import sys
import threading
import time

from corpus.quiet import jionlp, quiet


def test_quiet_calls_from_many_threads_leave_stdout_as_it_was():
    """redirect_stdout alone swaps the process-wide stdout: overlapping swaps in two threads can
    restore each other's buffer and swallow stdout for good. Under the lock they cannot overlap."""
    before = sys.stdout
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        for _ in range(20):
            with quiet():
                print("banner")
                time.sleep(0.001)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sys.stdout is before


def test_quiet_nests_and_jionlp_imports_without_its_banner(capsys):
    with quiet(), quiet():  # re-entrant: a quiet call may make another
        module = jionlp()
    assert hasattr(module, "parse_location")
    assert capsys.readouterr().out == ""
