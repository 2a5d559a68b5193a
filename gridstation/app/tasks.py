"""Background work through one helper (after Anki's QueryOp): database work never runs on the
GUI thread. ``run(fn, on_done, on_error, owner)`` calls ``fn()`` on a pool thread; the callbacks
run on the GUI thread, and are dropped if ``owner`` was destroyed meanwhile (a late answer for
a closed pane must not touch dead widgets). ``fn`` returns plain data, never ORM objects."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

_live_relays: set = set()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay
        self.setAutoDelete(True)

    @Slot()
    def run(self) -> None:
        try:
            try:
                result = self.fn()
            except BaseException as e:  # noqa: BLE001 - handed to the GUI thread
                self.relay.failed.emit(e, traceback.format_exc())
            else:
                self.relay.done.emit(result)
        except RuntimeError:  # the application quit while this ran: nobody is waiting for it
            pass


def pool() -> QThreadPool:
    p = QThreadPool.globalInstance()
    if p.maxThreadCount() < 4:
        p.setMaxThreadCount(4)
    return p


def run(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    owner: QObject | None = None,
) -> None:
    relay = _Relay()  # created on the GUI thread, so its queued signals land there
    _live_relays.add(relay)
    alive = [True]
    conn = None
    if owner is not None:
        conn = owner.destroyed.connect(lambda *_: alive.__setitem__(0, False))

    def forget():
        # one connection per job on a long-lived owner (the wall runs for months): drop it
        if conn is not None and alive[0]:
            try:
                owner.destroyed.disconnect(conn)
            except (RuntimeError, TypeError):
                pass

    def finish(result):
        _live_relays.discard(relay)
        relay.deleteLater()
        forget()
        if alive[0] and on_done is not None:
            on_done(result)

    def fail(exc, tb):
        _live_relays.discard(relay)
        relay.deleteLater()
        forget()
        _log_failure(fn, exc, tb, handled=on_error is not None and alive[0])
        if not alive[0]:
            return
        if on_error is not None:
            on_error(exc)

    relay.done.connect(finish)
    relay.failed.connect(fail)
    pool().start(_Job(fn, relay))


def _log_failure(fn, exc: BaseException, tb: str, *, handled: bool) -> None:
    """Every failed background job leaves a trace in the log. Expected failures (a refused
    action, the database gone for a while) that a caller shows to the user get one line; anything
    else gets its traceback, so a support person can see where it came from."""
    from sqlalchemy.exc import OperationalError

    from gridstation.errors import GridStationError

    name = getattr(fn, "__qualname__", repr(fn))
    if handled and isinstance(exc, (GridStationError, OperationalError)):
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        log.info("background job %s: %s: %s", name, type(exc).__name__, first)
    else:
        log.error("background job %s failed%s:\n%s", name, "" if handled else " (nobody handles it)", tb.rstrip())


def wait_idle(timeout_ms: int = 10_000) -> bool:
    """For tests and shutdown: wait until no background job runs."""
    return pool().waitForDone(timeout_ms)


def run_latest(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    owner: QObject | None = None,
    slot: str = "load",
) -> None:
    """``run`` for reads that replace what a view shows: only the newest job of ``owner``'s
    ``slot`` reports back. An older read still running when the user changed the period or the
    object would otherwise land last and show figures for a choice no longer on screen."""
    key = f"_gs_latest_{slot}"
    generation = (getattr(owner, key, 0) if owner is not None else 0) + 1
    if owner is not None:
        setattr(owner, key, generation)

    def current() -> bool:
        return owner is None or getattr(owner, key, None) == generation

    run(fn,
        (lambda r: on_done(r) if current() else None) if on_done is not None else None,
        (lambda e: on_error(e) if current() else None) if on_error is not None else None,
        owner=owner)
