"""One way to call jionlp and cn2an: quietly, and one thread at a time.

jionlp prints a banner on import and cn2an prints as it converts; `policykg ask --json` must stay pure
JSON, so their calls run with stdout redirected. `contextlib.redirect_stdout` swaps the process-wide
`sys.stdout`: two threads doing it at once can restore each other's buffer and leave stdout swallowed for
good. jionlp's lazy loaders (pinyin, the location parser) are not thread-safe either. One re-entrant lock
serialises both, so façades ingesting in parallel threads stay correct and the CLI keeps its stdout.
"""
from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator
from types import ModuleType

_LOCK = threading.RLock()


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Stdout kept off the terminal, under the one lock (re-entrant: calls may nest)."""
    with _LOCK, contextlib.redirect_stdout(io.StringIO()):
        yield


def jionlp() -> ModuleType:
    """The jionlp module, imported without its banner."""
    with quiet():
        import jionlp as module

    return module
