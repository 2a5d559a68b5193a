"""Departments (部门) and users (用户) to and from the Excel lists a center already keeps
(docs/org-excel.md), with the catalogue sheet's care:

1. ``preview_import(engine, file)`` reads and checks the workbook (a sheet **部门**, a sheet
   **用户**, or both) and returns an ``OrgDiff``: what would be added and changed, field by
   field, for each department and user. A malformed sheet raises ``OrgSheetRejected`` naming
   every problem by sheet, row and column; nothing is written.
2. ``apply_import(engine, actor, diff)`` applies exactly that preview in one transaction,
   through the same checks and audit as the admin pages (departments first, so users can name
   a department of the same workbook); ``ConfigConflict`` if departments, users, regions or
   positions changed since the preview. New accounts get a temporary password, returned once.

Rows not in the sheet stay as they are (a list is often one district's or one department's);
a row with 状态 = 停用 disables its department or account.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gridstation.accounts.passwords import hash_password
from gridstation.admin import departments as dept_admin
from gridstation.admin import users as user_admin
from gridstation.admin.catalogue_excel import SheetProblem, _norm_header, _text
from gridstation.admin.common import ConfigConflict, admin_tx, read_session
from gridstation.cases import rules
from gridstation.cases.model import WorkflowPosition
from gridstation.errors import GridStationError
from gridstation.importers.common import ImportRejected
from gridstation.store.model import Department, Region, User

DEPT_SHEET, USER_SHEET = "部门", "用户"
D_CODE, D_NAME, D_LEVEL, D_PARENT, D_REGION, D_CONTACT, STATUS = "代码", "名称", "层级", "上级部门", "所属区域", "联系方式", "状态"
U_LOGIN, U_NAME, U_POSITION, U_REGION, U_DEPT, U_PHONE = "账号", "姓名", "岗位", "区域", "部门", "电话"
DEPT_COLUMNS = [D_CODE, D_NAME, D_LEVEL, D_PARENT, D_REGION, D_CONTACT, STATUS]
USER_COLUMNS = [U_LOGIN, U_NAME, U_POSITION, U_REGION, U_DEPT, U_PHONE, STATUS]
DEPT_REQUIRED, USER_REQUIRED = [D_CODE, D_NAME], [U_LOGIN, U_NAME, U_POSITION]
LEVEL_WORDS = {"区级": "district", "区": "district", "district": "district", "": "district",
               "街道级": "street", "街道": "street", "street": "street"}
LEVEL_LABELS = {"district": "区级", "street": "街道级"}
ACTIVE_WORDS = {"": True, "启用": True, "在用": True, "正常": True, "active": True, "是": True,
                "停用": False, "禁用": False, "inactive": False, "否": False}
MAX_HEADER_SEARCH = 10


class OrgSheetRejected(ImportRejected):
    """The workbook was refused; departments and users are unchanged."""

    def __init__(self, file_name: str, problems: list[SheetProblem]) -> None:
        super().__init__("departments and users", file_name, problems)  # type: ignore[arg-type]


@dataclass(frozen=True)
class FieldChange:
    field: str
    column: str
    old: object
    new: object


@dataclass(frozen=True)
class RowChange:
    sheet: str  # 部门 or 用户
    action: str  # added, changed
    key: str  # department code or login
    name: str
    row: int
    fields: tuple[FieldChange, ...] = ()


@dataclass
class OrgDiff:
    file_name: str
    departments: int  # rows read
    users: int
    changes: list[RowChange]
    unchanged: int
    base: str
    _rows: dict = field(repr=False, default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def of(self, sheet: str, action: str) -> list[RowChange]:
        return [c for c in self.changes if c.sheet == sheet and c.action == action]

    def summary(self) -> dict[str, int]:
        return {"departments added": len(self.of(DEPT_SHEET, "added")),
                "departments changed": len(self.of(DEPT_SHEET, "changed")),
                "users added": len(self.of(USER_SHEET, "added")),
                "users changed": len(self.of(USER_SHEET, "changed")), "unchanged": self.unchanged}

    def lines(self) -> list[str]:
        out = [f"{self.file_name}: " + ", ".join(f"{k} {v}" for k, v in self.summary().items())]
        for c in self.changes:
            head = f"  {'+' if c.action == 'added' else '~'} {c.sheet} {c.key} {c.name} (row {c.row})"
            if c.action == "changed":
                head += ": " + "; ".join(f"{f.column} {f.old if f.old not in (None, '') else '—'} → "
                                         f"{f.new if f.new not in (None, '') else '—'}" for f in c.fields)
            out.append(head)
        return out


def fingerprint(s: Session) -> str:
    """What a preview depends on: departments, users, regions and positions."""
    h = hashlib.sha256()
    for q in (select(Department.id, Department.code, Department.name, Department.level, Department.parent_id,
                     Department.region_id, Department.contact, Department.active).order_by(Department.id),
              select(User.id, User.login, User.name, User.position, User.region_id, User.department_id, User.phone,
                     User.active).order_by(User.id),
              select(Region.id, Region.code, Region.name).order_by(Region.id),
              select(WorkflowPosition.key, WorkflowPosition.name, WorkflowPosition.role).order_by(WorkflowPosition.key)):
        for row in s.execute(q):
            h.update(repr(tuple(row)).encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- reading


def _read_book(source, file_name: str) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise OrgSheetRejected(file_name, [SheetProblem(0, "-", "", f"not an Excel workbook (.xlsx): {e}")]) from None
    try:
        return {name: list(book[name].iter_rows(values_only=True)) for name in (DEPT_SHEET, USER_SHEET)
                if name in book.sheetnames}
    finally:
        book.close()


def _table(rows: list[tuple], key_col: str, required: list[str], sheet: str, problems: list) -> list[tuple[int, dict]]:
    header_at = next((i for i, r in enumerate(rows[:MAX_HEADER_SEARCH]) if any(_norm_header(v) == key_col for v in r)),
                     None)
    if header_at is None:
        problems.append(SheetProblem(1, f"{sheet}/{key_col}", "", "missing column (no header row in the first 10 rows)"))
        return []
    header = [_norm_header(v) for v in rows[header_at]]
    for col in required:
        if col not in header:
            problems.append(SheetProblem(header_at + 1, f"{sheet}/{col}", "", "missing column"))
    out = []
    for i, r in enumerate(rows[header_at + 1:], start=header_at + 2):
        values = {h: _text(v) for h, v in zip(header, r) if h}
        if any(values.values()):
            out.append((i, values))
    return out


@dataclass
class _Dept:
    row: int
    code: str
    values: dict  # name, level, parent (code), region_id, contact, active


@dataclass
class _User:
    row: int
    login: str
    values: dict  # name, position, region_id, department (code), phone, active


def _resolve(s: Session, sheets: dict[str, list[tuple]], file_name: str) -> tuple[list[_Dept], list[_User]]:
    problems: list[SheetProblem] = []
    regions = s.execute(select(Region.id, Region.code, Region.name)).all()
    region_by = {r.code: r.id for r in regions}
    names: dict[str, list[int]] = {}
    for r in regions:
        names.setdefault(r.name, []).append(r.id)
    depts = {d.code: d for d in s.scalars(select(Department))}
    dept_names: dict[str, list[str]] = {}
    for d in depts.values():
        dept_names.setdefault(d.name, []).append(d.code)
    rs = rules.load(s) or rules.default_ruleset()
    pos_by_name = {p.name: p.key for p in rs.positions.values()}

    def region(value: str, sheet: str, row: int, col: str) -> int | None:
        if not value:
            return None
        if value in region_by:
            return region_by[value]
        hits = names.get(value, [])
        if len(hits) == 1:
            return hits[0]
        problems.append(SheetProblem(row, f"{sheet}/{col}", value, "several regions have this name: give the code"
                                     if hits else "no region with this code or name"))
        return None

    def active(value: str, sheet: str, row: int) -> bool:
        if value.lower() in ACTIVE_WORDS or value in ACTIVE_WORDS:
            return ACTIVE_WORDS.get(value, ACTIVE_WORDS.get(value.lower(), True))
        problems.append(SheetProblem(row, f"{sheet}/{STATUS}", value, "启用 or 停用"))
        return True

    out_d: list[_Dept] = []
    sheet_codes: dict[str, int] = {}
    sheet_dept_names: dict[str, list[str]] = {}
    for row, v in _table(sheets[DEPT_SHEET], D_CODE, DEPT_REQUIRED, DEPT_SHEET, problems) if DEPT_SHEET in sheets else []:
        code, name = v.get(D_CODE, ""), v.get(D_NAME, "")
        if not code:
            problems.append(SheetProblem(row, f"{DEPT_SHEET}/{D_CODE}", "", "required"))
            continue
        if code in sheet_codes:
            problems.append(SheetProblem(row, f"{DEPT_SHEET}/{D_CODE}", code, f"also on row {sheet_codes[code]}"))
            continue
        sheet_codes[code] = row
        if not name:
            problems.append(SheetProblem(row, f"{DEPT_SHEET}/{D_NAME}", "", "required"))
        level = LEVEL_WORDS.get(v.get(D_LEVEL, "").lower(), LEVEL_WORDS.get(v.get(D_LEVEL, "")))
        if level is None:
            problems.append(SheetProblem(row, f"{DEPT_SHEET}/{D_LEVEL}", v[D_LEVEL], "区级 or 街道级"))
        reg = region(v.get(D_REGION, ""), DEPT_SHEET, row, D_REGION)
        if level == "street" and reg is None and not v.get(D_REGION):
            problems.append(SheetProblem(row, f"{DEPT_SHEET}/{D_REGION}", "", "a street-level department serves a "
                                                                             "street: give its region"))
        sheet_dept_names.setdefault(name, []).append(code)
        out_d.append(_Dept(row, code, {"name": name, "level": level, "parent": v.get(D_PARENT, ""), "region_id": reg,
                                       "contact": v.get(D_CONTACT, ""), "active": active(v.get(STATUS, ""), DEPT_SHEET, row)}))
    known_codes = set(depts) | set(sheet_codes)

    def dept_code(value: str, sheet: str, row: int, col: str) -> str | None:
        if not value:
            return None
        if value in known_codes:
            return value
        hits = sorted(set(dept_names.get(value, [])) | set(sheet_dept_names.get(value, [])))
        if len(hits) == 1:
            return hits[0]
        problems.append(SheetProblem(row, f"{sheet}/{col}", value, "several departments have this name: give the "
                                     "code" if hits else "no department with this code or name"))
        return None

    for d in out_d:
        d.values["parent"] = dept_code(d.values["parent"], DEPT_SHEET, d.row, D_PARENT)
        if d.values["parent"] == d.code:
            problems.append(SheetProblem(d.row, f"{DEPT_SHEET}/{D_PARENT}", d.code, "a department cannot be under itself"))

    out_u: list[_User] = []
    logins: dict[str, int] = {}
    for row, v in _table(sheets[USER_SHEET], U_LOGIN, USER_REQUIRED, USER_SHEET, problems) if USER_SHEET in sheets else []:
        login = v.get(U_LOGIN, "")
        if not login or any(c.isspace() for c in login) or len(login) > 64:
            problems.append(SheetProblem(row, f"{USER_SHEET}/{U_LOGIN}", login, "1 to 64 characters, no spaces"))
            continue
        if login in logins:
            problems.append(SheetProblem(row, f"{USER_SHEET}/{U_LOGIN}", login, f"also on row {logins[login]}"))
            continue
        logins[login] = row
        pos_text = v.get(U_POSITION, "")
        pos = pos_text if pos_text in rs.positions else pos_by_name.get(pos_text)
        if pos is None:
            problems.append(SheetProblem(row, f"{USER_SHEET}/{U_POSITION}", pos_text, "not a position of the rules in "
                                         "force (" + ", ".join(p.name for p in rs.positions.values()) + ")"))
        dept = dept_code(v.get(U_DEPT, ""), USER_SHEET, row, U_DEPT)
        if pos is not None and rs.role_of(pos) == "dept_handler" and dept is None and not v.get(U_DEPT):
            problems.append(SheetProblem(row, f"{USER_SHEET}/{U_DEPT}", "", "a department handler needs a department"))
        if not v.get(U_NAME):
            problems.append(SheetProblem(row, f"{USER_SHEET}/{U_NAME}", "", "required"))
        out_u.append(_User(row, login, {"name": v.get(U_NAME, ""), "position": pos,
                                         "region_id": region(v.get(U_REGION, ""), USER_SHEET, row, U_REGION),
                                         "department": dept, "phone": v.get(U_PHONE, ""),
                                         "active": active(v.get(STATUS, ""), USER_SHEET, row)}))
    if not sheets:
        problems.append(SheetProblem(0, "-", "", f"the workbook has neither a sheet {DEPT_SHEET} nor a sheet {USER_SHEET}"))
    if problems:
        raise OrgSheetRejected(file_name, problems)
    return out_d, out_u


def _label(s: Session, model, ident) -> str:
    if ident is None:
        return ""
    obj = s.get(model, ident)
    return f"{obj.code} {obj.name}" if obj is not None else str(ident)


def _diff(s: Session, ds: list[_Dept], us: list[_User]) -> tuple[list[RowChange], int]:
    changes, unchanged = [], 0
    depts = {d.code: d for d in s.scalars(select(Department))}
    code_of = {d.id: d.code for d in depts.values()}
    for d in ds:
        v = d.values
        new = {D_NAME: v["name"], D_LEVEL: LEVEL_LABELS[v["level"]], D_PARENT: v["parent"] or "",
               D_REGION: _label(s, Region, v["region_id"]), D_CONTACT: v["contact"], STATUS: "启用" if v["active"] else "停用"}
        old_d = depts.get(d.code)
        if old_d is None:
            changes.append(RowChange(DEPT_SHEET, "added", d.code, v["name"], d.row,
                                     tuple(FieldChange(c, c, None, x) for c, x in new.items() if x)))
            continue
        old = {D_NAME: old_d.name, D_LEVEL: LEVEL_LABELS.get(old_d.level, old_d.level),
               D_PARENT: code_of.get(old_d.parent_id, "") if old_d.parent_id else "",
               D_REGION: _label(s, Region, old_d.region_id), D_CONTACT: old_d.contact or "",
               STATUS: "启用" if old_d.active else "停用"}
        fields = tuple(FieldChange(c, c, old[c], new[c]) for c in new if old[c] != new[c])
        if fields:
            changes.append(RowChange(DEPT_SHEET, "changed", d.code, v["name"], d.row, fields))
        else:
            unchanged += 1
    users = {u.login: u for u in s.scalars(select(User))}
    for u in us:
        v = u.values
        new = {U_NAME: v["name"], U_POSITION: v["position"], U_REGION: _label(s, Region, v["region_id"]),
               U_DEPT: v["department"] or "", U_PHONE: v["phone"], STATUS: "启用" if v["active"] else "停用"}
        old_u = users.get(u.login)
        if old_u is None:
            changes.append(RowChange(USER_SHEET, "added", u.login, v["name"], u.row,
                                     tuple(FieldChange(c, c, None, x) for c, x in new.items() if x)))
            continue
        old = {U_NAME: old_u.name, U_POSITION: old_u.position, U_REGION: _label(s, Region, old_u.region_id),
               U_DEPT: code_of.get(old_u.department_id, "") if old_u.department_id else "", U_PHONE: old_u.phone or "",
               STATUS: "启用" if old_u.active else "停用"}
        fields = tuple(FieldChange(c, c, old[c], new[c]) for c in new if old[c] != new[c])
        if fields:
            changes.append(RowChange(USER_SHEET, "changed", u.login, v["name"], u.row, fields))
        else:
            unchanged += 1
    return changes, unchanged


def preview_import(engine: Engine, source, file_name: str = "") -> OrgDiff:
    """Read, check and compare a workbook (nothing is written)."""
    if not file_name and isinstance(source, (str, Path)):
        file_name = Path(source).name
    sheets = _read_book(source, file_name)
    with read_session(engine) as s:
        ds, us = _resolve(s, sheets, file_name)
        changes, unchanged = _diff(s, ds, us)
        return OrgDiff(file_name, len(ds), len(us), changes, unchanged, fingerprint(s), {"sheets": sheets})


@dataclass(frozen=True)
class OrgImportResult:
    departments_added: int
    departments_changed: int
    users_added: int
    users_changed: int
    passwords: list[tuple[str, str]]  # (login, temporary password) of the new accounts, shown once


def apply_import(engine: Engine, actor, diff: OrgDiff) -> OrgImportResult:
    """Apply a previewed import: all of it in one transaction, or nothing."""
    if not diff._rows:
        raise GridStationError("this diff carries no workbook; preview the import again")
    passwords: list[tuple[str, str]] = []
    changed_keys = {(c.sheet, c.key) for c in diff.changes}
    with admin_tx(engine, actor) as tx:
        s = tx.s
        if fingerprint(s) != diff.base:
            raise ConfigConflict("the departments and users", "they, the regions or the positions changed since the preview")
        ds, us = _resolve(s, diff._rows["sheets"], diff.file_name)
        # departments: create the new ones first (without parents), then set every field
        by_code = {d.code: d for d in s.scalars(select(Department))}
        for d in ds:
            if (DEPT_SHEET, d.code) not in changed_keys:
                continue
            dep = by_code.get(d.code)
            if dep is None:
                dep = Department(code=d.code, name=d.values["name"], level=d.values["level"], contact="", active=True)
                s.add(dep)
                s.flush()
                by_code[d.code] = dep
                tx.audit(dept_admin.ENTITY, d.code, "created", None, d.values["name"])
                tx.changed(dept_admin.ENTITY, dep.id, "add")
        for d in ds:
            if (DEPT_SHEET, d.code) not in changed_keys:
                continue
            v = d.values
            dep = by_code[d.code]
            values = dept_admin._check({"name": v["name"], "level": v["level"], "contact": v["contact"],
                                        "active": v["active"], "region_id": v["region_id"],
                                        "parent_id": by_code[v["parent"]].id if v["parent"] else None})
            if dept_admin._apply(tx, dep, values):
                tx.changed(dept_admin.ENTITY, dep.id, "edit")
        s.flush()
        users = {u.login: u for u in s.scalars(select(User))}
        for u in us:
            if (USER_SHEET, u.login) not in changed_keys:
                continue
            v = u.values
            values = user_admin._check({"name": v["name"], "position": v["position"], "region_id": v["region_id"],
                                        "department_id": by_code[v["department"]].id if v["department"] else None,
                                        "phone": v["phone"], "active": v["active"]})
            acc = users.get(u.login)
            if acc is None:
                password = user_admin.temporary_password()
                acc = User(login=u.login, name=values["name"], position=values["position"],
                           password_hash=hash_password(password), active=True, phone="")
                s.add(acc)
                s.flush()
                tx.audit(user_admin.ENTITY, u.login, "created", None, values["position"])
                tx.audit(user_admin.ENTITY, u.login, "password", None, "*** (temporary)")
                passwords.append((u.login, password))
                tx.changed(user_admin.ENTITY, acc.id, "add")
            if user_admin._apply(tx, acc, values):
                tx.changed(user_admin.ENTITY, acc.id, "edit")
        summary = diff.summary()
        tx.audit("org", "import", "excel", None, f"{diff.file_name}: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
        return OrgImportResult(summary["departments added"], summary["departments changed"], summary["users added"],
                               summary["users changed"], passwords)


# --------------------------------------------------------------------------- export


def export_org(engine_or_session, target) -> tuple[int, int]:
    """Both sheets as the import reads them; (departments, users) written."""
    from openpyxl import Workbook

    def rows(s: Session):
        code_of = {d.id: d.code for d in s.scalars(select(Department))}
        region = {r.id: r.code for r in s.scalars(select(Region))}
        ds = [[d.code, d.name, LEVEL_LABELS.get(d.level, d.level), code_of.get(d.parent_id, "") if d.parent_id else "",
               region.get(d.region_id, "") if d.region_id else "", d.contact or "", "启用" if d.active else "停用"]
              for d in s.scalars(select(Department).order_by(Department.level, Department.code))]
        us = [[u.login, u.name, u.position, region.get(u.region_id, "") if u.region_id else "",
               code_of.get(u.department_id, "") if u.department_id else "", u.phone or "", "启用" if u.active else "停用"]
              for u in s.scalars(select(User).order_by(User.login))]
        return ds, us

    if isinstance(engine_or_session, Session):
        ds, us = rows(engine_or_session)
    else:
        with read_session(engine_or_session) as s:
            ds, us = rows(s)
    wb = Workbook()
    ws = wb.active
    ws.title = DEPT_SHEET
    ws.append(DEPT_COLUMNS)
    for r in ds:
        ws.append(r)
    wu = wb.create_sheet(USER_SHEET)
    wu.append(USER_COLUMNS)
    for r in us:
        wu.append(r)
    for sheet in (ws, wu):
        for col in sheet.iter_cols(min_row=1, max_row=sheet.max_row):
            for c in col:
                c.number_format = "@"  # codes and phone numbers stay text
    wb.save(target)
    return len(ds), len(us)
