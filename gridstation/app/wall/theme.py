"""The wall's dark, high-contrast look, sized to the screen.

Every size is in units of ``u`` = the window's logical height / 1080: a 1920×1080 screen and a
3840×2160 one at 100 % scaling show the same picture, the second twice as sharp. Colours are
chosen for reading from 5 m: light text on a near-black blue, one accent, the traffic-light
colours saturated enough to tell apart on a projector.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

BG = "#070d18"
PANEL = "#0f1a2c"
PANEL_EDGE = "#233453"
TITLE = "#8fb3dc"
TEXT = "#eef3f9"
DIM = "#9aabc0"
FAINT = "#5b6d85"
ACCENT = "#38bdf8"
GOOD = "#34d399"
BAD = "#ff6b6b"
WARN = "#fbbf24"
STALE = "#f59e0b"
LIGHT = {"green": "#34d399", "yellow": "#fbbf24", "red": "#ff6b6b", "parked": "#9aa3ad"}
GRADE = {"A": "#34d399", "B": "#7dd3fc", "C": "#fbbf24", "D": "#ff6b6b"}
FONT_FAMILY = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "sans-serif"]


def unit(height: int) -> float:
    """Scale unit for a window of ``height`` logical pixels (1.0 at 1080)."""
    return max(0.5, height / 1080.0)


def font(u: float, px: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(FONT_FAMILY)
    f.setPixelSize(max(8, round(px * u)))
    if bold:
        f.setWeight(QFont.Weight.Bold)
    return f


def color(name: str) -> QColor:
    return QColor(name)


def stylesheet(u: float) -> str:
    """The window's style sheet at scale ``u``."""

    def px(v: float) -> str:
        return f"{max(1, round(v * u))}px"

    return f"""
QWidget#WallWindow {{ background: {BG}; }}
QWidget#WallWindow[stale="true"] {{ border: {px(6)} solid {STALE}; }}
QFrame#WallPanel {{ background: {PANEL}; border: 1px solid {PANEL_EDGE}; border-radius: {px(8)}; }}
QLabel {{ color: {TEXT}; background: transparent; }}
QLabel#PanelTitle {{ color: {TITLE}; font-size: {px(22)}; font-weight: 700; letter-spacing: 1px; }}
QLabel#PanelNote {{ color: {DIM}; font-size: {px(16)}; }}
QFrame#WallHeader {{ background: {PANEL}; border-bottom: {px(3)} solid {ACCENT}; }}
QFrame#WallHeader[stale="true"] {{ background: #3a2606; border-bottom: {px(3)} solid {STALE}; }}
QLabel#WallTitle {{ color: {TEXT}; font-size: {px(34)}; font-weight: 800; letter-spacing: 3px; }}
QLabel#WallClock {{ color: {TEXT}; font-size: {px(40)}; font-weight: 700; }}
QLabel#WallDate {{ color: {DIM}; font-size: {px(18)}; }}
QLabel#WallAsOf {{ color: {DIM}; font-size: {px(20)}; }}
QLabel#WallAsOf[stale="true"] {{ color: {STALE}; font-size: {px(22)}; font-weight: 700; }}
QLabel#TileLabel {{ color: {DIM}; }}
QLabel#TileValue {{ color: {TEXT}; }}
QLabel#WallMessage {{ color: {TEXT}; font-size: {px(30)}; }}
"""
