"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) over the case workflow.

Qt-free and HTTP-free: ``Open311`` takes plain values (what a form or a JSON body carried) and
returns plain dicts in the spec's shape; ``gridstation.exchange.service`` puts it on the web.

Mapping (docs/open311.md):

* a *service* is a current leaf of the catalogue: ``service_code`` = the category code,
  ``service_name`` its Chinese name, ``group`` its major class, ``metadata`` true for component
  (部件) categories, which take the optional attribute ``component_code`` (部件编号);
* a *service request* is a case: ``service_request_id`` = the case number, ``status`` ``open``
  while the case is in the loop and ``closed`` once closed (结案) or voided (作废), with the
  stage in ``status_notes`` and the department handling it in ``agency_responsible``;
* a POST is a report through ``Workflow.report``: with an application key a public report
  (公众举报, verified on site first) taken by the exchange's service account; with a handheld
  key the supervisor's own report. The point (or the address, through the gazetteer) is placed
  in its unit grid, the duplicate check runs (suspected duplicates are named in the report's
  note and in ``service_notice``), and the case, its event, its photo, the ``open311_request``
  audit row and the ``change_log`` row commit together, so every client sees it at once.

Every refusal is an ``Open311Error`` with an HTTP code and a reason, and writes nothing.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, sessionmaker

from gridstation.cases.workflow import MAX_PHOTO_BYTES, Photo, Workflow, _sniff_image
from gridstation.errors import Forbidden, GridStationError, InvalidInput, NotFound, Unavailable
from gridstation.exchange.keyring import KeyIdentity
from gridstation.geo.geocode import Geocoder
from gridstation.geo.spatial import GridIndex
from gridstation.store.exchange_model import Open311Request
from gridstation.store.model import (
    Attachment,
    Case,
    CaseEvent,
    CaseSource,
    CaseState,
    Category,
    ChangeLog,
    Component,
    Department,
)

MAX_DESCRIPTION = 2000  # the workflow's limit (the spec allows 4000; we say so in a 400)
MAX_ADDRESS = 255
MAX_NAME = 64
MAX_PHONE = 32
MAX_EMAIL = 128
MAX_MEDIA_URL = 1024
MAX_IDS = 200
MAX_RESULTS = 1000
DEFAULT_DAYS = 90  # the spec's default window for requests.json without dates
GEOCODE_MIN_SCORE = 0.6
TZ = "+08:00"  # the center's local time (China Standard Time; no DST)

STATE_NOTES = {
    CaseState.TO_VERIFY.value: "已受理，待核实",
    CaseState.TO_FILE.value: "待立案",
    CaseState.TO_DISPATCH.value: "已立案，待派遣",
    CaseState.HANDLING.value: "处置中",
    CaseState.PARKED.value: "挂账",
    CaseState.TO_CHECK.value: "已处置，待核查",
    CaseState.TO_CLOSE.value: "已核查，待结案",
    CaseState.SELF_REVIEW.value: "监督员自处理，待审核",
    CaseState.CLOSED.value: "已结案",
    CaseState.VOIDED.value: "已作废",
}
CLOSED_STATES = (CaseState.CLOSED.value, CaseState.VOIDED.value)
COMPONENT_ATTRIBUTE = "component_code"
# Photos served to the public: those sent with the report itself, not the departments' and
# supervisors' photos of later steps.
PUBLIC_PHOTO_EVENTS = ("report", "self_handle")


class Open311Error(GridStationError):
    """A refused request: ``status`` is the HTTP code, ``description`` the reason."""

    kind = "open311"

    def __init__(self, status: int, description: str) -> None:
        self.status, self.description = status, description
        super().__init__(description)

    def body(self) -> list[dict]:
        return [{"code": self.status, "description": self.description}]


def bad(description: str) -> Open311Error:
    return Open311Error(400, description)


@dataclass(frozen=True)
class Leaf:
    """A current leaf category: what a service is."""

    id: int
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class Upload:
    """A photo posted with the request (multipart field ``media``)."""

    filename: str
    content: bytes
    content_type: str = ""


def iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.replace(microsecond=0).isoformat() + TZ


def parse_date(value: str, name: str) -> datetime:
    """An ISO 8601 date or date-time; an offset is converted to the center's local time."""
    v = value.strip()
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise bad(f"{name}: not an ISO 8601 date ({value[:40]!r})") from None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone(timedelta(hours=8))).replace(tzinfo=None)
    return dt


def _float(value, name: str, lo: float, hi: float) -> float:
    try:
        x = float(str(value).strip())
    except (TypeError, ValueError):
        raise bad(f"{name}: not a number ({str(value)[:40]!r})") from None
    if not math.isfinite(x) or not lo <= x <= hi:
        raise bad(f"{name}: {x:g} is out of range ({lo:g} to {hi:g})")
    return x


def _text(values: dict, name: str, max_len: int) -> str:
    v = values.get(name)
    if v is None:
        return ""
    if not isinstance(v, str):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        else:
            raise bad(f"{name}: expected text")
    v = v.strip()
    if "\x00" in v:
        raise bad(f"{name}: contains a NUL character")
    if len(v) > max_len:
        raise bad(f"{name}: {len(v)} characters, at most {max_len}")
    return v


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Open311:
    """The GeoReport v2 operations against one database (thread-safe: a session per call)."""

    def __init__(self, engine: Engine, *, workflow: Workflow | None = None, base_url: str = "",
                 grid_refresh: float = 5.0) -> None:
        self.engine = engine
        self.workflow = workflow or Workflow(engine)
        self._read = sessionmaker(engine, expire_on_commit=False)
        self.base_url = base_url.rstrip("/")
        self._grid_refresh = grid_refresh
        self._index: GridIndex | None = None
        self._index_mark: tuple[int, float] = (-1, 0.0)
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._services_cache: tuple[float, list[dict], dict[str, Leaf]] | None = None
        # SQLite has one writer at a time: writers of this process queue on a lock instead of
        # in SQLite's busy handler, which sleeps up to 100 ms between tries under contention.
        # On PostgreSQL, reports serialise on the day's case-number row and the change-feed lock
        # until commit anyway; letting every request thread wait inside the database only adds
        # GIL contention for the thread that holds the locks. A few at a time is faster (8 measured
        # best of 4, 8 and unbounded: 63 vs 42 reports/s, p95 1.0 vs 2.9 s on a loaded 2-core machine).
        self._writers = (threading.Lock() if engine.dialect.name == "sqlite"
                               else threading.BoundedSemaphore(int(os.environ.get("GRIDSTATION_SERVE_WRITERS", "8"))))

    def warm(self) -> None:
        """Load what the first request would otherwise wait for (catalogue, grids, calendar)."""
        self.services()
        self.grid_index()
        self.workflow.calendar  # noqa: B018 - built once, cached

    # ------------------------------------------------------------------ services

    def services(self) -> list[dict]:
        """The current leaf categories (cached for a few seconds: the catalogue rarely changes)."""
        return self._catalogue()[0]

    def _catalogue(self) -> tuple[list[dict], dict[str, Leaf]]:
        now = time.monotonic()
        hit = self._services_cache
        if hit is not None and now - hit[0] < 5.0:
            return hit[1], hit[2]
        with self._read() as s:
            cats = s.scalars(select(Category).order_by(Category.code)).all()
        by_id = {c.id: c for c in cats}
        out, leaves = [], {}
        for c in cats:
            if not c.is_leaf or c.retired:
                continue
            leaves[c.code] = Leaf(c.id, c.code, c.name, c.kind)
            chain = []
            p = c
            while p is not None:
                chain.append(p.name)
                p = by_id.get(p.parent_id) if p.parent_id else None
            chain.reverse()
            group = chain[1] if len(chain) > 2 else chain[0]
            out.append({
                "service_code": c.code,
                "service_name": c.name,
                "description": " / ".join(chain),
                "metadata": c.kind == "component",
                "type": "realtime",
                "keywords": c.pinyin or "",
                "group": group,
            })
        self._services_cache = (now, out, leaves)
        return out, leaves

    def service_definition(self, code: str) -> dict:
        cat = self._leaf(code)
        if cat.kind != "component":
            raise Open311Error(404, f"service_code {code}: this service has no attributes (metadata is false)")
        return {
            "service_code": cat.code,
            "attributes": [{
                "variable": True,
                "code": COMPONENT_ATTRIBUTE,
                "datatype": "string",
                "required": False,
                "datatype_description": "部件编号：16位数字（6位行政区划+2位大类+2位小类+6位顺序号）",
                "order": 1,
                "description": "部件编号（可选）",
                "values": [],
            }],
        }

    def _leaf(self, code: str) -> Leaf:
        leaf = self._catalogue()[1].get(code)
        if leaf is None:
            raise bad(f"service_code {code!r} is not a service of this city (see services.json)")
        return leaf

    # ------------------------------------------------------------------ reading requests

    def request(self, number: str) -> list[dict]:
        rows = self._requests(select(Case).where(Case.number == number))
        if not rows:
            raise Open311Error(404, f"service_request_id {number!r} does not exist")
        return rows

    def requests(self, params: dict) -> list[dict]:
        q = select(Case)
        ids = [x.strip() for x in (params.get("service_request_id") or "").split(",") if x.strip()]
        if len(ids) > MAX_IDS:
            raise bad(f"service_request_id: at most {MAX_IDS} ids")
        if ids:
            # The spec: with ids, the other filters are ignored.
            return self._requests(q.where(Case.number.in_(ids)).order_by(Case.reported_at.desc()))
        codes = [x.strip() for x in (params.get("service_code") or "").split(",") if x.strip()]
        if codes:
            q = q.join(Category, Category.id == Case.category_id).where(Category.code.in_(codes))
        start = parse_date(params["start_date"], "start_date") if params.get("start_date") else None
        end = parse_date(params["end_date"], "end_date") if params.get("end_date") else None
        if start is None and end is None:
            start = datetime.now() - timedelta(days=DEFAULT_DAYS)
        if start is not None:
            q = q.where(Case.reported_at >= start)
        if end is not None:
            q = q.where(Case.reported_at <= end)
        statuses = {x.strip().lower() for x in (params.get("status") or "").split(",") if x.strip()}
        if statuses - {"open", "closed"}:
            raise bad("status: open, closed or both")
        if statuses == {"open"}:
            q = q.where(Case.state.not_in(CLOSED_STATES))
        elif statuses == {"closed"}:
            q = q.where(Case.state.in_(CLOSED_STATES))
        return self._requests(q.order_by(Case.reported_at.desc(), Case.id.desc()).limit(MAX_RESULTS))

    def _requests(self, q) -> list[dict]:
        with self._read() as s:
            cases = s.scalars(q).all()
            if not cases:
                return []
            ids = [c.id for c in cases]
            cats = {c.id: c for c in s.scalars(select(Category).where(
                Category.id.in_({c.category_id for c in cases if c.category_id})))}
            depts = {d.id: d for d in s.scalars(select(Department).where(
                Department.id.in_({c.current_department_id for c in cases if c.current_department_id})))}
            first_photo = dict(s.execute(select(Attachment.case_id, func.min(Attachment.id))
                                         .join(CaseEvent, CaseEvent.id == Attachment.event_id)
                                         .where(Attachment.case_id.in_(ids), CaseEvent.action.in_(PUBLIC_PHOTO_EVENTS))
                                         .group_by(Attachment.case_id)).all())
            media = dict(s.execute(select(Open311Request.case_id, Open311Request.media_url)
                                   .where(Open311Request.case_id.in_(ids), Open311Request.media_url != "")).all())
            void_notes = {}
            voided = [c.id for c in cases if c.state == CaseState.VOIDED.value]
            if voided:
                ev = aliased(CaseEvent)
                for cid, note in s.execute(select(ev.case_id, ev.note).where(ev.case_id.in_(voided),
                                                                             ev.action == "void")):
                    void_notes[cid] = note
            return [self._as_request(c, cats.get(c.category_id), depts.get(c.current_department_id),
                                     first_photo.get(c.id), media.get(c.id), void_notes.get(c.id)) for c in cases]

    def _as_request(self, c: Case, cat, dept, photo_id, media_url, void_note) -> dict:
        notes = STATE_NOTES.get(c.state, c.state)
        if c.state == CaseState.HANDLING.value and dept is not None:
            notes = f"处置中（{dept.name}）"
        if void_note:
            notes = f"已作废：{void_note}"
        if photo_id is not None:
            media_url = f"{self.base_url}/open311/v2/media/{photo_id}"
        return {
            "service_request_id": c.number,
            "status": "closed" if c.state in CLOSED_STATES else "open",
            "status_notes": notes,
            "service_name": cat.name if cat else "",
            "service_code": cat.code if cat else "",
            "description": c.description,
            "agency_responsible": dept.name if dept else "",
            "service_notice": "",
            "requested_datetime": iso(c.reported_at),
            "updated_datetime": iso(c.updated_at),
            "expected_datetime": iso(c.due_at) if c.state not in CLOSED_STATES else None,
            "address": c.address,
            "address_id": "",
            "zipcode": "",
            "lat": c.lat,
            "long": c.lon,
            "media_url": media_url or "",
        }

    def media(self, attachment_id: int) -> tuple[str, bytes]:
        """A photo taken with a report; the center's own photos (feedback, re-check) stay inside."""
        with self._read() as s:
            row = s.execute(select(Attachment.mime, Attachment.content).join(CaseEvent, CaseEvent.id == Attachment.event_id)
                            .where(Attachment.id == attachment_id, CaseEvent.action.in_(PUBLIC_PHOTO_EVENTS))).first()
            if row is None:
                raise Open311Error(404, "no such media")
            return row.mime, row.content

    # ------------------------------------------------------------------ locating

    def grid_index(self) -> GridIndex:
        """The current grids, rebuilt when an import or a demo rebuild changed them."""
        now = time.monotonic()
        with self._lock:
            seq, checked = self._index_mark
            if self._index is not None and now - checked < self._grid_refresh:
                return self._index
        with self._build_lock:  # one build at a time; the others wait and take it
            with self._lock:
                seq, checked = self._index_mark
                if self._index is not None and now - checked < self._grid_refresh:
                    return self._index
            with self._read() as s:
                latest = s.scalar(select(func.coalesce(func.max(ChangeLog.seq), 0))
                                  .where(ChangeLog.entity.in_(("import", "demo")))) or 0
                if self._index is None or latest != seq:
                    index = GridIndex.from_session(s)
                else:
                    index = self._index
            with self._lock:
                self._index, self._index_mark = index, (latest, time.monotonic())
            return index

    def locate(self, values: dict) -> tuple[float, float, int, str]:
        """(lon, lat, grid id, address) of a request, or a 400 saying why not."""
        has_lat = bool(str(values.get("lat") or "").strip())
        has_lon = bool(str(values.get("long") or "").strip())
        address = _text(values, "address_string", MAX_ADDRESS)
        if has_lat != has_lon:
            raise bad("lat and long go together: give both, or address_string")
        if has_lat:
            lat = _float(values.get("lat"), "lat", -90.0, 90.0)
            lon = _float(values.get("long"), "long", -180.0, 180.0)
            grid_id = self.grid_index().locate(lon, lat)
            if grid_id is None:
                raise bad(f"lat/long {lat:.6f}, {lon:.6f} lies outside the city (in no unit grid)")
            return lon, lat, grid_id, address
        if address:
            with self._read() as s:
                found = [c for c in Geocoder(s).geocode(address, limit=3) if c.score >= GEOCODE_MIN_SCORE]
            if not found:
                raise bad(f"address_string {address!r} was not found in the gazetteer: give lat and long")
            best = found[0]
            rivals = [c for c in found[1:] if c.score >= best.score and c.grid_id != best.grid_id]
            if rivals:
                raise bad(f"address_string {address!r} matches several places in different grids "
                          f"({best.grid_code}, {rivals[0].grid_code}): give lat and long")
            grid_id = best.grid_id if best.grid_id is not None else self.grid_index().locate(best.lon, best.lat)
            if grid_id is None:
                raise bad(f"address_string {address!r} lies outside the city (in no unit grid)")
            return best.lon, best.lat, grid_id, address
        if str(values.get("address_id") or "").strip():
            raise bad("address_id is not supported here: give lat and long, or address_string")
        raise bad("a location is required: lat and long, or address_string")

    # ------------------------------------------------------------------ posting

    def post(self, key: KeyIdentity, values: dict, uploads: list[Upload] = (), *, remote_addr: str = "",
             client_token: str | None = None) -> list[dict]:
        """Create a service request; the spec's answer ``[{service_request_id, service_notice}]``."""
        code = _text(values, "service_code", 32)
        if not code:
            raise bad("service_code is required (see services.json)")
        cat = self._leaf(code)
        lon, lat, grid_id, address = self.locate(values)
        description = values.get("description")
        if description is not None and not isinstance(description, str):
            raise bad("description: expected text")
        description = (description or "").strip()
        if len(description) > MAX_DESCRIPTION:
            raise bad(f"description: {len(description)} characters, at most {MAX_DESCRIPTION}")
        if "\x00" in description:
            raise bad("description: contains a NUL character")
        description = description or cat.name
        name = " ".join(x for x in (_text(values, "last_name", MAX_NAME), _text(values, "first_name", MAX_NAME)) if x)
        if len(name) > MAX_NAME:
            raise bad(f"first_name + last_name: at most {MAX_NAME} characters")
        phone = _text(values, "phone", MAX_PHONE)
        if phone and not re.fullmatch(r"[0-9+\-() ]{3,32}", phone):
            raise bad("phone: digits, spaces, + - ( ) only")
        email = _text(values, "email", MAX_EMAIL)
        if email and not _EMAIL.match(email):
            raise bad("email: not an e-mail address")
        media_url = _text(values, "media_url", MAX_MEDIA_URL)
        if media_url and not re.match(r"^https?://", media_url, re.I):
            raise bad("media_url: an http or https URL")
        device_id = _text(values, "device_id", 128)
        account_id = _text(values, "account_id", 128)
        component_id = self._component(values, cat)
        photos = self._photos(uploads)
        token = (client_token or "").strip()[:128] or None
        if token:
            done = self._by_token(key, token)
            if done is not None:
                return done

        source = CaseSource.SUPERVISOR if key.kind == "handheld" else CaseSource.PUBLIC
        dups = self.workflow.duplicates(lon, lat, cat.id)
        notice = ""
        note = f"Open311（{key.name}）"
        if dups:
            numbers = "、".join(d.number for d in dups[:5])
            notice = f"附近24小时内已有同类案件：{numbers}"
            note += f"；疑似重复：{numbers}"
        now = datetime.now()

        def record(s: Session, case: Case) -> None:
            s.add(Open311Request(case_id=case.id, api_key_id=key.key_id, received_at=now, remote_addr=remote_addr[:64],
                                 email=email, device_id=device_id, account_id=account_id, media_url=media_url,
                                 client_token=token))

        try:
            with self._writers:
                res = self.workflow.report(
                    key.user_id, source=source, description=description, lon=lon, lat=lat, grid_id=grid_id,
                    address=address, category_id=cat.id, component_id=component_id, reporter_name=name,
                    reporter_phone=phone, photos=photos, note=note, within=record,
                )
        except IntegrityError:
            # Two retries of the same request raced: the other one made the case.
            done = self._by_token(key, token) if token else None
            if done is not None:
                return done
            raise
        except Forbidden as e:
            raise Open311Error(403, e.reason) from None
        except (InvalidInput, NotFound) as e:
            raise bad(str(e)) from None
        except Unavailable as e:
            raise Open311Error(503, str(e)) from None
        out = {"service_request_id": res.number, "service_notice": notice}
        if account_id:
            out["account_id"] = account_id
        return [out]

    def _by_token(self, key: KeyIdentity, token: str) -> list[dict] | None:
        with self._read() as s:
            number = s.scalar(select(Case.number).join(Open311Request, Open311Request.case_id == Case.id)
                              .where(Open311Request.api_key_id == key.key_id, Open311Request.client_token == token))
        return None if number is None else [{"service_request_id": number, "service_notice": "重复提交：已有此请求"}]

    def _component(self, values: dict, cat: Leaf) -> int | None:
        raw = values.get(f"attribute[{COMPONENT_ATTRIBUTE}]")
        if raw is None and isinstance(values.get("attribute"), dict):
            raw = values["attribute"].get(COMPONENT_ATTRIBUTE)
        code = str(raw or "").strip()
        if not code:
            return None
        if cat.kind != "component":
            raise bad(f"attribute[{COMPONENT_ATTRIBUTE}]: {cat.name} is an event category, not a component")
        if not re.fullmatch(r"\d{16}", code):
            raise bad(f"attribute[{COMPONENT_ATTRIBUTE}]: 16 digits")
        with self._read() as s:
            cid = s.scalar(select(Component.id).where(Component.code == code))
        if cid is None:
            raise bad(f"attribute[{COMPONENT_ATTRIBUTE}]: no component {code}")
        return cid

    @staticmethod
    def _photos(uploads) -> list[Photo]:
        out = []
        for up in uploads or ():
            if not up.content:
                continue  # an empty file field: a form posted without a photo
            if len(up.content) > MAX_PHOTO_BYTES:
                raise bad(f"media: {up.filename or 'the file'} is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MB")
            if _sniff_image(up.content) is None:
                raise bad(f"media: {up.filename or 'the file'} is not a JPEG, PNG, WebP or GIF picture")
            out.append(Photo(up.filename or "photo", up.content))
        if len(out) > 9:
            raise bad("media: at most 9 pictures")
        return out


def values_from_json(body: bytes) -> dict:
    """The fields of a JSON body (an object; nested ``attribute`` object allowed)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise bad("the body is not valid UTF-8") from None
    except json.JSONDecodeError as e:
        raise bad(f"the body is not valid JSON ({e.msg} at {e.pos})") from None
    if not isinstance(data, dict):
        raise bad("the JSON body must be an object of fields")
    return data


__all__ = ["Leaf", "Open311", "Open311Error", "Upload", "values_from_json", "iso"]
