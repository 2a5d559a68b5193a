"""The wall's data flow: one change hub, background reads, timers; the windows only show.

- The change feed (``ChangeHub``) brings every committed case change within a second: the map
  updates those cases and their grids, new reports go to the ticker and pulse on the map, and
  the headline figures are re-read a few seconds later (coalesced).
- Every ``refresh_seconds`` everything is re-read: figures, trend, rankings, warnings, drill-down
  pages and the whole map (lights change with time alone). Every 20 s the cases that went red
  since the last look join the ticker.
- A failed read or a lost connection marks every screen stale with the time; the picture stays.
  The hub reconnects by itself and reads what it missed; the next full read clears the mark.
- ``--status-file``: a JSON heartbeat for the soak test and for monitoring.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from gridstation.geo import mapdata
from gridstation.store import changes as change_feed
from gridstation.store.settings import get as setting
from gridstation.wall import data as wd
from gridstation.wall.layout import WallLayout
from gridstation.app import tasks
from gridstation.app.context import AppContext
from gridstation.app.live import ChangeHub
from gridstation.app.wall.panels import DrillPanel, HeadlinePanel, RankingPanel, TickerPanel, TrendPanel, WarningsPanel
from gridstation.app.wall.window import MapPanel, WallWindow
from gridstation.analytics import choropleth
from gridstation.analytics import drilldown as dd
from gridstation.analytics.scope import unit_to_date
from gridstation.app.analytics.maplayer import layer_for_map

log = logging.getLogger(__name__)

OVERDUE_MS = 20_000
HEADLINE_DELAY_MS = 5_000


def _trim_heap() -> None:
    """Give freed heap pages back to the system after a full refresh (GRIDSTATION_NO_TRIM=1 turns
    it off, for comparisons).

    - Linux: glibc keeps freed memory in per-thread arenas, and a process that reads in
      background threads for months otherwise only ever grows: ``malloc_trim(0)``.
    - Windows: the C runtime (UCRT) allocates from the process heap, which already returns large
      free blocks to the system by itself and has no per-thread arenas; ``HeapCompact`` on the
      process heap coalesces the free blocks and decommits what it can. It is cheap and safe,
      but expect little from it: measured on Linux only (the wall's soak test), not on Windows.
    - elsewhere (macOS): nothing.
    """
    if os.environ.get("GRIDSTATION_NO_TRIM"):
        return
    try:
        if sys.platform.startswith("linux"):
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        elif sys.platform == "win32":
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.HeapCompact(kernel32.GetProcessHeap(), 0)
    except (OSError, AttributeError):
        pass


def _rss_kb() -> int:
    """The process's resident memory (on Windows its working set) in KiB, for the status file."""
    try:
        import psutil

        return psutil.Process().memory_info().rss // 1024
    except Exception:  # noqa: BLE001 - a figure for monitoring, never a reason to fail
        return 0


class WallController(QObject):
    def __init__(self, ctx: AppContext, layout: WallLayout, windows: list[WallWindow], *,
                 status_file: str | Path | None = None, status_interval: float = 5.0, parent=None) -> None:
        super().__init__(parent)
        self.ctx, self.layout, self.windows = ctx, layout, windows
        self.status_file = Path(status_file) if status_file else None
        self.stale = False
        self.lost_at: datetime | None = None
        self.as_of: datetime | None = None
        self.lost = self.restored = 0
        self.failures = 0
        self._overdue_since: datetime | None = None
        self._map_loaded = False
        self._refreshing = False
        self._applied: dict[int, int] = {}  # id(map view) -> last batch applied
        self._open_overdue = (0, 0)
        self.map_layer = layout.map_layer  # the drill-down layer's figure ("" : the live layer)
        self._layer_sent: dict | None = None

        self.hub = ChangeHub(ctx, self)
        self.hub.changed.connect(self.on_changes)
        self.hub.connection_lost.connect(self._on_lost)
        self.hub.connection_restored.connect(self._on_restored)
        self.hub.refresh_all.connect(self.refresh)

        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._refresh = QTimer(self)
        self._refresh.timeout.connect(self.refresh)
        self._overdue = QTimer(self)
        self._overdue.timeout.connect(self.check_overdue)
        self._rotate = QTimer(self)
        self._rotate.timeout.connect(self.rotate)
        self._headline = QTimer(self)
        self._headline.setSingleShot(True)
        self._headline.timeout.connect(self.refresh_headline)
        self._status = QTimer(self)
        self._status.timeout.connect(self.write_status)
        self._status_ms = max(500, int(status_interval * 1000))
        self._retry_map = QTimer(self)
        self._retry_map.setSingleShot(True)
        self._retry_map.timeout.connect(self.load_map)

        for m in self.maps:
            m.batchApplied.connect(lambda seq, key=id(m): self._applied.__setitem__(key, seq))

    # ---- panels of a kind across all screens

    def panels(self, cls) -> list:
        return [p for w in self.windows for p in w.panels if isinstance(p, cls)]

    @property
    def maps(self):
        return [p.map for p in self.panels(MapPanel)]

    # ---- lifecycle

    def start(self) -> None:
        self._tick()
        self._clock.start(1000)
        self.load_map()
        self.refresh()
        self._load_ticker()
        self.hub.start()
        self._refresh.start(self.layout.refresh_seconds * 1000)
        self._overdue.start(OVERDUE_MS)
        self._rotate.start(self.layout.rotate_seconds * 1000)
        if self.status_file:
            self._status.start(self._status_ms)
            self.write_status()

    def stop(self) -> None:
        for t in (self._clock, self._refresh, self._overdue, self._rotate, self._headline, self._status, self._retry_map):
            t.stop()
        self.hub.stop()

    # ---- reading (always in the background)

    def _read(self, fn, done, what: str, finally_=None) -> None:
        """Run ``fn`` in the background; ``done`` shows its result and the screens count as
        current as of the start; a failure marks them stale. ``finally_`` runs either way."""
        started = self.ctx.now()
        engine, standby = self.ctx.engine, self.hub.standby

        def work():
            # on a hot standby the data is as of what it has replayed, not as of the read
            return fn(), (change_feed.data_as_of(engine) if standby else None)

        def ok(res):
            result, as_of = res
            if finally_:
                finally_()
            done(result)
            self._confirmed(min(started, as_of) if as_of is not None else started)

        def failed(exc: BaseException):
            if finally_:
                finally_()
            self._failed(what, exc)

        tasks.run(work, ok, failed, owner=self)

    def load_map(self) -> None:
        if not self.maps:
            return
        ctx = self.ctx

        def work():
            with ctx.session() as s:
                return (mapdata.grid_features(s), mapdata.region_outlines(s), mapdata.city_bounds(s),
                        setting(s, "map_base"))

        def done(res):
            from gridstation.app.i18n import light_label

            grids, outlines, bounds, base = res
            legend = {k: light_label(k) for k in ("green", "yellow", "red", "parked")}
            for m in self.maps:
                m.load_city(grids, outlines, bounds, base_map=base, legend=legend, theme="dark", wall=True)
            self._map_loaded = True
            self.refresh_map()

        def failed(exc):
            self._failed("map", exc)
            self._retry_map.start(5000)

        tasks.run(work, done, failed, owner=self)

    def refresh(self) -> None:
        """Re-read everything the screens show (every ``refresh_seconds`` and after a reconnect)."""
        if self._refreshing:
            return
        self._refreshing = True
        ctx, lay = self.ctx, self.layout
        kinds = {p.kind for w in self.windows for p in w.panels}

        def work():
            now = ctx.now()
            out: dict = {}
            with ctx.session() as s:
                if "headline" in kinds:
                    out["headline"] = wd.headline(s, now)
                if "trend" in kinds:
                    out["trend"] = wd.trend(s, now, lay.trend_days)
                if kinds & {"departments", "streets"}:
                    out["rankings"] = wd.rankings(s, now)
                if "warnings" in kinds:
                    out["warnings"] = wd.warnings(s, now)
                if "drilldown" in kinds:
                    out["drill"] = wd.drill_pages(s, now)
            return out

        def done(out):
            self._show(out)
            _trim_heap()

        self._read(work, done, "refresh", finally_=lambda: setattr(self, "_refreshing", False))
        self.refresh_map()

    def _show(self, out: dict) -> None:
        if "headline" in out:
            for p in self.panels(HeadlinePanel):
                p.set_data(out["headline"])
        if "trend" in out:
            for p in self.panels(TrendPanel):
                p.set_data(out["trend"])
        if "rankings" in out:
            for p in self.panels(RankingPanel):
                p.set_data(out["rankings"])
        if "warnings" in out:
            for p in self.panels(WarningsPanel):
                p.set_data(out["warnings"])
        if "drill" in out:
            for p in self.panels(DrillPanel):
                p.set_data(out["drill"])

    def refresh_headline(self) -> None:
        if not self.panels(HeadlinePanel):
            return
        ctx = self.ctx

        def work():
            with ctx.session() as s:
                return wd.headline(s, ctx.now())

        self._read(work, lambda h: self._show({"headline": h}), "headline")

    def set_map_layer(self, figure: str) -> None:
        """Show the drill-down layer of ``figure`` on the map panels ("" : the live layer)."""
        self.map_layer = figure or ""
        self.refresh_map()

    def refresh_map(self) -> None:
        if not self.maps or not self._map_loaded:
            return
        ctx, figure = self.ctx, self.map_layer

        def work():
            with ctx.session() as s:
                now = ctx.now()
                layer = None
                if figure:  # the same layer as the analytics window's, for the city this month so far
                    period = unit_to_date("month", now.date())
                    d = dd.drilldown(s, None, period, now=now, comparisons=False)
                    if len(d.rows) == 1 and d.rows[0].node.kind == "region":  # one city: its districts
                        d = dd.drilldown(s, d.rows[0].node, period, now=now, comparisons=False)
                    layer = choropleth.map_layer(s, d, figure)
                return mapdata.grid_stats(s, now=now), mapdata.case_points(s, now=now), layer

        def done(res):
            stats, points, layer = res
            shown = layer_for_map(layer) if layer is not None else None
            for m in self.maps:  # only the differences travel to the page
                m.sync_grid_stats(stats)
                m.sync_cases(points)
                if shown != self._layer_sent:
                    m.set_choropleth(shown, fit=False)
            self._layer_sent = shown
            self._open_overdue = (sum(v[0] for v in stats.values()), sum(v[1] for v in stats.values()))
            self._show_counts()

        self._read(work, done, "map")

    def _show_counts(self) -> None:
        for p in self.panels(MapPanel):
            p.set_counts(*self._open_overdue)

    def _load_ticker(self) -> None:
        if not self.panels(TickerPanel):
            return
        ctx = self.ctx

        def work():
            with ctx.session() as s:
                return wd.recent_ticker(s, ctx.now(), limit=self.layout.ticker_items * 2)

        def done(items):
            for p in self.panels(TickerPanel):
                p.add(items, fresh=False)
            self._overdue_since = self.ctx.now()

        self._read(work, done, "ticker")

    def check_overdue(self) -> None:
        """Cases that went red since the last look: ticker lines and their dots turn red."""
        since = self._overdue_since
        if since is None or self.stale:
            return
        ctx = self.ctx

        def work():
            now = ctx.now()
            with ctx.session() as s:
                items = wd.newly_overdue(s, since, now)
                pts, stats = mapdata.case_updates(s, now=now, ids=[i.case_id for i in items])
            return now, items, pts, stats

        def done(res):
            now, items, pts, stats = res
            self._overdue_since = now
            for p in self.panels(TickerPanel):
                p.add(items)
            for m in self.maps:
                m.upsert_cases(pts)
                m.set_grid_stats(stats)

        self._read(work, done, "overdue")

    # ---- live changes

    def on_changes(self, changes: list) -> None:
        case_ids = sorted({c.entity_id for c in changes if c.entity == "case" and c.entity_id is not None})
        new_ids = sorted({c.entity_id for c in changes if c.entity == "case" and c.action == "report"
                          and c.entity_id is not None})
        if any(c.entity in ("demo", "import", "grid") for c in changes):
            self.load_map()
            self.refresh()
            return
        if not case_ids:
            return
        ctx = self.ctx
        want_ticker = bool(self.panels(TickerPanel))

        def work():
            now = ctx.now()
            with ctx.session() as s:
                pts, stats = mapdata.case_updates(s, now=now, ids=case_ids)
                items = wd.new_cases(s, new_ids) if (new_ids and want_ticker) else []
            return pts, stats, items

        def done(res):
            pts, stats, items = res
            fresh = [p for p in pts if p.id in set(new_ids)]
            for m in self.maps:
                m.upsert_cases(pts)
                m.set_grid_stats(stats)
                if fresh:
                    m.pulse_cases(fresh, self.layout.pulse_seconds)
            if items:
                for p in self.panels(TickerPanel):
                    p.add(items)
            if not self._headline.isActive():
                self._headline.start(HEADLINE_DELAY_MS)

        self._read(work, done, "changes")

    def rotate(self) -> None:
        for p in self.panels(DrillPanel):
            p.rotate()

    # ---- freshness

    def _confirmed(self, started: datetime) -> None:
        """A read that began at ``started`` succeeded: the screens are current as of then."""
        if not self.hub.online:
            return  # the hub has not seen the database come back yet: still stale
        if self.as_of is None or started > self.as_of:
            self.as_of = started
        if self.stale:
            self.stale = False
            log.info("wall: data current again")
        self._show_status()

    def _failed(self, what: str, exc: BaseException) -> None:
        self.failures += 1
        log.warning("wall: %s could not be read: %s", what, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        if not self.stale:
            self.stale = True
            self.lost_at = self.lost_at or self.ctx.now()
        self._show_status()

    def _on_lost(self, why: str) -> None:
        self.lost += 1
        self.stale = True
        self.lost_at = self.ctx.now()
        log.warning("wall: database unreachable (%s); keeping the last picture", why)
        self._show_status()

    def _on_restored(self) -> None:
        self.restored += 1
        log.info("wall: database reachable again; catching up")
        if not self._map_loaded:
            self.load_map()
        # refresh_all (connected to self.refresh) follows; it clears the stale mark when it lands

    def _show_status(self) -> None:
        for w in self.windows:
            w.set_status(self.as_of, self.stale, self.lost_at)
        if not self.stale:
            self.lost_at = None

    def _tick(self) -> None:
        now = self.ctx.now()
        for w in self.windows:
            w.tick(now)
        if self.as_of is not None and not self.stale:
            # nothing new for a while is fine, but a silent feed must not look current forever
            if now - self.as_of > timedelta(seconds=max(3 * self.layout.refresh_seconds, 180)):
                self.stale = True
                self.lost_at = self.as_of
                self._show_status()

    # ---- heartbeat

    def status(self) -> dict:
        maps = self.maps
        ticker = self.panels(TickerPanel)
        return {
            "pid": os.getpid(),
            "written_at": datetime.now().isoformat(timespec="seconds"),
            "online": bool(self.hub.online),
            "stale": bool(self.stale),
            "data_as_of": self.as_of.isoformat(timespec="seconds") if self.as_of else None,
            "last_seq": int(self.hub.last_seq),
            "ticker_items": sum(t.received for t in ticker),
            "ticker_newest_case": max((t.newest_case for t in ticker if t.newest_case is not None), default=None),
            "map_batches_sent": sum(m.last_batch for m in maps),
            "map_batches_applied": sum(self._applied.get(id(m), 0) for m in maps),
            "map_cases": sum(m.case_count for m in maps),
            "map_pulsing": sum(m.pulsing for m in maps),
            "map_page_loads": sum(m.page_loads for m in maps),
            "map_crashes": sum(m.crashes for m in maps),
            "lost": self.lost,
            "restored": self.restored,
            "read_failures": self.failures,
            "rss_kb": _rss_kb(),
        }

    def write_status(self) -> None:
        if not self.status_file:
            return
        tmp = self.status_file.with_suffix(self.status_file.suffix + ".tmp")
        try:
            tmp.write_text(json.dumps(self.status(), ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.status_file)
        except OSError as e:
            log.warning("wall: cannot write the status file %s: %s", self.status_file, e)
