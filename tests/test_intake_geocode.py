"""Intake with the real geocoder: a hotline operator types an address, the dialog finds the
doorplate in the gazetteer and puts the report's point and grid there."""

from __future__ import annotations

import pytest

from gridstation.app import tasks
from gridstation.app.context import AppContext
from gridstation.app.cases.intake import IntakeDialog
from gridstation.store.db import session_factory
from gridstation.importers.places import import_place_rows
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city


@pytest.fixture
def intake(qtbot, engine, db_url):
    m = build_mini_city(engine)
    lon, lat = m.point("G1b")
    with session_factory(engine)() as s, s.begin():
        import_place_rows(s, [
            {"name": "建设路82号", "kind": "doorplate", "street": "建设路", "number": "82", "lon": lon, "lat": lat},
            {"name": "建设路80号", "kind": "doorplate", "street": "建设路", "number": "80",
             "lon": m.point("G1a")[0], "lat": m.point("G1a")[1]},
        ], default_source="test")
    wf = Workflow(engine)
    ctx = AppContext(url=db_url, engine=engine, workflow=wf, actor=wf.actor("intake"))
    dlg = IntakeDialog(ctx)
    qtbot.addWidget(dlg)
    yield dlg, m
    tasks.wait_idle()


def test_typed_address_locates_point_and_grid(qtbot, intake):
    dlg, m = intake
    dlg.address.setText("测试区建设路８２号附近")  # full-width digits and a district prefix
    dlg.locate()
    qtbot.waitUntil(lambda: dlg._point is not None, timeout=10_000)
    lon, lat = dlg._point
    assert (round(lon, 6), round(lat, 6)) == tuple(round(v, 6) for v in m.point("G1b"))
    qtbot.waitUntil(lambda: dlg._grid is not None, timeout=10_000)
    assert dlg._grid.id == m.grids["G1b"]


def test_unknown_address_says_so(qtbot, intake):
    dlg, _ = intake
    dlg.address.setText("不存在的路999号")
    dlg.locate()
    qtbot.waitUntil(lambda: dlg.locate_button.isEnabled(), timeout=10_000)
    assert dlg._point is None
