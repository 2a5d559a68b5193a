"""Background reads that replace what a view shows: only the newest one reports back
(gridstation.app.tasks.run_latest), whatever order the jobs finish in."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from gridstation.app import tasks


def test_an_older_read_that_finishes_last_is_dropped(qtbot):
    owner = QObject()
    release_first = threading.Event()
    shown, errors = [], []

    def slow():
        release_first.wait(10)
        return "old period"

    tasks.run_latest(slow, shown.append, errors.append, owner=owner)
    tasks.run_latest(lambda: "new period", shown.append, errors.append, owner=owner)
    qtbot.waitUntil(lambda: shown == ["new period"], timeout=10_000)
    release_first.set()  # the first read ends now, after the second was shown
    qtbot.wait(300)
    assert shown == ["new period"] and errors == []


def test_slots_are_independent_and_errors_of_stale_reads_are_dropped(qtbot):
    owner = QObject()
    release = threading.Event()
    shown, errors = [], []

    def failing_slowly():
        release.wait(10)
        raise RuntimeError("stale")

    tasks.run_latest(failing_slowly, shown.append, errors.append, owner=owner)
    tasks.run_latest(lambda: "rows", shown.append, errors.append, owner=owner)
    tasks.run_latest(lambda: "chart", shown.append, errors.append, owner=owner, slot="chart")
    qtbot.waitUntil(lambda: sorted(shown) == ["chart", "rows"], timeout=10_000)
    release.set()
    qtbot.wait(300)
    assert errors == []
