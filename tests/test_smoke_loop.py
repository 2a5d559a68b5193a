from datetime import datetime

from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city


def test_full_loop(engine):
    m = build_mini_city(engine)
    t = [datetime(2026, 3, 2, 9, 30)]
    wf = Workflow(engine, clock=lambda: t[0])
    lon, lat = m.point("G1a")
    r = wf.report("intake", source="hotline", description="路边垃圾堆积", lon=lon, lat=lat, category_id=m.cats["GARBAGE"])
    assert r.state == "to_verify"
    r = wf.verify("sup1", r.case_id, confirmed=True, expected_version=r.version)
    r = wf.file("shift", r.case_id, expected_version=r.version)
    assert r.state == "to_dispatch"
    sug = wf.suggest_department(r.case_id)
    assert sug.department_id == m.depts["S1_SAN"] and sug.command_level == "street"
    r = wf.dispatch("st1", r.case_id, department_id=sug.department_id, expected_version=r.version)
    r = wf.feedback("h_s1", r.case_id, note="已清运", expected_version=r.version)
    r = wf.recheck("sup1", r.case_id, fixed=True, expected_version=r.version)
    r = wf.close("shift", r.case_id, expected_version=r.version)
    assert r.state == "closed"
