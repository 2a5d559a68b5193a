"""The wall display's layout file: which panels go where on which physical screen (Qt-free).

The file is TOML (``docs/wall-layout.md`` documents it for users)::

    title = ""              # optional settings, defaults shown
    rotate_seconds = 20
    ...
    [[screen]]              # one table per physical screen
    screen = 0              # optional; default: position in the list
    columns = 4
    rows = 3
    panels = [ { panel = "map", col = 0, row = 0, colspan = 2, rowspan = 3 }, ... ]

``load_layout`` / ``parse_layout`` read it into a ``WallLayout`` or raise ``LayoutError``,
whose text names the file, the place (``screen[1].panels[2].colspan``: the second
``[[screen]]`` table, its third panel, both counted from 0), what is wrong and what is allowed.
``default_layout(n)`` is the built-in layout for n screens (``resources/wall/*.toml`` are the
same layouts written out as files). ``for_screens`` decides which physical screen shows which
layout screen.
"""

from __future__ import annotations

import difflib
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from gridstation.errors import GridStationError

__all__ = [
    "BUILT_IN",
    "LIMITS",
    "PANELS",
    "LayoutError",
    "PanelPlace",
    "ScreenLayout",
    "WallLayout",
    "default_layout",
    "for_screens",
    "load_layout",
    "missing_screens",
    "parse_layout",
]

log = logging.getLogger(__name__)

#: The panel kinds, in the order the documentation lists them.
PANELS: tuple[str, ...] = ("map", "headline", "ticker", "trend", "departments", "streets", "warnings", "drilldown")

BUILT_IN = "built-in"

#: Top-level settings: name -> (default, lowest, highest). ``title`` is text (default "").
LIMITS: dict[str, tuple[int, int, int]] = {
    "rotate_seconds": (20, 5, 3600),
    "refresh_seconds": (60, 10, 3600),
    "ticker_items": (12, 3, 100),
    "pulse_seconds": (120, 10, 3600),
    "trend_days": (30, 7, 120),
    "ranking_items": (8, 3, 30),
}
TOP_KEYS = ("title", "map_layer", *LIMITS, "screen")
SCREEN_KEYS = ("screen", "columns", "rows", "panels")
PANEL_KEYS = ("panel", "col", "row", "colspan", "rowspan")
MAX_CELLS = 12  # columns and rows of one screen: 1..12
MAX_SCREEN = 15  # physical screen indexes: 0..15
MAX_SCREENS = 16  # [[screen]] tables in one file


class LayoutError(GridStationError):
    """The wall layout cannot be used; the wall was not started with it.

    ``source``: the file (or "built-in", "<text>"); ``where``: the place in it
    (``screen[1].panels[2].colspan``, ``line 7``, ``--screen``, or "" for the whole file);
    ``reason``: what is wrong and what is allowed (English, plain). ``line``: the line of a
    TOML syntax error or of the first byte that is not UTF-8, else None.
    """

    kind = "wall_layout"

    def __init__(self, source: str, where: str, reason: str, line: int | None = None) -> None:
        self.source, self.where, self.reason, self.line = source, where, reason, line
        place = f"{where}: " if where else ""
        super().__init__(f"wall layout {source}: {place}{reason}")


@dataclass(frozen=True)
class PanelPlace:
    """One panel on a screen's grid: cells ``col .. col+colspan-1`` x ``row .. row+rowspan-1``."""

    panel: str
    col: int = 0
    row: int = 0
    colspan: int = 1
    rowspan: int = 1

    def cells(self) -> set[tuple[int, int]]:
        return {(c, r) for c in range(self.col, self.col + self.colspan)
                for r in range(self.row, self.row + self.rowspan)}


@dataclass(frozen=True)
class ScreenLayout:
    """One physical screen (``screen``, 0-based) cut into ``columns`` x ``rows`` equal cells."""

    screen: int
    columns: int
    rows: int
    panels: tuple[PanelPlace, ...]


@dataclass(frozen=True)
class WallLayout:
    title: str
    rotate_seconds: int
    refresh_seconds: int
    ticker_items: int
    pulse_seconds: int
    trend_days: int
    ranking_items: int
    screens: tuple[ScreenLayout, ...]
    source: str  # the file's path, or "built-in"
    #: the drill-down layer of the map panels: a figure (``choropleth.MAP_FIGURES``, e.g.
    #: "on_time_rate") colouring the city's children over this month so far; "" the live layer
    map_layer: str = ""


# --------------------------------------------------------------------------- reading


def load_layout(path) -> WallLayout:
    """Read a layout file (TOML, UTF-8); any problem raises ``LayoutError``."""
    source = str(path)
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise LayoutError(source, "", "the file does not exist; check the path given with --layout") from None
    except IsADirectoryError:
        raise LayoutError(source, "", "this is a folder, not a layout file") from None
    except PermissionError:
        raise LayoutError(source, "", "the file cannot be read: permission denied") from None
    except OSError as exc:
        raise LayoutError(source, "", f"the file cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LayoutError(
            source, f"line {line}",
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read); save it as UTF-8",
            line=line,
        ) from None
    return parse_layout(text, source)


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def parse_layout(text: str, source: str = "<text>") -> WallLayout:
    """Read a layout from TOML text; ``source`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _AT.search(msg)
        if m:
            line, col = int(m.group(1)), int(m.group(2))
            detail = msg[: m.start()].strip()
            raise LayoutError(source, f"line {line}", f"TOML syntax error at column {col}: {detail}",
                              line=line) from None
        m = _AT_END.search(msg)
        if m:
            line = max(1, len(text.splitlines()))  # the last line
            detail = msg[: m.start()].strip()
            raise LayoutError(source, f"line {line}", f"TOML syntax error at the end of the file: {detail}",
                              line=line) from None
        raise LayoutError(source, "", f"TOML syntax error: {msg}") from None
    return _build(data, source)


def _build(data: dict, source: str) -> WallLayout:
    def fail(where: str, reason: str):
        raise LayoutError(source, where, reason)

    _unknown_keys(data, TOP_KEYS, "", "at the top of the file", fail)
    title = data.get("title", "")
    if not isinstance(title, str):
        fail("title", f"must be text in quotes, not {_show(title)}")
    settings = {name: _int(data, name, name, default, lo, hi, fail) for name, (default, lo, hi) in LIMITS.items()}
    map_layer = data.get("map_layer", "")
    from gridstation.analytics.choropleth import MAP_FIGURES

    if not isinstance(map_layer, str) or (map_layer and map_layer not in MAP_FIGURES):
        fail("map_layer", f"must be one of {', '.join(MAP_FIGURES)} (or \"\" for the live map), not {_show(map_layer)}")

    if "screen" not in data:
        fail("screen", "the layout has no screens: add at least one [[screen]] table with its panels")
    tables = data["screen"]
    if isinstance(tables, dict):
        fail("screen", "must be written [[screen]] (double brackets: one table per screen), not [screen]")
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        fail("screen", "must be [[screen]] tables (one per physical screen)")
    if not tables:
        fail("screen", "the layout has no screens: add at least one [[screen]] table with its panels")
    if len(tables) > MAX_SCREENS:
        fail("screen", f"{len(tables)} [[screen]] tables; at most {MAX_SCREENS} are allowed")

    screens: list[ScreenLayout] = []
    first_at: dict[int, int] = {}
    for i, table in enumerate(tables):
        here = f"screen[{i}]"
        _unknown_keys(table, SCREEN_KEYS, here, "in a [[screen]] table", fail)
        index = _int(table, "screen", f"{here}.screen", i, 0, MAX_SCREEN, fail)
        if index in first_at:
            fail(f"{here}.screen",
                 f"physical screen {index} is already used by screen[{first_at[index]}]; "
                 "each [[screen]] table needs its own screen number")
        first_at[index] = i
        columns = _required_int(table, "columns", here, 1, MAX_CELLS, fail)
        rows = _required_int(table, "rows", here, 1, MAX_CELLS, fail)
        screens.append(ScreenLayout(index, columns, rows, _panels(table, here, columns, rows, fail)))

    return WallLayout(title=title, **settings, screens=tuple(screens), source=source, map_layer=map_layer)


def _panels(table: dict, here: str, columns: int, rows: int, fail) -> tuple[PanelPlace, ...]:
    if "panels" not in table:
        fail(f"{here}.panels", "is missing: list the screen's panels, e.g. panels = [ { panel = \"map\" } ]")
    items = table["panels"]
    if not isinstance(items, list):
        fail(f"{here}.panels", f"must be a list of panels in [ ], not {_show(items)}")
    if not items:
        fail(f"{here}.panels", "is empty: a screen needs at least one panel")
    places: list[PanelPlace] = []
    owner: dict[tuple[int, int], int] = {}
    for j, item in enumerate(items):
        at = f"{here}.panels[{j}]"
        if not isinstance(item, dict):
            fail(at, f"must be a table like {{ panel = \"map\", col = 0, row = 0 }}, not {_show(item)}")
        _unknown_keys(item, PANEL_KEYS, at, "in a panel", fail)
        if "panel" not in item:
            fail(f"{at}.panel", f"is missing: say which panel goes here, one of {', '.join(PANELS)}")
        kind = item["panel"]
        if not isinstance(kind, str):
            fail(f"{at}.panel", f"must be a panel name in quotes, not {_show(kind)}; one of {', '.join(PANELS)}")
        if kind not in PANELS:
            close = difflib.get_close_matches(kind, PANELS, n=1)
            guess = f" (did you mean {close[0]!r}?)" if close else ""
            fail(f"{at}.panel", f"unknown panel {kind!r}{guess}; the panels are {', '.join(PANELS)}")
        col = _int(item, "col", f"{at}.col", 0, 0, columns - 1, fail,
                   why=f"the screen has {columns} column{'s' * (columns != 1)}, numbered 0..{columns - 1}")
        row = _int(item, "row", f"{at}.row", 0, 0, rows - 1, fail,
                   why=f"the screen has {rows} row{'s' * (rows != 1)}, numbered 0..{rows - 1}")
        colspan = _int(item, "colspan", f"{at}.colspan", 1, 1, columns - col, fail,
                       why=f"the panel starts at column {col} and the screen has {columns} "
                           f"column{'s' * (columns != 1)}")
        rowspan = _int(item, "rowspan", f"{at}.rowspan", 1, 1, rows - row, fail,
                       why=f"the panel starts at row {row} and the screen has {rows} row{'s' * (rows != 1)}")
        place = PanelPlace(kind, col, row, colspan, rowspan)
        for cell in sorted(place.cells(), key=lambda c: (c[1], c[0])):
            if cell in owner:
                k = owner[cell]
                fail(at, f"the {kind} panel overlaps {here}.panels[{k}] (the {places[k].panel} panel) "
                         f"at column {cell[0]}, row {cell[1]}; panels on one screen may not share cells")
        for cell in place.cells():
            owner[cell] = j
        places.append(place)
    return tuple(places)


def _unknown_keys(table: dict, allowed: tuple[str, ...], here: str, what: str, fail) -> None:
    for key in table:
        if key not in allowed:
            where = f"{here}.{key}" if here else key
            close = difflib.get_close_matches(str(key), allowed, n=1)
            guess = f" (did you mean {close[0]!r}?)" if close else ""
            fail(where, f"unknown setting {key!r} {what}{guess}; the allowed settings there are {', '.join(allowed)}")


def _int(table: dict, key: str, where: str, default: int, lo: int, hi: int, fail, why: str = "") -> int:
    if key not in table:
        return default
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int):
        fail(where, f"must be a whole number from {lo} to {hi}, not {_show(value)}")
    if not lo <= value <= hi:
        because = f" ({why})" if why else ""
        fail(where, f"{value} is out of range: allowed {lo} to {hi}{because}")
    return value


def _required_int(table: dict, key: str, here: str, lo: int, hi: int, fail) -> int:
    if key not in table:
        fail(f"{here}.{key}", f"is missing: every [[screen]] needs columns and rows ({lo} to {hi} each)")
    return _int(table, key, f"{here}.{key}", 0, lo, hi, fail)


def _show(value) -> str:
    """A value as the user wrote it in TOML, with what it is."""
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a true/false value)"
    if isinstance(value, str):
        return f"{value!r} (text)"
    if isinstance(value, float):
        return f"{value!r} (a decimal number)"
    if isinstance(value, int):
        return f"{value} (a whole number)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"{value!s} (a date or time)"


# --------------------------------------------------------------------------- built-in layouts


def _p(panel: str, col: int, row: int, colspan: int = 1, rowspan: int = 1) -> PanelPlace:
    return PanelPlace(panel, col, row, colspan, rowspan)


# One screen, 4 x 3 cells (480 x 337 px each on 1920 x 1080): every list panel gets a
# quarter of the width, enough for names and figures read from 5 m.
#   map 2x2 top left; headline 2x1 top right; ticker and warnings below it;
#   the bottom row: trend, drill-down, departments, streets.
_ONE = ScreenLayout(0, 4, 3, (
    _p("map", 0, 0, 2, 2),
    _p("headline", 2, 0, 2, 1),
    _p("ticker", 2, 1),
    _p("warnings", 3, 1),
    _p("trend", 0, 2),
    _p("drilldown", 1, 2),
    _p("departments", 2, 2),
    _p("streets", 3, 2),
))

# Two screens. Screen 0, 4 x 3 cells: map 3x3, headline and ticker in the right column.
_TWO_MAP = ScreenLayout(0, 4, 3, (
    _p("map", 0, 0, 3, 3),
    _p("headline", 3, 0),
    _p("ticker", 3, 1, 1, 2),
))
# Screen 1, 4 x 2 cells: trend and drill-down on top, rankings and warnings below.
_TWO_FIGURES = ScreenLayout(1, 4, 2, (
    _p("trend", 0, 0, 2, 1),
    _p("drilldown", 2, 0, 2, 1),
    _p("departments", 0, 1),
    _p("streets", 1, 1),
    _p("warnings", 2, 1, 2, 1),
))


def default_layout(screens: int = 1) -> WallLayout:
    """The built-in layout for ``screens`` physical screens (1 or more).

    1: every panel on one screen. 2: the map, headline and ticker on screen 0; trend,
    drill-down, rankings and warnings on screen 1. More: the two-screen layout on screens
    0 and 1 and a full-screen map on each further screen.
    """
    if isinstance(screens, bool) or not isinstance(screens, int) or screens < 1:
        raise ValueError(f"screens must be a whole number of at least 1, not {screens!r}")
    if screens == 1:
        parts: tuple[ScreenLayout, ...] = (_ONE,)
    else:
        extra = tuple(ScreenLayout(i, 1, 1, (_p("map", 0, 0),)) for i in range(2, min(screens, MAX_SCREEN + 1)))
        parts = (_TWO_MAP, _TWO_FIGURES, *extra)
    return WallLayout(title="", **{k: v[0] for k, v in LIMITS.items()}, screens=parts, source=BUILT_IN)


# --------------------------------------------------------------------------- physical screens


def for_screens(layout: WallLayout, available: int, *, only: int | None = None) -> list[tuple[int, ScreenLayout]]:
    """Which physical screen (0-based, ``available`` connected) shows which layout screen.

    ``only=N`` (``gridstation wall --screen N``): the layout's first ``[[screen]]`` on physical
    screen N, whatever its own ``screen`` number; N must exist. Otherwise (``--all-screens``):
    every layout screen whose ``screen`` number exists, in the file's order; layout screens
    whose number does not exist are left out and logged (``missing_screens`` lists them for a
    notice). Nothing to show raises ``LayoutError``.
    """
    count = f"this computer has {available} screen{'s' * (available != 1)}"
    numbered = f", numbered 0..{available - 1}" if available > 1 else " (screen 0)" if available == 1 else ""
    if only is not None:
        if only < 0 or only >= available:
            raise LayoutError(layout.source, "--screen", f"screen {only} does not exist: {count}{numbered}")
        return [(only, layout.screens[0])]
    shown = [(s.screen, s) for s in layout.screens if s.screen < available]
    if not shown:
        wanted = ", ".join(str(s.screen) for s in layout.screens)
        raise LayoutError(
            layout.source, "screen",
            f"none of the layout's screens ({wanted}) exists: {count}{numbered}; "
            "change the screen numbers in the layout, or use --screen N to show its first screen on screen N",
        )
    for s in missing_screens(layout, available):
        log.warning("wall layout %s: screen %d is not connected (%s); its panels are not shown",
                    layout.source, s.screen, count)
    return shown


def missing_screens(layout: WallLayout, available: int) -> list[ScreenLayout]:
    """The layout screens that ``for_screens`` leaves out because their screen is not connected."""
    return [s for s in layout.screens if s.screen >= available]
