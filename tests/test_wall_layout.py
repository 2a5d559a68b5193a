"""The wall layout file: reading, every refusal with its place, the built-in layouts, the screens."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest

from gridstation.errors import GridStationError
from gridstation.wall.layout import (
    PANELS,
    LayoutError,
    PanelPlace,
    ScreenLayout,
    WallLayout,
    default_layout,
    for_screens,
    load_layout,
    missing_screens,
    parse_layout,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {1: ROOT / "resources" / "wall" / "one-screen.toml", 2: ROOT / "resources" / "wall" / "two-screens.toml"}

MINI = """
[[screen]]
columns = 2
rows = 1
panels = [ { panel = "map" }, { panel = "ticker", col = 1 } ]
"""


def screen_toml(panels: str, *, columns: int = 4, rows: int = 3, extra: str = "") -> str:
    return f"[[screen]]\n{extra}columns = {columns}\nrows = {rows}\npanels = [\n{panels}\n]\n"


def refused(text: str, *needles: str) -> LayoutError:
    with pytest.raises(LayoutError) as info:
        parse_layout(text, "wall.toml")
    msg = str(info.value)
    assert msg.startswith("wall layout wall.toml: "), msg
    for needle in needles:
        assert needle in msg, f"{needle!r} not in {msg!r}"
    return info.value


def no_overlaps(screen: ScreenLayout) -> bool:
    seen: set[tuple[int, int]] = set()
    for p in screen.panels:
        cells = {(c, r) for c in range(p.col, p.col + p.colspan) for r in range(p.row, p.row + p.rowspan)}
        if cells & seen:
            return False
        seen |= cells
    return True


# --------------------------------------------------------------------------- valid files


def test_full_file_round_trips(tmp_path):
    text = """
title = "金水区数字城管"
rotate_seconds = 30
refresh_seconds = 120
ticker_items = 20
pulse_seconds = 60
trend_days = 90
ranking_items = 10

[[screen]]
screen = 1
columns = 4
rows = 3
panels = [
  { panel = "map", col = 0, row = 0, colspan = 2, rowspan = 3 },
  { panel = "headline", col = 2, row = 0, colspan = 2 },
  { panel = "ticker", col = 2, row = 1, rowspan = 2 },
  { panel = "warnings", col = 3, row = 1, rowspan = 2 },
]

[[screen]]
screen = 0
columns = 1
rows = 1
[[screen.panels]]
panel = "drilldown"
"""
    path = tmp_path / "hall.toml"
    path.write_text(text, encoding="utf-8")
    layout = load_layout(path)
    assert layout == WallLayout(
        title="金水区数字城管", rotate_seconds=30, refresh_seconds=120, ticker_items=20, pulse_seconds=60,
        trend_days=90, ranking_items=10,
        screens=(
            ScreenLayout(1, 4, 3, (
                PanelPlace("map", 0, 0, 2, 3), PanelPlace("headline", 2, 0, 2, 1),
                PanelPlace("ticker", 2, 1, 1, 2), PanelPlace("warnings", 3, 1, 1, 2),
            )),
            ScreenLayout(0, 1, 1, (PanelPlace("drilldown", 0, 0, 1, 1),)),
        ),
        source=str(path),
    )
    assert parse_layout(text) == replace(layout, source="<text>")


def test_defaults_and_screen_number_from_position():
    layout = parse_layout(MINI + MINI.replace("ticker", "trend"))
    assert (layout.title, layout.rotate_seconds, layout.refresh_seconds, layout.ticker_items, layout.pulse_seconds,
            layout.trend_days, layout.ranking_items) == ("", 20, 60, 12, 120, 30, 8)
    assert [s.screen for s in layout.screens] == [0, 1]
    assert layout.screens[0].panels == (PanelPlace("map", 0, 0, 1, 1), PanelPlace("ticker", 1, 0, 1, 1))


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + ('title = "指挥大厅"\n' + MINI).encode("utf-8"))
    assert load_layout(path).title == "指挥大厅"


def test_limits_are_inclusive():
    text = ("rotate_seconds = 5\nrefresh_seconds = 3600\nticker_items = 3\npulse_seconds = 3600\n"
            "trend_days = 120\nranking_items = 30\n" + screen_toml('{ panel = "map", col = 11, row = 11 }',
                                                                 columns=12, rows=12, extra="screen = 15\n"))
    layout = parse_layout(text)
    assert layout.screens[0] == ScreenLayout(15, 12, 12, (PanelPlace("map", 11, 11, 1, 1),))


# --------------------------------------------------------------------------- refusals


def test_error_carries_its_facts():
    err = refused(screen_toml('{ panel = "map", colspan = 9 }'))
    assert isinstance(err, GridStationError)
    assert err.kind == "wall_layout"
    assert (err.source, err.where) == ("wall.toml", "screen[0].panels[0].colspan")
    assert "9 is out of range" in err.reason and "allowed 1 to 4" in err.reason


def test_missing_file(tmp_path):
    path = tmp_path / "nope.toml"
    with pytest.raises(LayoutError, match="does not exist") as info:
        load_layout(path)
    assert str(path) in str(info.value)


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(LayoutError, match="folder"):
        load_layout(tmp_path)


def test_not_utf8(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes('# 布局\ntitle = "指挥大厅"\n'.encode("gbk"))
    with pytest.raises(LayoutError) as info:
        load_layout(path)
    msg = str(info.value)
    assert str(path) in msg and "not UTF-8" in msg and "line 1" in msg


def test_toml_syntax_error_names_the_line():
    err = refused('title = "x"\nrotate_seconds = 20\n[[screen]]\ncolumns 4\n', "line 4", "TOML syntax error")
    assert err.line == 4
    err = refused('title = "x"\n\ntitle = "y"\n', "line 3")
    assert err.line == 3


def test_unterminated_string_at_end_of_file():
    err = refused('rotate_seconds = 20\ntitle = "wall', "TOML syntax error", "line 2")
    assert err.line == 2


@pytest.mark.parametrize(
    ("text", "place", "allowed"),
    [
        ("rotate_secs = 20\n" + MINI, "rotate_secs", "rotate_seconds"),
        ("[[screens]]\ncolumns = 1\n", "screens", "screen"),
        (screen_toml('{ panel = "map" }', extra="colums = 3\n"), "screen[0].colums", "columns"),
        (screen_toml('{ panel = "map", colpsan = 2 }'), "screen[0].panels[0].colpsan", "colspan"),
    ],
)
def test_unknown_keys_are_named_with_the_allowed_ones(text, place, allowed):
    err = refused(text, f"{place}: unknown setting", allowed, "did you mean")
    assert err.where == place


def test_unknown_panel_kind():
    refused(screen_toml('{ panel = "map" }, { panel = "clock", col = 1 }'),
            "screen[0].panels[1].panel", "'clock'", ", ".join(PANELS))


@pytest.mark.parametrize(
    ("text", "place", "what"),
    [
        ('title = 3\n' + MINI, "title", "text"),
        ("rotate_seconds = true\n" + MINI, "rotate_seconds", "true"),
        ("ticker_items = 12.0\n" + MINI, "ticker_items", "12.0"),
        ('trend_days = "30"\n' + MINI, "trend_days", "'30'"),
        (screen_toml('{ panel = "map" }', columns="true"), "screen[0].columns", "true"),
        (screen_toml('{ panel = "map" }', extra="screen = false\n"), "screen[0].screen", "false"),
        (screen_toml('{ panel = "map", col = true }'), "screen[0].panels[0].col", "true"),
        (screen_toml('{ panel = "map", rowspan = 1.5 }'), "screen[0].panels[0].rowspan", "1.5"),
        (screen_toml('{ panel = 1 }'), "screen[0].panels[0].panel", "1"),
        (screen_toml('"map"'), "screen[0].panels[0]", "'map'"),
        ('[[screen]]\ncolumns = 1\nrows = 1\npanels = { panel = "map" }\n', "screen[0].panels", "list"),
    ],
)
def test_wrong_types(text, place, what):
    err = refused(text, f"{place}: ", what)
    assert err.where == place


def test_booleans_are_not_whole_numbers():
    refused("ranking_items = true\n" + MINI, "ranking_items", "must be a whole number from 3 to 30", "true")


@pytest.mark.parametrize(
    ("text", "place", "allowed"),
    [
        ("rotate_seconds = 4\n" + MINI, "rotate_seconds", "5 to 3600"),
        ("refresh_seconds = 3601\n" + MINI, "refresh_seconds", "10 to 3600"),
        ("ticker_items = 2\n" + MINI, "ticker_items", "3 to 100"),
        ("pulse_seconds = 9\n" + MINI, "pulse_seconds", "10 to 3600"),
        ("trend_days = 121\n" + MINI, "trend_days", "7 to 120"),
        ("ranking_items = 31\n" + MINI, "ranking_items", "3 to 30"),
        (screen_toml('{ panel = "map" }', columns=0), "screen[0].columns", "1 to 12"),
        (screen_toml('{ panel = "map" }', rows=13), "screen[0].rows", "1 to 12"),
        (screen_toml('{ panel = "map" }', extra="screen = -1\n"), "screen[0].screen", "0 to 15"),
        (screen_toml('{ panel = "map" }', extra="screen = 16\n"), "screen[0].screen", "0 to 15"),
    ],
)
def test_values_out_of_range(text, place, allowed):
    refused(text, f"{place}: ", "out of range", allowed)


@pytest.mark.parametrize(
    ("panels", "place", "detail"),
    [
        ('{ panel = "map", col = 4 }', "screen[0].panels[0].col", "4 columns, numbered 0..3"),
        ('{ panel = "map", row = 3 }', "screen[0].panels[0].row", "3 rows, numbered 0..2"),
        ('{ panel = "map", col = -1 }', "screen[0].panels[0].col", "allowed 0 to 3"),
        ('{ panel = "map" }, { panel = "ticker", col = 1, colspan = 4 }', "screen[0].panels[1].colspan",
         "starts at column 1"),
        ('{ panel = "map", row = 2, rowspan = 2 }', "screen[0].panels[0].rowspan", "allowed 1 to 1"),
    ],
)
def test_panel_outside_its_screen(panels, place, detail):
    refused(screen_toml(panels), f"{place}: ", detail)


def test_overlap_names_both_panels():
    panels = """
  { panel = "map", col = 0, row = 0, colspan = 2, rowspan = 3 },
  { panel = "headline", col = 2, row = 0, colspan = 2 },
  { panel = "ticker", col = 2, row = 1, rowspan = 2 },
  { panel = "warnings", col = 1, row = 2, colspan = 3 },
"""
    err = refused(MINI + screen_toml(panels), "screen[1].panels[3]", "warnings", "screen[1].panels[0]", "map",
                  "overlaps", "column 1, row 2")
    assert err.where == "screen[1].panels[3]"


def test_same_screen_twice():
    refused(MINI + MINI.replace("[[screen]]", "[[screen]]\nscreen = 0"),
            "screen[1].screen", "physical screen 0", "screen[0]")
    # the default (position) counts as well
    refused(MINI + MINI.replace("[[screen]]", "[[screen]]\nscreen = 2") + MINI,
            "screen[2].screen", "physical screen 2", "screen[1]")


@pytest.mark.parametrize("text", ["", 'title = "x"\n', "screen = []\n"])
def test_no_screens(text):
    refused(text, "screen: ", "no screens", "[[screen]]")


def test_single_bracket_screen_table():
    refused('[screen]\ncolumns = 1\nrows = 1\npanels = [ { panel = "map" } ]\n', "screen: ", "[[screen]]",
            "double brackets")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ('[[screen]]\nrows = 1\npanels = [ { panel = "map" } ]\n', "screen[0].columns"),
        ('[[screen]]\ncolumns = 1\npanels = [ { panel = "map" } ]\n', "screen[0].rows"),
        ("[[screen]]\ncolumns = 1\nrows = 1\n", "screen[0].panels"),
        ("[[screen]]\ncolumns = 1\nrows = 1\npanels = []\n", "screen[0].panels"),
        ("[[screen]]\ncolumns = 1\nrows = 1\npanels = [ { col = 0 } ]\n", "screen[0].panels[0].panel"),
    ],
)
def test_missing_parts(text, place):
    refused(text, f"{place}: ")


# --------------------------------------------------------------------------- built-in layouts


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_default_layouts_are_valid(n):
    layout = default_layout(n)
    assert layout.source == "built-in"
    assert len(layout.screens) == n
    assert [s.screen for s in layout.screens] == list(range(n))
    for s in layout.screens:
        assert 1 <= s.columns <= 12 and 1 <= s.rows <= 12
        assert s.panels
        for p in s.panels:
            assert p.panel in PANELS
            assert 0 <= p.col and p.col + p.colspan <= s.columns
            assert 0 <= p.row and p.row + p.rowspan <= s.rows
        assert no_overlaps(s)


def test_one_screen_has_every_panel_once_and_the_map_is_biggest():
    (screen,) = default_layout(1).screens
    assert sorted(p.panel for p in screen.panels) == sorted(PANELS)
    area = {p.panel: p.colspan * p.rowspan for p in screen.panels}
    assert max(area, key=area.get) == "map"


def test_two_screens_split_the_panels():
    first, second = default_layout(2).screens
    assert {p.panel for p in first.panels} == {"map", "headline", "ticker"}
    assert {p.panel for p in second.panels} == {"trend", "departments", "streets", "warnings", "drilldown"}
    assert sorted(p.panel for s in (first, second) for p in s.panels) == sorted(PANELS)


def test_more_screens_add_full_screen_maps():
    layout = default_layout(3)
    assert layout.screens[:2] == default_layout(2).screens
    assert layout.screens[2] == ScreenLayout(2, 1, 1, (PanelPlace("map", 0, 0, 1, 1),))


@pytest.mark.parametrize("bad", [0, -1, True])
def test_default_layout_needs_a_screen(bad):
    with pytest.raises(ValueError):
        default_layout(bad)


@pytest.mark.parametrize("n", [1, 2])
def test_example_files_equal_the_built_in_layouts(n):
    layout = load_layout(EXAMPLES[n])
    assert layout.source == str(EXAMPLES[n])
    assert replace(layout, source="built-in") == default_layout(n)


# --------------------------------------------------------------------------- physical screens


def test_only_shows_the_first_layout_screen_on_that_screen():
    two = default_layout(2)
    assert for_screens(two, 3, only=2) == [(2, two.screens[0])]
    assert for_screens(default_layout(1), 2, only=1) == [(1, default_layout(1).screens[0])]


@pytest.mark.parametrize(("available", "only"), [(1, 1), (2, 5), (2, -1)])
def test_only_a_missing_screen(available, only):
    with pytest.raises(LayoutError) as info:
        for_screens(default_layout(1), available, only=only)
    msg = str(info.value)
    assert f"screen {only} does not exist" in msg and f"has {available} screen" in msg
    assert info.value.where == "--screen"


def test_all_screens():
    three = default_layout(3)
    assert for_screens(three, 3) == [(0, three.screens[0]), (1, three.screens[1]), (2, three.screens[2])]
    assert for_screens(three, 5) == [(s.screen, s) for s in three.screens]


def test_all_screens_skips_missing_ones_and_logs(caplog):
    three = default_layout(3)
    with caplog.at_level(logging.WARNING, logger="gridstation.wall.layout"):
        shown = for_screens(three, 2)
    assert shown == [(0, three.screens[0]), (1, three.screens[1])]
    assert missing_screens(three, 2) == [three.screens[2]]
    assert "screen 2 is not connected" in caplog.text


def test_all_screens_follow_the_screen_numbers():
    def numbered(n: int) -> str:
        return MINI.replace("[[screen]]", f"[[screen]]\nscreen = {n}")

    layout = parse_layout(numbered(3) + numbered(1))
    assert for_screens(layout, 4) == [(3, layout.screens[0]), (1, layout.screens[1])]
    assert for_screens(layout, 2) == [(1, layout.screens[1])]


def test_all_screens_none_fits():
    layout = parse_layout(MINI.replace("[[screen]]", "[[screen]]\nscreen = 2"), "far.toml")
    with pytest.raises(LayoutError) as info:
        for_screens(layout, 2)
    msg = str(info.value)
    assert "far.toml" in msg and "none of the layout's screens (2) exists" in msg and "has 2 screens" in msg
    assert "--screen N" in msg
