"""The log a support person reads: rotating files in the user's data folder
(``%LOCALAPPDATA%\\GridStation\\logs`` on Windows, ``~/.local/share/gridstation/logs`` on
Linux), one file per program (``client.log``, ``wall.log``, ``cli.log``: two processes never
rotate the same file, which Windows refuses), ``faults.log`` for hard crashes (faulthandler),
and every uncaught exception, in any thread.

The windowed ``GridStation.exe`` has no console: ``sys.stdout``/``stderr``/``stdin`` are
``None`` there, and the first ``print`` would raise. ``detach_console()`` gives it streams that
write into the log and an empty standard input; ``has_console()`` lets a command that needs a
terminal (``--password-stdin``, a CSV on standard output) say so instead of crashing.

Qt-free: the Qt layer adds its dialog on top (``gridstation.app.crash``).
"""

from __future__ import annotations

import faulthandler
import io
import logging
import logging.handlers
import os
import sys
import threading
from pathlib import Path

from gridstation.paths import logs_dir

FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 5

_state: dict = {"handler": None, "console": None, "fault_file": None, "path": None, "detached": False}


class _LogStream(io.TextIOBase):
    """stdout/stderr of a program without a console: each line becomes a log record."""

    def __init__(self, name: str, level: int) -> None:
        super().__init__()
        self._log = logging.getLogger(name)
        self._level = level
        self._buf = ""
        self.gs_detached = True

    @property
    def encoding(self) -> str:  # argparse and friends look at it
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, s: str) -> int:
        self._buf += s
        while "\n" in self._buf:
            line, self._buf = self._buf.split("\n", 1)
            if line.strip():
                self._log.log(self._level, "%s", line)
        return len(s)

    def flush(self) -> None:
        if self._buf.strip():
            self._log.log(self._level, "%s", self._buf)
        self._buf = ""


class _Console(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is now (tests and tools swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def detach_console() -> None:
    """For the windowed program: standard streams that are missing (``None``) write to the log;
    standard input reads as empty. Call it first, before anything prints."""
    _state["detached"] = True
    if sys.stdout is None:
        sys.stdout = _LogStream("gridstation.stdout", logging.INFO)
    if sys.stderr is None:
        sys.stderr = _LogStream("gridstation.stderr", logging.WARNING)
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        sys.stdin.gs_detached = True  # type: ignore[attr-defined]
    # nothing may ever fall back to writing on the (missing) console
    logging.lastResort = None
    logging.raiseExceptions = False


def has_console(*streams) -> bool:
    """Whether these standard streams (default: input and output) are real ones, not missing or
    the windowed program's stand-ins."""
    for s in streams or (sys.stdin, sys.stdout):
        if s is None or getattr(s, "gs_detached", False):
            return False
    return True


def program_for(argv: list[str]) -> str:
    """Which log file a command line writes to: ``wall``, ``client`` (no command: the window)
    or ``cli``."""
    words = [a for a in argv if not a.startswith("-")]
    if "wall" in words:
        return "wall"
    if {"--help", "-h", "--version"} & set(argv):
        return "cli"
    # ``--db URL`` is the only option with a value before the command
    rest = [a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] != "--db")]
    return "cli" if rest else "client"


def log_path() -> Path | None:
    """The file this process logs to (None before ``setup``)."""
    return _state["path"]


def setup(program: str = "client", *, level: int = logging.INFO, console_level: int = logging.WARNING) -> Path | None:
    """Log to ``<logs>/<program>.log`` (rotating), mirror warnings to the console if there is one,
    turn faulthandler on and log uncaught exceptions. Idempotent; a later call with another
    program switches the file. Returns the log file's path (None if the folder cannot be
    written: then only the console gets the log)."""
    root = logging.getLogger()
    for key in ("handler", "console"):
        h = _state[key]
        if h is not None:
            root.removeHandler(h)
            h.close()
            _state[key] = None
    path: Path | None = logs_dir() / f"{program}.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                       encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.setLevel(level)
        root.addHandler(handler)
        _state["handler"] = handler
    except OSError:
        path = None
    _state["path"] = path
    if has_console() and sys.stderr is not None and not getattr(sys.stderr, "gs_detached", False):
        console = _Console()
        console.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        console.setLevel(console_level)
        root.addHandler(console)
        _state["console"] = console
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    _enable_faulthandler()
    _install_hooks()
    logging.getLogger("gridstation").info("%s started (pid %d, %s)", program, os.getpid(), " ".join(sys.argv))
    return path


def _enable_faulthandler() -> None:
    if faulthandler.is_enabled():  # already on (python -X faulthandler, pytest): leave it
        return
    try:
        directory = logs_dir()
        directory.mkdir(parents=True, exist_ok=True)
        f = open(directory / "faults.log", "a", encoding="utf-8")  # noqa: SIM115 - must stay open
        _state["fault_file"] = f
        faulthandler.enable(file=f, all_threads=True)
    except (OSError, ValueError, RuntimeError):
        pass


def log_uncaught(exc_type, exc, tb) -> None:
    logging.getLogger("gridstation").critical("uncaught exception", exc_info=(exc_type, exc, tb))


def _install_hooks() -> None:
    if getattr(sys.excepthook, "gs_hook", False):
        return
    previous = sys.excepthook

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            return previous(exc_type, exc, tb)
        log_uncaught(exc_type, exc, tb)
        if has_console():
            previous(exc_type, exc, tb)

    hook.gs_hook = True  # type: ignore[attr-defined]
    sys.excepthook = hook
    previous_thread = threading.excepthook

    def thread_hook(args):
        logging.getLogger("gridstation").critical(
            "uncaught exception in thread %s", getattr(args.thread, "name", "?"),
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
        if has_console():
            previous_thread(args)

    threading.excepthook = thread_hook
