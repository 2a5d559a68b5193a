"""PySide6 6.12.0 on Python <= 3.11 aborts after a few thousand signal emits or void calls
("Fatal Python error: none_dealloc"). The pin excludes it; this proves the installed Qt
survives the load a wall display produces in minutes. Run in a child process so an abort is a
clean test failure instead of killing the test run."""

from __future__ import annotations

import os
import subprocess
import sys

CHILD = r"""
import sys
from PySide6.QtCore import QObject, Signal, QTimer
from PySide6.QtWidgets import QApplication, QLabel

class Emitter(QObject):
    tick = Signal(int)
    flag = Signal(bool)

app = QApplication(["stability"])
e = Emitter()
seen = [0, 0]
e.tick.connect(lambda n: seen.__setitem__(0, seen[0] + 1))
e.flag.connect(lambda b: seen.__setitem__(1, seen[1] + 1))
for i in range(20_000):
    e.tick.emit(i)
    e.flag.emit(True)
label = QLabel()
timer = QTimer()
for i in range(10_000):
    label.setText(str(i))      # void calls returning None
    label.setVisible(False)
    timer.setInterval(i % 100)
    label.update()
app.processEvents()
assert seen == [20_000, 20_000], seen
import PySide6
print("survived", PySide6.__version__, sys.version_info[:2])
"""


def test_many_signals_and_void_calls_survive():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, f"Qt process died ({out.returncode}): {out.stderr[-2000:]}"
    assert out.stdout.startswith("survived")
