"""The Open311 GeoReport v2 service, in process (Starlette's TestClient), SQLite and PostgreSQL.

The socket test (uvicorn on a free port) is in tests/test_open311_socket.py."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from gridstation.admin.apikeys import add_key, list_keys, revoke_key
from gridstation.cases.workflow import Workflow
from gridstation.errors import InvalidInput
from gridstation.exchange.service import create_app
from gridstation.store.changes import changes_since, latest_seq
from gridstation.store.db import session_factory
from gridstation.store.exchange_model import ApiKey, Open311Request
from gridstation.store.model import Attachment, Case, CaseEvent, ConfigChange
from tests.minicity import build_mini_city

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def city(engine):
    return build_mini_city(engine)


@pytest.fixture
def keys(engine, city):
    _, app_key = add_key(engine, "admin", name="市民App", kind="application", rate_per_minute=10_000)
    _, sup_key = add_key(engine, "admin", name="sup1-handheld", kind="handheld", user_login="sup1")
    return {"app": app_key, "sup": sup_key}


@pytest.fixture
def client(engine, city):
    with TestClient(create_app(engine=engine)) as c:
        yield c


def count(engine, model) -> int:
    with session_factory(engine)() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_services_are_the_leaf_categories(client, city):
    r = client.get("/open311/v2/services.json")
    assert r.status_code == 200
    codes = {x["service_code"]: x for x in r.json()}
    assert set(codes) == {"E0101", "C0102"}  # the branches and the retired C0199 are not services
    assert codes["E0101"]["service_name"] == "暴露垃圾"
    assert codes["E0101"]["metadata"] is False and codes["E0101"]["type"] == "realtime"
    assert codes["E0101"]["group"] == "市容环境"
    assert codes["C0102"]["metadata"] is True
    d = client.get("/open311/v2/services/C0102.json").json()
    assert d["service_code"] == "C0102" and d["attributes"][0]["code"] == "component_code"
    assert client.get("/open311/v2/services/E0101.json").status_code == 404
    xml = client.get("/open311/v2/services.xml")
    assert xml.status_code == 400 and "JSON only" in xml.json()[0]["description"]


def test_post_makes_a_public_report_in_the_right_grid_live_and_readable(client, engine, city, keys):
    seq = latest_seq(engine)
    lon, lat = city.point("G2a")
    r = client.post("/open311/v2/requests.json", data={
        "api_key": keys["app"], "service_code": "E0101", "lat": str(lat), "long": str(lon),
        "description": "路口有暴露垃圾", "first_name": "三", "last_name": "张", "phone": "13800000000",
        "email": "zs@example.cn", "address_string": "乙街道路口"})
    assert r.status_code == 200, r.text
    number = r.json()[0]["service_request_id"]
    with session_factory(engine)() as s:
        case = s.scalar(select(Case).where(Case.number == number))
        assert case.grid_id == city.grids["G2a"]
        assert case.source == "public" and case.state == "to_verify"
        assert case.reporter_name == "张 三" and case.reporter_phone == "13800000000"
        assert case.category_id == city.cats["GARBAGE"]
        audit = s.scalar(select(Open311Request).where(Open311Request.case_id == case.id))
        assert audit.email == "zs@example.cn" and audit.remote_addr
    # every client follows change_log: the new case is there
    assert any(c.entity == "case" and c.action == "report" for c in changes_since(engine, seq))
    one = client.get(f"/open311/v2/requests/{number}.json").json()
    assert one[0]["status"] == "open" and one[0]["status_notes"] == "已受理，待核实"
    assert one[0]["service_code"] == "E0101" and abs(one[0]["lat"] - lat) < 1e-9
    assert one[0]["requested_datetime"].endswith("+08:00")


def test_status_follows_the_workflow(client, engine, city, keys):
    lon, lat = city.point("G1a")
    r = client.post("/open311/v2/requests.json", headers={"X-API-Key": keys["sup"]},
                    json={"service_code": "C0102", "lat": lat, "long": lon, "description": "井盖破损"})
    assert r.status_code == 200, r.text
    number = r.json()[0]["service_request_id"]
    with session_factory(engine)() as s:
        case = s.scalar(select(Case).where(Case.number == number))
        assert case.source == "supervisor" and case.reported_by_id == city.users["sup1"]  # the supervisor's key
    wf = Workflow(engine)
    wf.file("shift", case.id)
    wf.dispatch("disp", case.id, department_id=city.depts["MUN"])
    got = client.get(f"/open311/v2/requests/{number}.json").json()[0]
    assert got["status"] == "open" and got["agency_responsible"] == "市政管理处"
    assert got["status_notes"] == "处置中（市政管理处）"
    wf.feedback("h_mun", case.id, note="已更换")
    wf.recheck("sup1", case.id, fixed=True)
    wf.close("shift", case.id)
    got = client.get(f"/open311/v2/requests/{number}.json").json()[0]
    assert got["status"] == "closed" and got["status_notes"] == "已结案"
    lst = client.get("/open311/v2/requests.json", params={"status": "closed"}).json()
    assert [x["service_request_id"] for x in lst] == [number]
    assert client.get("/open311/v2/requests.json", params={"status": "open"}).json() == []
    assert len(client.get("/open311/v2/requests.json", params={"service_code": "C0102,E0101"}).json()) == 1
    assert client.get("/open311/v2/requests.json", params={"service_request_id": f"{number},x"}).json()[0][
        "service_request_id"] == number
    assert client.get("/open311/v2/requests.json", params={"end_date": "2000-01-01T00:00:00Z"}).json() == []


def test_supervisor_key_outside_the_supervisors_area_is_refused(client, engine, city, keys):
    lon, lat = city.point("G2a")  # sup1 patrols street 甲 only
    r = client.post("/open311/v2/requests.json", headers={"X-API-Key": keys["sup"]},
                    json={"service_code": "E0101", "lat": lat, "long": lon, "description": "x"})
    assert r.status_code == 403 and "outside your area" in r.json()[0]["description"]
    assert count(engine, Case) == 0


@pytest.mark.parametrize("fields, reason", [
    ({"service_code": "X999"}, "service_code"),
    ({"lat": "95"}, "lat"),
    ({"lat": "", "long": ""}, "location is required"),
    ({"long": ""}, "go together"),
    ({"lat": "10", "long": "10"}, "outside the city"),
    ({"lat": "nan"}, "lat"),
    ({"lat": "abc"}, "not a number"),
    ({"description": "长" * 2001}, "at most 2000"),
    ({"first_name": "名" * 65}, "first_name"),
    ({"email": "not-an-email"}, "email"),
    ({"media_url": "ftp://x/y.jpg"}, "media_url"),
    ({"address_string": "", "lat": "", "long": "", "address_id": "17"}, "address_id"),
    ({"attribute[component_code]": "123"}, "component"),
])
def test_bad_requests_get_400_and_write_nothing(client, engine, city, keys, fields, reason):
    lon, lat = city.point("G1a")
    data = {"api_key": keys["app"], "service_code": "E0101", "lat": str(lat), "long": str(lon), "description": "x"}
    data.update(fields)
    r = client.post("/open311/v2/requests.json", data=data)
    assert r.status_code == 400, r.text
    body = r.json()
    assert isinstance(body, list) and body[0]["code"] == 400 and reason in body[0]["description"]
    assert count(engine, Case) == 0 and count(engine, Open311Request) == 0


def test_malformed_bodies_and_media(client, engine, city, keys):
    lon, lat = city.point("G1a")
    url = "/open311/v2/requests.json"
    h = {"X-API-Key": keys["app"]}
    # not UTF-8 (GBK bytes percent-encoded)
    r = client.post(url, headers={**h, "Content-Type": "application/x-www-form-urlencoded"},
                    content=b"service_code=E0101&lat=%f&long=%f&description=%%B0%%FC" % (lat, lon))
    assert r.status_code == 400 and "UTF-8" in r.json()[0]["description"]
    r = client.post(url, headers={**h, "Content-Type": "application/json"}, content=b"{not json")
    assert r.status_code == 400 and "JSON" in r.json()[0]["description"]
    r = client.post(url, headers={**h, "Content-Type": "application/json"}, content="[1]".encode())
    assert r.status_code == 400
    r = client.post(url, headers={**h, "Content-Type": "text/plain"}, content=b"hello")
    assert r.status_code == 400 and "Content-Type" in r.json()[0]["description"]
    fields = {"service_code": "E0101", "lat": str(lat), "long": str(lon), "description": "x"}
    r = client.post(url, headers=h, data=fields, files={"media": ("a.jpg", b"MZ\x90\x00not a picture", "image/jpeg")})
    assert r.status_code == 400 and "not a JPEG" in r.json()[0]["description"]
    big = b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024)
    r = client.post(url, headers=h, data=fields, files={"media": ("big.jpg", big, "image/jpeg")})
    assert r.status_code == 400 and "larger than 10 MB" in r.json()[0]["description"]
    huge = b"\xff\xd8\xff" + b"\x00" * (13 * 1024 * 1024)
    r = client.post(url, headers=h, data=fields, files={"media": ("huge.jpg", huge, "image/jpeg")})
    assert r.status_code == 400 and "larger than 12 MB" in r.json()[0]["description"]
    assert count(engine, Case) == 0 and count(engine, Attachment) == 0
    # a real picture is kept as the case's attachment and served back as media_url
    r = client.post(url, headers=h, data=fields, files={"media": ("p.png", io.BytesIO(PNG), "image/png")})
    assert r.status_code == 200, r.text
    number = r.json()[0]["service_request_id"]
    got = client.get(f"/open311/v2/requests/{number}.json").json()[0]
    assert "/open311/v2/media/" in got["media_url"]
    pic = client.get(got["media_url"])
    assert pic.status_code == 200 and pic.content == PNG and pic.headers["content-type"] == "image/png"


def test_writes_need_a_valid_unrevoked_key(client, engine, city, keys):
    lon, lat = city.point("G1a")
    data = {"service_code": "E0101", "lat": str(lat), "long": str(lon), "description": "x"}
    assert client.post("/open311/v2/requests.json", data=data).status_code == 403
    assert client.post("/open311/v2/requests.json", data={**data, "api_key": "gs_wrong"}).status_code == 403
    revoke_key(engine, "admin", "市民App")
    client.app.state  # noqa: B018
    app = create_app(engine=engine)  # a fresh worker: no cached key
    with TestClient(app) as c2:
        r = c2.post("/open311/v2/requests.json", data={**data, "api_key": keys["app"]})
    assert r.status_code == 403
    assert count(engine, Case) == 0
    # the audit holds the making and the revoking
    with session_factory(engine)() as s:
        fields = sorted(s.scalars(select(ConfigChange.field).where(ConfigChange.entity == "api_key")))
    assert fields == ["created", "created", "revoked"]
    # only hashes are stored
    with session_factory(engine)() as s:
        stored = s.scalars(select(ApiKey.key_hash)).all()
    assert keys["app"] not in stored and all(len(h) == 64 for h in stored)
    rows = list_keys(engine, "admin")
    assert [r.active for r in rows] == [False, True]


def test_rate_limit_per_key(engine, city):
    _, k = add_key(engine, "admin", name="slow", rate_per_minute=2)
    lon, lat = city.point("G1a")
    data = {"api_key": k, "service_code": "E0101", "lat": str(lat), "long": str(lon), "description": "x"}
    with TestClient(create_app(engine=engine)) as c:
        codes = [c.post("/open311/v2/requests.json", data=data).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert count(engine, Case) == 2


def test_only_the_admin_makes_keys_and_handheld_keys_need_a_supervisor(engine, city):
    from gridstation.admin.common import AdminForbidden

    with pytest.raises(AdminForbidden):
        add_key(engine, "shift", name="x")
    with pytest.raises(InvalidInput):
        add_key(engine, "admin", name="y", kind="handheld", user_login="disp")
    with pytest.raises(InvalidInput):
        add_key(engine, "admin", name="z", kind="handheld")
    assert count(engine, ApiKey) == 0


def test_duplicates_are_named_and_retries_with_the_same_idempotency_key_make_one_case(client, engine, city, keys):
    lon, lat = city.point("G1b")
    body = {"service_code": "E0101", "lat": lat, "long": lon, "description": "垃圾"}
    h = {"X-API-Key": keys["app"], "Idempotency-Key": "req-1"}
    a = client.post("/open311/v2/requests.json", headers=h, json=body).json()[0]
    b = client.post("/open311/v2/requests.json", headers=h, json=body).json()[0]
    assert a["service_request_id"] == b["service_request_id"] and count(engine, Case) == 1
    c = client.post("/open311/v2/requests.json", headers={"X-API-Key": keys["app"]}, json=body).json()[0]
    assert c["service_request_id"] != a["service_request_id"]
    assert a["service_request_id"] in c["service_notice"]
    with session_factory(engine)() as s:
        note = s.scalar(select(CaseEvent.note).join(Case, Case.id == CaseEvent.case_id)
                        .where(Case.number == c["service_request_id"]))
    assert "疑似重复" in note and a["service_request_id"] in note


def test_address_string_goes_through_the_gazetteer(client, engine, city, keys):
    from gridstation.geo.model import Place
    from gridstation.geo.geocode import normalize

    lon, lat = city.point("G2b")
    with session_factory(engine)() as s, s.begin():
        s.add(Place(kind="doorplate", name="花园路8号", norm_name=normalize("花园路8号"), street="花园路",
                    house_number="8", house_no=8, lon=lon, lat=lat, grid_id=city.grids["G2b"]))
    r = client.post("/open311/v2/requests.json", headers={"X-API-Key": keys["app"]},
                    json={"service_code": "E0101", "address_string": "测试区花园路８号", "description": "垃圾"})
    assert r.status_code == 200, r.text
    got = client.get(f"/open311/v2/requests/{r.json()[0]['service_request_id']}.json").json()[0]
    assert got["address"] == "测试区花园路８号" and abs(got["long"] - lon) < 1e-9
    r = client.post("/open311/v2/requests.json", headers={"X-API-Key": keys["app"]},
                    json={"service_code": "E0101", "address_string": "不存在路999号", "description": "垃圾"})
    assert r.status_code == 400 and "gazetteer" in r.json()[0]["description"]
    # the same doorplate in two grids: refused rather than guessed
    with session_factory(engine)() as s, s.begin():
        for g in ("G1a", "G2a"):
            glon, glat = city.point(g)
            s.add(Place(kind="doorplate", name="解放路3号", norm_name=normalize("解放路3号"), street="解放路",
                        house_number="3", house_no=3, lon=glon, lat=glat, grid_id=city.grids[g]))
    r = client.post("/open311/v2/requests.json", headers={"X-API-Key": keys["app"]},
                    json={"service_code": "E0101", "address_string": "解放路3号", "description": "垃圾"})
    assert r.status_code == 400 and "several places" in r.json()[0]["description"]
    assert count(engine, Case) == 1


def test_unknown_request_is_404_in_the_spec_format(client):
    r = client.get("/open311/v2/requests/nope.json")
    assert r.status_code == 404 and r.json()[0]["code"] == 404
    d = client.get("/open311/v2/discovery.json").json()
    assert d["endpoints"][0]["url"].endswith("/open311/v2")
    assert json.loads(client.get("/healthz").text) == {"ok": True}


def test_only_the_reporters_photo_is_public(client, engine, city, keys):
    from gridstation.cases.workflow import Photo

    lon, lat = city.point("G1a")
    r = client.post("/open311/v2/requests.json", headers={"X-API-Key": keys["sup"]},
                    json={"service_code": "C0102", "lat": lat, "long": lon, "description": "井盖破损"})
    number = r.json()[0]["service_request_id"]
    with session_factory(engine)() as s:
        case_id = s.scalar(select(Case.id).where(Case.number == number))
    wf = Workflow(engine)
    wf.file("shift", case_id)
    wf.dispatch("disp", case_id, department_id=city.depts["MUN"])
    wf.feedback("h_mun", case_id, note="已更换", photos=[Photo("after.png", PNG)])
    with session_factory(engine)() as s:
        att = s.scalar(select(Attachment.id).where(Attachment.case_id == case_id))
    assert client.get(f"/open311/v2/requests/{number}.json").json()[0]["media_url"] == ""
    assert client.get(f"/open311/v2/media/{att}").status_code == 404
