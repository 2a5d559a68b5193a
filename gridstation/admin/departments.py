"""Departments (专业部门 and the command centers' own units): level, parent, region, contact,
active. A department is disabled, never deleted: cases and events keep naming it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from gridstation.errors import InvalidInput, NotFound
from gridstation.store.model import OPEN_STATES, Case, Category, CommandLevel, Department, Region, User
from gridstation.admin.common import admin_tx, code_label, text_field

ENTITY = "department"
FIELDS = ("name", "level", "parent_id", "region_id", "contact", "active")


@dataclass(frozen=True)
class DepartmentInfo:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    parent: str
    region_id: int | None
    region: str
    contact: str
    active: bool
    categories: int  # current categories routed to it
    users: int  # active users of it
    open_cases: int  # open cases with it now

    def values(self) -> dict:
        return {"name": self.name, "level": self.level, "parent_id": self.parent_id, "region_id": self.region_id,
                "contact": self.contact, "active": self.active}


def list_departments(s: Session) -> list[DepartmentInfo]:
    rows = list(s.scalars(select(Department).order_by(Department.level, Department.code)))
    by_id = {d.id: d for d in rows}
    regions = dict(s.execute(select(Region.id, Region.name)).all())
    cats = dict(s.execute(select(Category.department_id, func.count()).where(Category.retired.is_(False))
                          .group_by(Category.department_id)).all())
    users = dict(s.execute(select(User.department_id, func.count()).where(User.active.is_(True))
                           .group_by(User.department_id)).all())
    cases = dict(s.execute(select(Case.current_department_id, func.count())
                           .where(Case.state.in_([x.value for x in OPEN_STATES])).group_by(Case.current_department_id)).all())
    out = []
    for d in rows:
        p = by_id.get(d.parent_id) if d.parent_id else None
        out.append(DepartmentInfo(
            d.id, d.code, d.name, d.level, d.parent_id, f"{p.code} {p.name}" if p else "", d.region_id,
            regions.get(d.region_id, "") if d.region_id else "", d.contact or "", bool(d.active),
            cats.get(d.id, 0), users.get(d.id, 0), cases.get(d.id, 0),
        ))
    return out


def _check(values: dict) -> dict:
    out = {}
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise InvalidInput(min(unknown), "not an editable field of a department")
    if "name" in values:
        out["name"] = text_field(values["name"], "name", max_len=128)
    if "level" in values:
        if values["level"] not in {x.value for x in CommandLevel}:
            raise InvalidInput("level", "district or street")
        out["level"] = values["level"]
    for k in ("parent_id", "region_id"):
        if k in values:
            out[k] = int(values[k]) if values[k] not in (None, "") else None
    if "contact" in values:
        out["contact"] = text_field(values["contact"], "contact", required=False, max_len=128)
    if "active" in values:
        out["active"] = bool(values["active"])
    return out


def _apply(tx, d: Department, values: dict) -> list[str]:
    s = tx.s
    changed = []
    if "parent_id" in values and values["parent_id"] != d.parent_id:
        p = s.get(Department, values["parent_id"]) if values["parent_id"] else None
        if values["parent_id"] and p is None:
            raise NotFound("department", values["parent_id"])
        # no cycles: walk up from the new parent
        seen, q = set(), p
        while q is not None:
            if q.id == d.id or q.id in seen:
                raise InvalidInput("parent", "a department cannot be under itself")
            seen.add(q.id)
            q = s.get(Department, q.parent_id) if q.parent_id else None
        tx.audit(ENTITY, d.code, "parent", code_label(s.get(Department, d.parent_id)) if d.parent_id else None, code_label(p))
        d.parent_id = values["parent_id"]
        changed.append("parent_id")
    if "region_id" in values and values["region_id"] != d.region_id:
        r = s.get(Region, values["region_id"]) if values["region_id"] else None
        if values["region_id"] and r is None:
            raise NotFound("region", values["region_id"])
        tx.audit(ENTITY, d.code, "region", code_label(s.get(Region, d.region_id)) if d.region_id else None, code_label(r))
        d.region_id = values["region_id"]
        changed.append("region_id")
    for k in ("name", "level", "contact"):
        if k in values and values[k] != (getattr(d, k) or ("" if k == "contact" else None)):
            tx.audit(ENTITY, d.code, k, getattr(d, k), values[k])
            setattr(d, k, values[k])
            changed.append(k)
    if "active" in values and values["active"] != bool(d.active):
        if not values["active"]:
            routed = list(s.scalars(select(Category.code).where(Category.department_id == d.id,
                                                                Category.retired.is_(False)).order_by(Category.code)))
            if routed:
                more = f" and {len(routed) - 5} more" if len(routed) > 5 else ""
                raise InvalidInput("active", f"{len(routed)} current categories route to {d.name} "
                                   f"({', '.join(routed[:5])}{more}): give them another department first")
        tx.audit(ENTITY, d.code, "active", bool(d.active), values["active"])
        d.active = values["active"]
        changed.append("active")
    if d.level == CommandLevel.STREET.value and d.region_id is None:
        raise InvalidInput("region", "a street-level department serves a street: choose it")
    return changed


def add_department(
    engine: Engine, actor, *, code: str, name: str, level: str, parent_id: int | None = None,
    region_id: int | None = None, contact: str = "",
) -> int:
    code = text_field(code, "code", max_len=32)
    values = _check({"name": name, "level": level, "parent_id": parent_id, "region_id": region_id,
                     "contact": contact, "active": True})
    with admin_tx(engine, actor) as tx:
        s = tx.s
        if s.scalar(select(Department.id).where(Department.code == code)) is not None:
            raise InvalidInput("code", f"{code} exists already")
        d = Department(code=code, name=values["name"], level=values["level"], contact="", active=True)
        s.add(d)
        s.flush()
        tx.audit(ENTITY, code, "created", None, values["name"])
        _apply(tx, d, {k: v for k, v in values.items() if k != "name"})
        tx.changed(ENTITY, d.id, "add")
        return d.id


def update_department(engine: Engine, actor, department_id: int, values: dict) -> list[str]:
    checked = _check(values)
    with admin_tx(engine, actor) as tx:
        d = tx.s.get(Department, department_id)
        if d is None:
            raise NotFound("department", department_id)
        changed = _apply(tx, d, checked)
        if changed:
            tx.changed(ENTITY, d.id, "edit")
        return changed
