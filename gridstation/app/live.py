"""The live link to the shared database: one wake-up source, one reader of ``change_log``.

PostgreSQL: a dedicated LISTEN connection whose socket a QSocketNotifier watches (no extra
thread). A PostgreSQL hot standby (read-only work given ``--read-db``): NOTIFY does not reach
it, so ``change_log`` is polled (every ``POLL_MS``); ``change_log`` rows are replayed from the
primary like any other. SQLite: ``PRAGMA data_version`` polled on a timer. Either way, a wake-up makes the
hub read ``change_log`` rows newer than the last it saw (in the background) and emit them as
one batch; panes update in place from that. When the database goes away the hub says so,
keeps trying, and on return re-reads everything missed (``changes_since`` the last seq) and
asks for a full refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from gridstation.store import changes as core
from gridstation.app import tasks
from gridstation.app.context import AppContext

POLL_MS = 400  # SQLite wake-up poll, and the PostgreSQL safety poll when a notify is missed
RETRY_MS = 2000
HEALTH_MS = 5000


class ChangeHub(QObject):
    changed = Signal(list)  # list[gridstation.store.changes.Change], in commit order
    connection_lost = Signal(str)
    connection_restored = Signal()
    refresh_all = Signal()

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_seq = 0
        self.online = True
        self._reading = False
        self._again = False
        self._pg = ctx.engine.dialect.name == "postgresql"
        self.standby = False  # a hot standby: no LISTEN there, change_log is polled
        self._listener = None
        self._notifier: QSocketNotifier | None = None
        self._sqlite = None
        self._poll = QTimer(self)
        self._poll.timeout.connect(self._on_poll)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._reconnect)
        self._health = QTimer(self)
        self._health.timeout.connect(self._check_health)

    # ---- lifecycle

    def start(self, last_seq: int | None = None) -> None:
        self.last_seq = core.latest_seq(self.ctx.engine) if last_seq is None else last_seq
        self.standby = core.is_standby(self.ctx.engine)
        self._connect_wakeup()
        self._poll.start(POLL_MS if not self._pg or self.standby else POLL_MS * 5)
        self._health.start(HEALTH_MS)

    def stop(self) -> None:
        self._poll.stop()
        self._retry.stop()
        self._health.stop()
        self._drop_wakeup()

    def _connect_wakeup(self) -> None:
        if self._pg and self.standby:
            return  # polled
        if self._pg:
            self._listener = core.PgListener(self.ctx.url)
            self._notifier = QSocketNotifier(self._listener.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._on_socket)
        else:
            self._sqlite = core.SqliteWatcher(self.ctx.url)

    def _drop_wakeup(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None

    # ---- wake-ups

    def _on_socket(self, *_):
        try:
            payloads = self._listener.drain() if self._listener else []
        except Exception as e:  # noqa: BLE001 - psycopg.OperationalError when the server drops
            self._lost(str(e))
            return
        if payloads:
            self.read()

    def _on_poll(self) -> None:
        if not self.online:
            return
        if self._pg:
            self.read()  # cheap safety net: an indexed max(seq) comparison
            return
        try:
            if self._sqlite is not None and self._sqlite.changed():
                self.read()
        except Exception as e:  # noqa: BLE001
            self._lost(str(e))

    def read(self) -> None:
        """Read change_log past ``last_seq`` in the background; coalesce overlapping calls."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        since = self.last_seq
        tasks.run(lambda: core.changes_since(self.ctx.engine, since), self._got, self._read_failed, owner=self)

    def _got(self, rows) -> None:
        self._reading = False
        if rows:
            self.last_seq = rows[-1].seq
            self.changed.emit(rows)
        if self._again or len(rows) >= 10_000:
            self._again = False
            self.read()

    def _read_failed(self, exc: BaseException) -> None:
        self._reading = False
        self._lost(str(exc))

    # ---- connection health

    def _check_health(self) -> None:
        if not self.online:
            return
        tasks.run(lambda: core.latest_seq(self.ctx.engine), lambda _seq: None,
                  lambda e: self._lost(str(e)), owner=self)

    def _lost(self, why: str) -> None:
        if not self.online:
            return
        self.online = False
        self._drop_wakeup()
        self.connection_lost.emit(why.splitlines()[0] if why else "")
        self._retry.start(RETRY_MS)

    def _reconnect(self) -> None:
        def attempt():
            self.ctx.engine.dispose()  # drop pooled connections to the old server
            return core.latest_seq(self.ctx.engine)

        def ok(_seq):
            try:
                self._connect_wakeup()
            except Exception:  # noqa: BLE001 - the server is up but refuses LISTEN yet
                self._retry.start(RETRY_MS)
                return
            self.online = True
            self.connection_restored.emit()
            self.refresh_all.emit()
            self.read()

        tasks.run(attempt, ok, lambda e: self._retry.start(RETRY_MS), owner=self)
