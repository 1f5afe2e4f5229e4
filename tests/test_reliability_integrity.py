"""Nothing replaced, nothing lost: the commit point, folder mirroring, policy identity and uploads.

Faults are simulated where the operating system would produce them (a short write, a full disk, a
read-only directory); every test checks what is left on disk afterwards, not only what was raised.
"""

from __future__ import annotations

import errno
import json
import os

import pytest

from rag import state as state_mod
from rag.state import PolicyRecord, State, read_state, write_state


def _state(n: int) -> State:
    recs = {f"p{i}": PolicyRecord(id=f"p{i}", sha256=f"{i:064x}", path=f"/docs/{i}.txt", title="标题" * 50)
            for i in range(n)}
    return State(generation=n, graph=f"g{n}", index=f"index-g{n}", policies=recs)


def test_short_writes_still_commit_the_whole_state(tmp_path, monkeypatch):
    """The kernel may write fewer bytes than asked (signals, quotas); the rest must follow."""
    real_write = os.write

    def short_write(fd, data):
        return real_write(fd, bytes(data[:4096]))

    monkeypatch.setattr(state_mod.os, "write", short_write)
    write_state(tmp_path, _state(200))
    assert len(read_state(tmp_path).policies) == 200


def test_full_disk_keeps_the_previous_state_readable(tmp_path, monkeypatch):
    write_state(tmp_path, _state(3))
    before = (tmp_path / "state.json").read_bytes()
    real_write = os.write
    written = {"n": 0}

    def filling_disk(fd, data):
        if written["n"] >= 4096:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real_write(fd, bytes(data[: 4096 - written["n"]]))
        written["n"] += n
        return n

    monkeypatch.setattr(state_mod.os, "write", filling_disk)
    with pytest.raises(OSError, match="No space left"):
        write_state(tmp_path, _state(200))
    assert (tmp_path / "state.json").read_bytes() == before
    assert len(read_state(tmp_path).policies) == 3
    assert not [p for p in tmp_path.iterdir() if p.name != "state.json"], "a partial temp file was left"


def test_a_state_that_does_not_read_back_is_never_committed(tmp_path, monkeypatch):
    """Verify after fsync: bytes that do not parse back to the same state never replace the old one."""
    write_state(tmp_path, _state(2))
    real_write = os.write
    monkeypatch.setattr(state_mod.os, "write", lambda fd, data: real_write(fd, bytes(data).replace(b"g5", b"g6")))
    with pytest.raises(OSError, match="read back"):
        write_state(tmp_path, _state(5))
    assert json.loads((tmp_path / "state.json").read_text())["generation"] == 2
