"""The 12345 hotline bridge (12345热线对接): work orders (工单) in, status and replies out.

The exchange format is in docs/hotline.md. In short:

* **in**: the platform drops order files (``*.json``: one order, a list, or ``{"orders": [...]}``;
  ``*.csv``: UTF-8, a header row with the field names in English or Chinese) into an inbox
  folder. ``import_inbox`` makes one case per order (source 热线, taken by the exchange's
  service account, verified on site like every hotline report), keeps the order number in
  ``hotline_order`` (same transaction as the case), and moves the file to ``done/`` (or to
  ``rejected/`` with a ``.error.txt`` saying why). An order number seen before is skipped:
  a file delivered twice makes nothing twice.
* **out**: ``collect`` turns the case events of hotline cases into ``exchange_outbox`` rows
  (status changes, the department's replies, closing or voiding), each with a stable
  ``message_id``; ``deliver`` sends what is due, to a folder (``<message_id>.json``, written
  atomically) or by HTTP POST, and resends with back-off until acknowledged: by a 2xx answer,
  or by an ``<message_id>.ack`` file the platform drops in the ack folder. Resending the
  same ``message_id`` is harmless on the platform's side (it keeps the first).

Every step is idempotent and restartable: run ``gridstation hotline run`` as often as you like.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from gridstation.accounts.apikeys import service_account
from gridstation.cases.workflow import Workflow
from gridstation.errors import GridStationError
from gridstation.exchange.open311 import STATE_NOTES, Open311Error
from gridstation.geo.geocode import Geocoder
from gridstation.geo.spatial import GridIndex
from gridstation.store.db import record_change, writer
from gridstation.store.exchange_model import ExchangeOutbox, HotlineOrder
from gridstation.store.model import Case, CaseEvent, CaseSource, Category, Department, UnitGrid

# Field names of an order: English key → accepted Chinese headers.
FIELDS: dict[str, tuple[str, ...]] = {
    "order_no": ("工单编号", "工单号"),
    "created_at": ("受理时间", "来电时间"),
    "category_code": ("类别编码", "问题分类编码"),
    "content": ("诉求内容", "问题描述"),
    "address": ("地址", "事发地址"),
    "lon": ("经度",),
    "lat": ("纬度",),
    "grid_code": ("网格编码",),
    "caller_name": ("来电人", "联系人"),
    "caller_phone": ("联系电话", "来电号码"),
    "deadline": ("办结时限",),
}
_ALIASES = {alias: key for key, aliases in FIELDS.items() for alias in (key, *aliases)}

EXCHANGE_STATES = {"received": "已接收", "sending": "回复待确认", "synced": "已同步", "closed": "已办结回复"}
RETRY_FIRST = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=1)


class OrderError(GridStationError):
    kind = "hotline_order"


@dataclass
class ImportResult:
    files: int = 0
    created: list[tuple[str, str]] = field(default_factory=list)  # (order no, case number)
    skipped: list[str] = field(default_factory=list)  # order numbers already imported
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file or order, reason)


@dataclass
class DeliverResult:
    sent: int = 0
    acked: int = 0
    failed: int = 0


# --------------------------------------------------------------------------- reading orders


def read_orders(path: Path) -> list[dict]:
    """The orders of one file as dicts with the English keys (unknown columns are kept in
    ``extra``)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OrderError(f"{path.name}: not UTF-8 text") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise OrderError(f"{path.name}: not valid JSON ({e.msg}, line {e.lineno})") from None
        if isinstance(data, dict) and isinstance(data.get("orders"), list):
            data = data["orders"]
        if isinstance(data, dict):
            data = [data]
        if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
            raise OrderError(f"{path.name}: expected an order object, a list of them, or {{\"orders\": [...]}}")
        rows = data
    elif path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
    else:
        raise OrderError(f"{path.name}: only .json and .csv files are read")
    out = []
    for r in rows:
        o: dict = {"extra": {}}
        for k, v in r.items():
            key = _ALIASES.get(str(k).strip()) if k is not None else None
            if key is None:
                o["extra"][str(k)] = v
            else:
                o[key] = v.strip() if isinstance(v, str) else v
        out.append(o)
    return out


# --------------------------------------------------------------------------- the bridge


class HotlineBridge:
    def __init__(self, engine: Engine, *, workflow: Workflow | None = None,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self.engine = engine
        self.workflow = workflow or Workflow(engine, clock=clock)
        self.clock = clock
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(writer(engine), expire_on_commit=False)
        self._index: GridIndex | None = None

    def _service_user(self) -> int:
        with self._write() as s, s.begin():
            return service_account(s).id

    # ---- in

    def import_inbox(self, inbox: Path) -> ImportResult:
        """Import every order file waiting in ``inbox`` (oldest first)."""
        inbox = Path(inbox)
        res = ImportResult()
        files = sorted((p for p in inbox.iterdir() if p.is_file() and p.suffix.lower() in (".json", ".csv")),
                       key=lambda p: (p.stat().st_mtime, p.name))
        for path in files:
            res.files += 1
            try:
                orders = read_orders(path)
            except OrderError as e:
                res.rejected.append((path.name, str(e)))
                _move(path, inbox / "rejected", reason=str(e))
                continue
            problems = []
            for o in orders:
                try:
                    made = self.import_order(o, source=path.name)
                except OrderError as e:
                    problems.append(f"{o.get('order_no') or '?'}: {e}")
                    res.rejected.append((str(o.get("order_no") or path.name), str(e)))
                    continue
                if made is None:
                    res.skipped.append(str(o["order_no"]))
                else:
                    res.created.append((str(o["order_no"]), made))
            # The good orders of a file are in; the file goes to done/ (its bad orders are
            # listed next to it) so the same file is never read twice.
            _move(path, inbox / "done", reason="\n".join(problems) if problems else None)
        return res

    def import_order(self, o: dict, *, source: str = "") -> str | None:
        """Make the case of one order; its case number, or None if the order was imported before."""
        order_no = str(o.get("order_no") or "").strip()
        if not order_no:
            raise OrderError("工单编号 (order_no) is missing")
        if len(order_no) > 64:
            raise OrderError("工单编号 (order_no) is longer than 64 characters")
        with self._read() as s:
            if s.scalar(select(HotlineOrder.id).where(HotlineOrder.order_no == order_no)) is not None:
                return None
        content = str(o.get("content") or "").strip()
        if not content:
            raise OrderError("诉求内容 (content) is missing")
        lon, lat, grid_id = self._locate(o)
        category_id = None
        code = str(o.get("category_code") or "").strip()
        if code:
            with self._read() as s:
                cat = s.scalar(select(Category).where(Category.code == code))
            if cat is None or not cat.is_leaf or cat.retired:
                raise OrderError(f"类别编码 {code} is not a current leaf category")
            category_id = cat.id
        payload = {k: v for k, v in o.items() if v not in (None, "", {})}
        now = self.clock()

        def record(s: Session, case: Case) -> None:
            s.add(HotlineOrder(order_no=order_no, case_id=case.id, received_at=now, source=source[:255],
                               payload=payload, last_event_id=0, exchange_state="received"))

        try:
            res = self.workflow.report(
                self._service_user(), source=CaseSource.HOTLINE, description=content[:2000], lon=lon, lat=lat,
                grid_id=grid_id, address=str(o.get("address") or "")[:255], category_id=category_id,
                reporter_name=str(o.get("caller_name") or "")[:64], reporter_phone=str(o.get("caller_phone") or "")[:32],
                note=f"12345工单 {order_no}", within=record,
            )
        except IntegrityError:
            return None  # another bridge imported the same order a moment ago
        except GridStationError as e:
            raise OrderError(str(e)) from None
        return res.number

    def _locate(self, o: dict) -> tuple[float | None, float | None, int]:
        lon, lat = o.get("lon"), o.get("lat")
        if lon not in (None, "") and lat not in (None, ""):
            try:
                lon, lat = float(lon), float(lat)
            except (TypeError, ValueError):
                raise OrderError(f"经度/纬度 {lon}, {lat} are not numbers") from None
            if self._index is None:
                with self._read() as s:
                    self._index = GridIndex.from_session(s)
            gid = self._index.locate(lon, lat)
            if gid is None:
                raise OrderError(f"the point {lon}, {lat} lies outside the city")
            return lon, lat, gid
        code = str(o.get("grid_code") or "").strip()
        if code:
            with self._read() as s:
                g = s.scalar(select(UnitGrid).where(UnitGrid.code == code, UnitGrid.valid_to.is_(None)))
            if g is None:
                raise OrderError(f"网格编码 {code} is not a current grid")
            return None, None, g.id
        address = str(o.get("address") or "").strip()
        if address:
            with self._read() as s:
                found = [c for c in Geocoder(s).geocode(address, limit=1) if c.score >= 0.6]
            if found and found[0].grid_id is not None:
                return found[0].lon, found[0].lat, found[0].grid_id
            raise OrderError(f"地址 {address} was not found in the gazetteer")
        raise OrderError("no location: give 经度/纬度, 网格编码 or 地址")

    # ---- out

    def collect(self) -> int:
        """Queue a message for every new event of a hotline case; the number queued."""
        made = 0
        with self._write() as s, s.begin():
            orders = s.scalars(select(HotlineOrder).order_by(HotlineOrder.id)).all()
            if not orders:
                return 0
            for order in orders:
                events = s.scalars(select(CaseEvent).where(CaseEvent.case_id == order.case_id,
                                                           CaseEvent.id > order.last_event_id)
                                   .order_by(CaseEvent.id)).all()
                if not events:
                    continue
                case = s.get(Case, order.case_id)
                for ev in events:
                    msg = self._message(s, order, case, ev)
                    if msg is not None:
                        kind, payload = msg
                        mid = f"{order.order_no}-{ev.id}"
                        s.add(ExchangeOutbox(message_id=mid, order_id=order.id, kind=kind, payload=payload,
                                             created_at=self.clock(), attempts=0, next_attempt_at=self.clock(),
                                             last_error="", done=False))
                        made += 1
                order.last_event_id = events[-1].id
            s.flush()
            if made:
                self._refresh_states(s)
        return made

    def _message(self, s: Session, order: HotlineOrder, case: Case, ev: CaseEvent) -> tuple[str, dict] | None:
        dept = s.get(Department, ev.department_id) if ev.department_id else None
        base = {
            "order_no": order.order_no,
            "case_number": case.number,
            "at": ev.at.replace(microsecond=0).isoformat(),
            "event": ev.action,
            "state": ev.to_state,
            "state_name": STATE_NOTES.get(ev.to_state or "", ev.to_state or ""),
            "department": dept.name if dept else "",
        }
        if ev.action in ("feedback", "reply_urge"):
            return "reply", {**base, "text": ev.note}
        if ev.to_state in ("closed", "voided") and ev.from_state != ev.to_state:
            return "close", {**base, "result": "已结案" if ev.to_state == "closed" else "已作废", "text": ev.note}
        if ev.action == "report" or ev.from_state != ev.to_state:
            return "status", {**base, "text": ev.note if ev.action != "report" else "已受理"}
        return None

    def deliver(self, *, outdir: Path | None = None, url: str | None = None, ackdir: Path | None = None,
                timeout: float = 10.0) -> DeliverResult:
        """Send what is due; read acknowledgements. Exactly one of ``outdir`` and ``url``."""
        if (outdir is None) == (url is None):
            raise ValueError("deliver to a folder or to a URL")
        res = DeliverResult()
        if ackdir is not None:
            res.acked += self._read_acks(Path(ackdir))
        now = self.clock()
        with self._read() as s:
            due = s.execute(select(ExchangeOutbox.id, ExchangeOutbox.message_id, ExchangeOutbox.kind,
                                   ExchangeOutbox.payload, ExchangeOutbox.attempts, ExchangeOutbox.order_id)
                            .where(ExchangeOutbox.done.is_(False), ExchangeOutbox.next_attempt_at <= now)
                            .order_by(ExchangeOutbox.id).limit(500)).all()
        blocked: set[int] = set()  # orders whose earlier message failed this round
        for row in due:
            if row.order_id in blocked:
                continue  # keep an order's messages in their order: the rest waits for the next round
            body = {"message_id": row.message_id, "kind": row.kind, **row.payload}
            error, acked = "", False
            try:
                if outdir is not None:
                    _write_atomic(Path(outdir) / f"{row.message_id}.json", body)
                else:
                    acked = _post(url, body, timeout)
            except (OSError, urllib.error.URLError, ValueError) as e:
                error = f"{type(e).__name__}: {e}"[:500]
            with self._write() as s, s.begin():
                m = s.get(ExchangeOutbox, row.id)
                if m.done:
                    continue
                m.attempts += 1
                wait = min(RETRY_MAX, RETRY_FIRST * (2 ** min(m.attempts - 1, 10)))
                m.next_attempt_at = self.clock() + wait
                if error:
                    m.last_error = error
                    res.failed += 1
                    blocked.add(m.order_id)
                else:
                    m.sent_at = self.clock()
                    res.sent += 1
                    if acked:
                        m.acked_at, m.done = self.clock(), True
                        res.acked += 1
                s.flush()
                self._refresh_states(s, [m.order_id])
        return res

    def _read_acks(self, ackdir: Path) -> int:
        n = 0
        if not ackdir.is_dir():
            return 0
        for p in sorted(ackdir.glob("*.ack")):
            mid = p.stem
            with self._write() as s, s.begin():
                m = s.scalar(select(ExchangeOutbox).where(ExchangeOutbox.message_id == mid))
                if m is not None and not m.done:
                    m.acked_at, m.done = self.clock(), True
                    n += 1
                    s.flush()
                    self._refresh_states(s, [m.order_id])
            p.unlink(missing_ok=True)  # an ack for an unknown or acknowledged message: nothing to do
        return n

    def _refresh_states(self, s: Session, order_ids: list[int] | None = None) -> None:
        """Recompute 交换状态 of orders; a change is written to the change feed so the client's
        case pane shows it."""
        q = select(HotlineOrder)
        if order_ids is not None:
            q = q.where(HotlineOrder.id.in_(order_ids))
        changed = []
        for order in s.scalars(q):
            msgs = s.execute(select(ExchangeOutbox.kind, ExchangeOutbox.done)
                             .where(ExchangeOutbox.order_id == order.id)).all()
            if not msgs:
                state = "received"
            elif any(not done for _, done in msgs):
                state = "sending"
            elif any(kind == "close" for kind, _ in msgs):
                state = "closed"
            else:
                state = "synced"
            if state != order.exchange_state:
                order.exchange_state = state
                changed.append(order.case_id)
        if changed:
            s.flush()
            for cid in changed:
                record_change(s, "case", cid, "exchange", None, self.clock())

    def run_once(self, *, inbox: Path | None, outdir: Path | None = None, url: str | None = None,
                 ackdir: Path | None = None) -> tuple[ImportResult | None, int, DeliverResult | None]:
        imported = self.import_inbox(inbox) if inbox is not None else None
        queued = self.collect()
        delivered = self.deliver(outdir=outdir, url=url, ackdir=ackdir) if (outdir or url) else None
        return imported, queued, delivered


@dataclass(frozen=True)
class HotlineLink:
    order_no: str
    exchange_state: str
    exchange_label: str
    pending: int


def hotline_link(s: Session, case_id: int) -> HotlineLink | None:
    """The hotline order of a case, for the case pane (None for other cases)."""
    order = s.scalar(select(HotlineOrder).where(HotlineOrder.case_id == case_id))
    if order is None:
        return None
    pending = len(s.scalars(select(ExchangeOutbox.id).where(ExchangeOutbox.order_id == order.id,
                                                            ExchangeOutbox.done.is_(False))).all())
    return HotlineLink(order.order_no, order.exchange_state,
                       EXCHANGE_STATES.get(order.exchange_state, order.exchange_state), pending)


# --------------------------------------------------------------------------- files and HTTP


def _move(path: Path, folder: Path, *, reason: str | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.stem}.{datetime.now():%Y%m%d%H%M%S%f}{path.suffix}"
    shutil.move(str(path), target)
    if reason:
        target.with_name(target.name + ".error.txt").write_text(reason + "\n", encoding="utf-8")


def _write_atomic(path: Path, body: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _post(url: str, body: dict, timeout: float) -> bool:
    """POST one message; True when the platform acknowledged it (a 2xx answer)."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 - the admin's configured URL
        return 200 <= r.status < 300


__all__ = ["HotlineBridge", "HotlineLink", "OrderError", "hotline_link", "read_orders", "Open311Error"]
