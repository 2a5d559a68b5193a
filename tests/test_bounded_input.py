"""Every free-text field is bounded in the core and in the database, and nothing is cut
short silently: too long is refused, with the field (and on import the row) named."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from gridstation.cases.workflow import Workflow
from gridstation.errors import InvalidInput
from gridstation.importers.cases import import_cases
from gridstation.importers.common import ImportRejected
from gridstation.importers.components import import_components
from gridstation.store import limits
from gridstation.store.model import Case, CaseEvent, Component
from tests.minicity import build_mini_city
from tests.test_import_cases import history_rows, write_csv


def _count(engine, model) -> int:
    with engine.connect() as c:
        return c.execute(select(func.count()).select_from(model)).scalar()


def test_workflow_refuses_too_long_text(engine):
    m = build_mini_city(engine)
    wf = Workflow(engine)
    lon, lat = m.point("G1a")
    kw = dict(source="supervisor", lon=lon, lat=lat, category_id=m.cats["MANHOLE"])
    for n in (200_000, 10_000_000):
        with pytest.raises(InvalidInput) as e:
            wf.report("sup1", description="井" * n, **kw)
        assert e.value.field == "description" and f"{n:,} characters" in e.value.reason
    with pytest.raises(InvalidInput) as e:
        wf.report("sup1", description="井盖缺失", address="路" * (limits.ADDRESS + 1), **kw)
    assert e.value.field == "address"
    with pytest.raises(InvalidInput):
        wf.report("sup1", description="井盖缺失", reporter_name="张" * (limits.PERSON_NAME + 1), **kw)
    assert _count(engine, Case) == 0

    r = wf.report("sup1", description="井" * limits.DESCRIPTION, **kw)  # exactly the limit is fine
    with pytest.raises(InvalidInput) as e:
        wf.file("shift", r.case_id, note="注" * (limits.NOTE + 1))
    assert e.value.field == "note"
    with pytest.raises(InvalidInput):
        wf.urge("leader", r.case_id, opinion="快" * (limits.NOTE + 1))
    assert _count(engine, CaseEvent) == 1


def test_database_refuses_too_long_text_itself(engine):
    """Code that bypasses the core (a script, a future importer) meets the same bounds."""
    m = build_mini_city(engine)
    r = Workflow(engine).report("sup1", source="supervisor", description="井盖缺失", grid_id=m.grids["G1a"])
    for column, limit in (("description", limits.DESCRIPTION), ("address", limits.ADDRESS),
                          ("reporter_name", limits.PERSON_NAME)):
        with pytest.raises(DBAPIError):
            with engine.begin() as c:
                c.execute(text(f"UPDATE cases SET {column} = :v WHERE id = :id"), {"v": "x" * (limit + 1), "id": r.case_id})
        with engine.begin() as c:  # the limit itself is accepted
            c.execute(text(f"UPDATE cases SET {column} = :v WHERE id = :id"), {"v": "x" * limit, "id": r.case_id})
    with pytest.raises(DBAPIError):
        with engine.begin() as c:
            c.execute(text("UPDATE department SET name = :v"), {"v": "部" * (limits.NAME + 1)})


def test_import_names_the_row_and_field_of_a_too_long_description(engine, tmp_path):
    city = build_mini_city(engine)
    rows = history_rows(city)
    rows[2]["问题描述"] = "垃" * 200_000
    rows[4]["地址"] = "路" * 256
    with pytest.raises(ImportRejected) as e:
        import_cases(engine, write_csv(tmp_path / "h.csv", rows))
    probs = {(p.where, p.field) for p in e.value.problems}
    assert (f"row 4 ({rows[2]['案件编号']})", "问题描述") in probs
    assert (f"row 6 ({rows[4]['案件编号']})", "地址") in probs
    assert "200,000 characters, at most 2,000" in str(e.value)
    assert _count(engine, Case) == 0


def test_component_names_are_refused_not_cut(engine, tmp_path):
    city = build_mini_city(engine)
    lon, lat = city.point("G1a")
    fc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"code": "4101050101000001", "name": "井" * 129, "category": "C0102"}}]}
    path = tmp_path / "c.geojson"
    path.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ImportRejected) as e:
        import_components(engine, path)
    assert [p for p in e.value.problems if p.where.startswith("row 1") and p.field == "name" and "129 characters, at most 128" in p.reason]
    assert _count(engine, Component) == 0
