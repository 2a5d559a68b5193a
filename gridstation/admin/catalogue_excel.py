"""The category catalogue to and from the Excel sheet centers keep (docs/catalogue-excel.md).

One row per category (the kind roots 部件 / 事件 excepted): where it hangs (类型, 大类, 小类),
its code and name, the responsible department, the conditions and the limit and unit of each
stage. ``export_catalogue`` writes the current catalogue; an import is two steps:

1. ``preview_import(engine, file)`` reads and checks the sheet and returns a ``CatalogueDiff``:
   what would be added, changed (field by field), moved, restored and retired. A malformed
   sheet raises ``CatalogueSheetRejected`` naming each problem's row and column; nothing is
   written.
2. ``apply_import(engine, actor, diff)`` applies exactly that preview in one transaction
   (all or nothing), refusing with ``ConfigConflict`` if the catalogue or the departments
   changed since the preview.

The sheet is the whole catalogue: a current category that is not in the sheet is retired
(停用), unless something in the sheet hangs under it (a sheet may list only leaves and name
their classes in 大类 / 小类).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gridstation.errors import GridStationError
from gridstation.importers.common import ImportRejected
from gridstation.store.model import Category, CommandLevel, Department, Stage
from gridstation.admin import catalogue as cat
from gridstation.admin.common import ConfigConflict, admin_tx, read_session

SHEET_NAME = "案件类别"
NOTES_SHEET = "说明"

KIND, MAJOR, MINOR, CODE, NAME, DEPT = "类型", "大类", "小类", "代码", "名称", "责任部门"
LEVEL, URGENT, FILING, CLOSING = "指挥层级", "紧急", "立案条件", "结案条件"
STAGE_COLUMNS: dict[str, tuple[str, str]] = {
    Stage.FILE.value: ("立案时限", "立案时限单位"),
    Stage.DISPATCH.value: ("派遣时限", "派遣时限单位"),
    Stage.HANDLE.value: ("处置时限", "处置时限单位"),
    Stage.CHECK.value: ("核查时限", "核查时限单位"),
    Stage.CLOSE.value: ("结案时限", "结案时限单位"),
}
_LIMIT_COLS = [c for pair in STAGE_COLUMNS.values() for c in pair]
REQUIRED = [MAJOR, MINOR, CODE, NAME, DEPT, FILING, *_LIMIT_COLS, CLOSING]
OPTIONAL = [KIND, LEVEL, URGENT]
EXPORT_COLUMNS = [KIND, MAJOR, MINOR, CODE, NAME, DEPT, LEVEL, URGENT, FILING, *_LIMIT_COLS, CLOSING]

#: The column each compared field comes from (for the preview).
FIELD_COLUMNS: dict[str, str] = {
    "name": NAME, "department_id": DEPT, "command_level": LEVEL, "urgent": URGENT,
    "filing_condition": FILING, "closing_condition": CLOSING, "parent": f"{MAJOR}/{MINOR}", "kind": KIND,
    **{f"{st}_limit": cols[0] for st, cols in STAGE_COLUMNS.items()},
}

UNIT_WORDS: dict[str, str] = {
    "分钟": "minute", "分": "minute", "工作分钟": "minute", "minute": "minute", "minutes": "minute", "min": "minute",
    "工作时": "work_hour", "工作小时": "work_hour", "工时": "work_hour", "work_hour": "work_hour",
    "工作日": "work_day", "work_day": "work_day",
    "自然时": "natural_hour", "自然小时": "natural_hour", "natural_hour": "natural_hour",
}
UNIT_LABELS = {"minute": "分钟", "work_hour": "工作时", "work_day": "工作日", "natural_hour": "自然时"}
KIND_WORDS = {"部件": "component", "component": "component", "事件": "event", "event": "event"}
KIND_LABELS = {"component": "部件", "event": "事件"}
ROOT_CODES = {"component": ("C", "部件"), "event": ("E", "事件")}
LEVEL_WORDS = {"区级": "district", "区": "district", "district": "district",
               "街道级": "street", "街道": "street", "street": "street"}
LEVEL_LABELS = {"district": "区级", "street": "街道级"}
YES = {"是", "y", "yes", "true", "1", "紧急", "√"}
NO = {"否", "n", "no", "false", "0", ""}
MAX_HEADER_SEARCH = 10


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class SheetProblem:
    """One thing wrong with the sheet: its row (1-based, as Excel shows it), column, value."""

    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        val = f" = {self.value!r}" if self.value not in ("", None) else ""
        return f"row {self.row}, column {self.column}{val}: {self.reason}"


class CatalogueSheetRejected(ImportRejected):
    """The sheet was refused; the catalogue is unchanged."""

    def __init__(self, file_name: str, problems: list[SheetProblem]) -> None:
        super().__init__("catalogue", file_name, problems)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the diff


@dataclass(frozen=True)
class FieldChange:
    field: str  # name, department_id, command_level, urgent, <stage>_limit, filing_condition, parent, kind …
    column: str  # the sheet column it comes from
    old: object  # plain values: str, bool, (amount, unit) for limits, "code name" for parent/department
    new: object


@dataclass(frozen=True)
class CategoryChange:
    action: str  # "added", "changed", "restored", "retired"
    code: str
    name: str
    row: int | None  # the sheet row (None for a retirement or an implied root)
    fields: tuple[FieldChange, ...] = ()

    @property
    def moved(self) -> bool:
        return any(f.field == "parent" for f in self.fields)

    def field(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.field == name), None)


@dataclass
class CatalogueDiff:
    """What an import would do; ``apply_import`` applies exactly this."""

    file_name: str
    rows: int
    changes: list[CategoryChange]
    unchanged: int
    base: str  # fingerprint of the catalogue and departments the preview was made against
    _sheet: ParsedSheet = field(repr=False, default=None)  # type: ignore[assignment]

    def _of(self, action: str) -> list[CategoryChange]:
        return [c for c in self.changes if c.action == action]

    @property
    def added(self) -> list[CategoryChange]:
        return self._of("added")

    @property
    def changed(self) -> list[CategoryChange]:
        return self._of("changed") + self._of("restored")

    @property
    def moved(self) -> list[CategoryChange]:
        return [c for c in self.changes if c.action != "added" and c.moved]

    @property
    def retired(self) -> list[CategoryChange]:
        return self._of("retired")

    @property
    def restored(self) -> list[CategoryChange]:
        return self._of("restored")

    def by_code(self, code: str) -> CategoryChange | None:
        return next((c for c in self.changes if c.code == code), None)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def summary(self) -> dict[str, int]:
        return {"added": len(self.added), "changed": len(self._of("changed")), "moved": len(self.moved),
                "restored": len(self.restored), "retired": len(self.retired), "unchanged": self.unchanged}


# --------------------------------------------------------------------------- reading


@dataclass
class SheetRow:
    row: int
    code: str
    name: str
    kind: str | None
    major: str
    minor: str
    department: str
    level: str | None
    urgent: bool | None
    limits: dict[str, tuple[float | None, str | None]]
    filing: str
    closing: str


@dataclass
class ParsedSheet:
    file_name: str
    columns: set[str]
    rows: list[SheetRow]


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    return str(v).strip()


def _norm_header(v) -> str:
    return _text(v).replace(" ", "").replace("\u3000", "").replace("*", "").replace("＊", "")


def _open_book(source):
    from openpyxl import load_workbook

    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    return load_workbook(source, read_only=True, data_only=True)


def read_sheet(source: str | Path | bytes | BinaryIO, file_name: str = "") -> ParsedSheet:
    """Read and check the sheet on its own (no database): columns, codes, numbers, units.

    The sheet named 案件类别 is read if there is one, else the first. The header is the first
    row (of the first ten) that has a 代码 column; rows above it (a title) are ignored."""
    if not file_name and isinstance(source, (str, Path)):
        file_name = Path(source).name
    try:
        book = _open_book(source)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise CatalogueSheetRejected(file_name, [SheetProblem(0, "-", "", f"not an Excel workbook (.xlsx): {e}")]) from None
    try:
        ws = book[SHEET_NAME] if SHEET_NAME in book.sheetnames else book.worksheets[0]
        rows = list(ws.iter_rows(min_row=1, values_only=True))
    finally:
        book.close()
    header_at = next((i for i, r in enumerate(rows[:MAX_HEADER_SEARCH]) if any(_norm_header(v) == CODE for v in r)), None)
    if header_at is None:
        raise CatalogueSheetRejected(file_name, [SheetProblem(1, CODE, "", "missing column (no header row with 代码 in the first 10 rows)")])
    header = [_norm_header(v) for v in rows[header_at]]
    hrow = header_at + 1
    problems: list[SheetProblem] = []
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        if not h:
            continue
        if h in index:
            problems.append(SheetProblem(hrow, h, "", "the column appears twice"))
        index.setdefault(h, i)
    for col in REQUIRED:
        if col not in index:
            problems.append(SheetProblem(hrow, col, "", "missing column"))
    if problems:
        raise CatalogueSheetRejected(file_name, problems)

    def get(r, col):
        i = index.get(col)
        return r[i] if i is not None and i < len(r) else None

    out: list[SheetRow] = []
    first_row_of: dict[str, int] = {}
    for n, r in enumerate(rows[header_at + 1:], start=hrow + 1):
        if r is None or all(_text(v) == "" for v in r):
            continue
        code = _text(get(r, CODE))
        name = _text(get(r, NAME))
        if not code:
            problems.append(SheetProblem(n, CODE, "", "a code is required"))
        elif len(code) > 32:
            problems.append(SheetProblem(n, CODE, code, "at most 32 characters"))
        elif code in first_row_of:
            problems.append(SheetProblem(n, CODE, code, f"duplicate code (also on row {first_row_of[code]})"))
        else:
            first_row_of[code] = n
        if not name:
            problems.append(SheetProblem(n, NAME, "", "a name is required"))
        elif len(name) > 128:
            problems.append(SheetProblem(n, NAME, name[:20] + "…", "at most 128 characters"))
        kind = None
        if KIND in index:
            kt = _text(get(r, KIND))
            if kt:
                kind = KIND_WORDS.get(kt.lower())
                if kind is None:
                    problems.append(SheetProblem(n, KIND, kt, "部件 or 事件"))
        level = None
        if LEVEL in index:
            lt = _text(get(r, LEVEL))
            if lt:
                level = LEVEL_WORDS.get(lt.lower())
                if level is None:
                    problems.append(SheetProblem(n, LEVEL, lt, "区级 or 街道级"))
        urgent = None
        if URGENT in index:
            ut = _text(get(r, URGENT)).lower()
            if ut in YES:
                urgent = True
            elif ut in NO:
                urgent = False if ut else None
            else:
                problems.append(SheetProblem(n, URGENT, ut, "是 or 否"))
        limits: dict[str, tuple[float | None, str | None]] = {}
        for st, (acol, ucol) in STAGE_COLUMNS.items():
            raw_a, raw_u = get(r, acol), _text(get(r, ucol))
            amount: float | None = None
            a_ok = True
            if _text(raw_a) != "":
                try:
                    amount = float(raw_a) if not isinstance(raw_a, bool) else math.nan
                except (TypeError, ValueError):
                    problems.append(SheetProblem(n, acol, _text(raw_a), "not a number"))
                    a_ok = False
                else:
                    if not math.isfinite(amount):
                        problems.append(SheetProblem(n, acol, _text(raw_a), "not a number"))
                        a_ok = False
                    elif amount < 0:
                        problems.append(SheetProblem(n, acol, _text(raw_a), "negative limit: a limit is a positive number"))
                        a_ok = False
                    elif amount == 0:
                        problems.append(SheetProblem(n, acol, _text(raw_a), "a limit of 0: leave it empty for the center default"))
                        a_ok = False
                    elif amount > cat.MAX_AMOUNT:
                        problems.append(SheetProblem(n, acol, _text(raw_a), f"at most {cat.MAX_AMOUNT}"))
                        a_ok = False
            unit: str | None = None
            if raw_u:
                unit = UNIT_WORDS.get(raw_u.lower())
                if unit is None:
                    hint = " (ambiguous: write 工作时 or 自然时)" if raw_u in ("小时", "时", "h", "hour", "hours") else ""
                    problems.append(SheetProblem(n, ucol, raw_u, f"unknown unit{hint}; one of 分钟, 工作时, 工作日, 自然时"))
                    a_ok = False
            if a_ok:
                if amount is not None and unit is None:
                    problems.append(SheetProblem(n, ucol, "", "a unit is needed with a limit"))
                elif amount is None and unit is not None:
                    problems.append(SheetProblem(n, acol, "", "a limit is needed with a unit"))
            limits[st] = (amount, unit) if amount is not None and unit is not None else (None, None)
        filing, closing = _text(get(r, FILING)), _text(get(r, CLOSING))
        for col, v in ((FILING, filing), (CLOSING, closing)):
            if len(v) > cat.MAX_CONDITION:
                problems.append(SheetProblem(n, col, v[:20] + "…", f"at most {cat.MAX_CONDITION} characters"))
        out.append(SheetRow(n, code, name, kind, _text(get(r, MAJOR)), _text(get(r, MINOR)),
                            _text(get(r, DEPT)), level, urgent, limits, filing, closing))
    if problems:
        raise CatalogueSheetRejected(file_name, problems)
    return ParsedSheet(file_name, {c for c in OPTIONAL if c in index}, out)


# --------------------------------------------------------------------------- resolving


@dataclass
class _Target:
    """A category as the sheet wants it."""

    code: str
    row: SheetRow | None
    existing: Category | None
    parent: str | None  # parent code (None for a root)
    kind: str
    values: dict  # checked editable values (catalogue.EDITABLE keys)
    new_root_name: str = ""


@dataclass
class _Resolution:
    targets: dict[str, _Target]  # by code: sheet rows and implied roots
    retire: list[Category]
    kept: set[str]


def _resolve(s: Session, sheet: ParsedSheet) -> _Resolution:
    cats = list(s.scalars(select(Category)))
    by_code = {c.code: c for c in cats}
    by_id = {c.id: c for c in cats}
    depts = list(s.scalars(select(Department)))
    dept_by_code = {d.code: d for d in depts}
    dept_by_name: dict[str, list[Department]] = {}
    for d in depts:
        dept_by_name.setdefault(d.name, []).append(d)
    problems: list[SheetProblem] = []
    in_sheet = {r.code for r in sheet.rows}

    def ancestor_at(c: Category, depth: int) -> Category | None:
        ids = [int(p) for p in (c.path or "").strip("/").split("/") if p]
        return by_id.get(ids[depth]) if len(ids) > depth else None

    # the kind roots (an implied new one when a kind has none yet)
    roots: dict[str, str] = {}
    for c in sorted(cats, key=lambda c: c.id):
        if c.parent_id is None:
            roots.setdefault(c.kind, c.code)
    targets: dict[str, _Target] = {}

    def root_for(kind: str, r: SheetRow) -> str | None:
        if kind not in roots:
            code, name = ROOT_CODES[kind]
            if code in by_code or code in in_sheet:
                problems.append(SheetProblem(r.row, KIND, KIND_LABELS[kind], f"the catalogue has no {KIND_LABELS[kind]} root "
                                             f"and its code {code} is taken"))
                return None
            roots[kind] = code
            targets[code] = _Target(code, None, None, None, kind, {"name": name}, new_root_name=name)
        return roots[kind]

    # majors: sheet rows with an empty 大类, and current classes at depth 1 not in the sheet
    majors: dict[str, str] = {}  # code → kind
    for r in sheet.rows:
        ex = by_code.get(r.code)
        if ex is not None and ex.parent_id is None:
            problems.append(SheetProblem(r.row, CODE, r.code, f"{r.code} is the root {ex.name} of the catalogue, not a row"))
            continue
        if not r.major:
            kind = r.kind or (ex.kind if ex is not None else None)
            if kind is None:
                problems.append(SheetProblem(r.row, KIND, "", "a new major class (大类 empty) needs its 类型 (部件 or 事件)"))
                continue
            majors[r.code] = kind
    for c in cats:
        if c.depth == 1 and not c.retired and c.code not in in_sheet:
            majors[c.code] = c.kind
    major_names: dict[str, list[str]] = {}
    for code in majors:
        name = next((r.name for r in sheet.rows if r.code == code), None) or by_code[code].name
        major_names.setdefault(name, []).append(code)

    def find_major(r: SheetRow) -> str | None:
        v = r.major
        token = v.split()[0] if " " in v else v
        if token in majors:
            return token
        cands = [c for c in major_names.get(v, []) if r.kind is None or majors[c] == r.kind]
        if len(cands) == 1:
            return cands[0]
        if not cands:
            old = by_code.get(v) or next((c for c in cats if c.name == v and c.depth == 1), None)
            hint = f" ({old.code} is retired: add a row for it to bring it back)" if old is not None and old.retired else \
                " (add a row for it with 大类 empty, or name an existing major class)"
            problems.append(SheetProblem(r.row, MAJOR, v, "unknown major class" + hint))
        else:
            problems.append(SheetProblem(r.row, MAJOR, v, f"ambiguous: {', '.join(cands)}; give its code or 类型"))
        return None

    row_major: dict[str, str] = {}
    for r in sheet.rows:
        if r.major:
            m = find_major(r)
            if m is not None:
                row_major[r.code] = m
    # which major each candidate minor class belongs to (sheet rows: their own 大类)
    under_major: dict[str, list[tuple[str, str]]] = {}  # major → [(code, name)]
    for r in sheet.rows:
        if r.code in row_major:
            under_major.setdefault(row_major[r.code], []).append((r.code, r.name))
    for c in cats:
        # a current class the sheet does not list is still findable (and then kept)
        if c.retired or c.code in in_sheet or c.depth < 2:
            continue
        m = ancestor_at(c, 1)
        if m is not None and m.code in majors:
            under_major.setdefault(m.code, []).append((c.code, c.name))

    def dept_of(r: SheetRow) -> int | None:
        v = r.department
        if not v:
            return None
        d = dept_by_code.get(v)
        if d is None:
            token = v.split()[0] if " " in v else None
            d = dept_by_code.get(token) if token else None
        if d is None:
            named = dept_by_name.get(v, [])
            if len(named) > 1:
                problems.append(SheetProblem(r.row, DEPT, v, f"ambiguous department name; give its code ({', '.join(x.code for x in named)})"))
                return None
            d = named[0] if named else None
        if d is None:
            problems.append(SheetProblem(r.row, DEPT, v, "unknown department (give its code or its exact name)"))
            return None
        if not d.active:
            problems.append(SheetProblem(r.row, DEPT, v, "the department is disabled"))
            return None
        return d.id

    for r in sheet.rows:
        ex = by_code.get(r.code)
        if ex is not None and ex.parent_id is None:
            continue
        if not r.major:
            if r.code not in majors:
                continue
            kind = majors[r.code]
            if r.kind and r.kind != kind:
                problems.append(SheetProblem(r.row, KIND, KIND_LABELS[r.kind], "does not match the category"))
            parent = root_for(kind, r)
            if parent is None:
                continue
        else:
            m = row_major.get(r.code)
            if m is None:
                continue
            kind = majors[m]
            if r.kind and r.kind != kind:
                problems.append(SheetProblem(r.row, KIND, KIND_LABELS[r.kind],
                                             f"the major class {m} is {KIND_LABELS[kind]}"))
            parent = m
            if r.minor:
                v = r.minor
                token = v.split()[0] if " " in v else v
                pool = [(c, n) for c, n in under_major.get(m, []) if c != r.code]
                cands = [c for c, _ in pool if c == token] or [c for c, n in pool if n == v]
                if len(cands) == 1:
                    parent = cands[0]
                elif not cands:
                    problems.append(SheetProblem(r.row, MINOR, v, f"no class of that code or name under the major class {m}"))
                    continue
                else:
                    problems.append(SheetProblem(r.row, MINOR, v, f"ambiguous: {', '.join(sorted(set(cands)))}; give its code"))
                    continue
        values: dict = {"name": r.name, "filing_condition": r.filing, "closing_condition": r.closing}
        values["department_id"] = dept_of(r)
        for st, (amount, unit) in r.limits.items():
            values[f"{st}_limit"], values[f"{st}_unit"] = amount, unit
        # optional columns: an empty cell is the default; a missing column keeps what is there
        if LEVEL in sheet.columns or ex is None:
            values["command_level"] = r.level or CommandLevel.DISTRICT.value
        if URGENT in sheet.columns:
            values["urgent"] = bool(r.urgent)
        elif ex is None:
            values["urgent"] = False
        targets[r.code] = _Target(r.code, r, ex, parent, kind, values)

    # the parent chains: end at a root, no cycles; existing nodes not in the sheet are kept
    kept: set[str] = set()
    for t in list(targets.values()):
        if t.row is None:
            continue
        seen = {t.code}
        p = t.parent
        while p is not None:
            if p in seen:
                problems.append(SheetProblem(t.row.row, MINOR, t.row.minor, "the classes would hang under each other in a cycle"))
                break
            seen.add(p)
            if p in targets:
                p = targets[p].parent
            else:
                node = by_code.get(p)
                if node is None:
                    break
                if node.parent_id is not None:
                    kept.add(p)
                parent_node = by_id.get(node.parent_id) if node.parent_id else None
                p = parent_node.code if parent_node else None
    if problems:
        raise CatalogueSheetRejected(sheet.file_name, problems)
    retire = [c for c in cats if c.parent_id is not None and not c.retired and c.code not in targets and c.code not in kept]
    return _Resolution(targets, retire, kept)


def _parent_label(code: str | None, targets: dict[str, _Target], by_code: dict[str, Category]) -> str | None:
    if code is None:
        return None
    if code in targets:
        return f"{code} {targets[code].values['name']}"
    c = by_code.get(code)
    return f"{code} {c.name}" if c else code


def _diff(s: Session, sheet: ParsedSheet, res: _Resolution) -> list[CategoryChange]:
    by_code = {c.code: c for c in s.scalars(select(Category))}
    by_id = {c.id: c for c in by_code.values()}
    depts = {d.id: d for d in s.scalars(select(Department))}

    def shown(key, v):
        if key == "department_id":
            return cat.dept_label(depts.get(v)) or None if v is not None else None
        return v

    changes: list[CategoryChange] = []
    order = [t for t in res.targets.values() if t.row is None] + sorted(
        (t for t in res.targets.values() if t.row is not None), key=lambda t: t.row.row)
    for t in order:
        ex = t.existing
        if t.row is None:
            changes.append(CategoryChange("added", t.code, t.new_root_name, None,
                                          (FieldChange("name", NAME, None, t.new_root_name),)))
            continue
        fields = [FieldChange(k, FIELD_COLUMNS.get(k, k), shown(k, old), shown(k, new))
                  for k, old, new in cat.pending_changes(ex, t.values)]
        old_parent = by_id[ex.parent_id].code if ex is not None and ex.parent_id else None
        if ex is None or old_parent != t.parent:
            fields.append(FieldChange("parent", FIELD_COLUMNS["parent"],
                                      _parent_label(old_parent, {}, by_code) if ex is not None else None,
                                      _parent_label(t.parent, res.targets, by_code)))
        if ex is not None and ex.kind != t.kind:
            fields.append(FieldChange("kind", KIND, KIND_LABELS.get(ex.kind, ex.kind), KIND_LABELS.get(t.kind, t.kind)))
        if ex is None:
            changes.append(CategoryChange("added", t.code, t.values["name"], t.row.row, tuple(fields)))
        elif ex.retired:
            changes.append(CategoryChange("restored", t.code, t.values["name"], t.row.row,
                                          (FieldChange("retired", "", True, False), *fields)))
        elif fields:
            changes.append(CategoryChange("changed", t.code, t.values["name"], t.row.row, tuple(fields)))
    for c in sorted(res.retire, key=lambda c: c.path):
        changes.append(CategoryChange("retired", c.code, c.name, None, (FieldChange("retired", "", False, True),)))
    return changes


def plan_import(s: Session, sheet: ParsedSheet) -> CatalogueDiff:
    """The diff of a checked sheet against the catalogue in ``s``."""
    res = _resolve(s, sheet)
    changes = _diff(s, sheet, res)
    touched = {c.code for c in changes}
    unchanged = sum(1 for r in sheet.rows if r.code not in touched)
    return CatalogueDiff(sheet.file_name, len(sheet.rows), changes, unchanged, cat.fingerprint(s), sheet)


def preview_import(engine: Engine, source, file_name: str = "") -> CatalogueDiff:
    """Read, check and compare a sheet (nothing is written)."""
    sheet = read_sheet(source, file_name)
    with read_session(engine) as s:
        return plan_import(s, sheet)


@dataclass(frozen=True)
class ImportResult:
    added: int
    changed: int
    moved: int
    restored: int
    retired: int


def apply_import(engine: Engine, actor, diff: CatalogueDiff) -> ImportResult:
    """Apply a previewed import: all of it in one transaction, or nothing."""
    if diff._sheet is None:
        raise GridStationError("this diff carries no sheet; preview the import again")
    with admin_tx(engine, actor) as tx:
        s = tx.s
        if cat.fingerprint(s) != diff.base:
            raise ConfigConflict("the catalogue", "it or the departments changed since the preview")
        res = _resolve(s, diff._sheet)
        by_code = {c.code: c for c in s.scalars(select(Category))}
        # parents first: a target's depth is the length of its chain inside the sheet
        def depth(t: _Target) -> int:
            d, p = 0, t.parent
            while p is not None and p in res.targets:
                d += 1
                p = res.targets[p].parent
            return d

        for t in sorted(res.targets.values(), key=depth):
            parent = by_code.get(t.parent) if t.parent else None
            c = t.existing
            if c is None:
                name = t.values["name"]
                c = Category(code=t.code, name=name, kind=t.kind, parent_id=parent.id if parent else None,
                             depth=(parent.depth + 1) if parent else 0, path="", is_leaf=True,
                             pinyin=cat.pinyin_initials(name), command_level=CommandLevel.DISTRICT.value,
                             filing_condition="", closing_condition="", urgent=False, retired=False)
                s.add(c)
                s.flush()
                by_code[t.code] = c
                tx.audit(cat.ENTITY, t.code, "created", None, f"{name} (under {parent.code if parent else t.kind})")
            else:
                if c.retired:
                    tx.audit(cat.ENTITY, c.code, "retired", True, False)
                    c.retired = False
                if parent is not None and c.parent_id != parent.id:
                    old = s.get(Category, c.parent_id) if c.parent_id else None
                    tx.audit(cat.ENTITY, c.code, "parent", f"{old.code} {old.name}" if old else None,
                             f"{parent.code} {parent.name}")
                    c.parent_id = parent.id
                if c.kind != t.kind:
                    tx.audit(cat.ENTITY, c.code, "kind", c.kind, t.kind)
            if t.row is not None:
                cat.apply_values(tx, c, {k: v for k, v in t.values.items()})
        for c in res.retire:
            tx.audit(cat.ENTITY, c.code, "retired", False, True)
            c.retired = True
        cat.repath(s)
        summary = diff.summary()
        tx.audit(cat.ENTITY, "import", "excel", None,
                 f"{diff.file_name}: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
        tx.changed(cat.ENTITY, None, "import")
        return ImportResult(summary["added"], summary["changed"], summary["moved"], summary["restored"], summary["retired"])


# --------------------------------------------------------------------------- export


def export_rows(s: Session) -> list[list]:
    """The current catalogue as sheet rows (EXPORT_COLUMNS order), in tree order."""
    nodes = cat.tree(s, include_retired=False)
    by_id = {n.id: n for n in nodes}
    depts = list(s.scalars(select(Department)))
    names = [d.name for d in depts]
    # departments by name, as centers write them; by code where two share a name
    dept_cell = {d.id: d.name if names.count(d.name) == 1 else d.code for d in depts}
    out = []
    for n in nodes:
        if n.parent_id is None:
            continue
        chain = []
        p = by_id.get(n.parent_id)
        while p is not None and p.parent_id is not None:
            chain.append(p)
            p = by_id.get(p.parent_id)
        chain.reverse()  # [major, minor, ...] above this node
        major = chain[0].name if chain else ""
        if len(chain) >= 2:
            parent = chain[-1]
            # names repeat deep in a tree; a code is unambiguous at any depth
            minor = parent.name if parent.depth == 2 else parent.code
        else:
            minor = ""
        row = [KIND_LABELS.get(n.kind, n.kind), major, minor, n.code, n.name, dept_cell.get(n.department_id, ""),
               LEVEL_LABELS.get(n.command_level, n.command_level), "是" if n.urgent else "否", n.filing_condition]
        for st in STAGE_COLUMNS:
            amount, unit = n.limits[st]
            if amount is not None and unit:
                row += [int(amount) if float(amount).is_integer() else amount, UNIT_LABELS.get(unit, unit)]
            else:
                row += [None, None]
        row.append(n.closing_condition)
        out.append(row)
    return out


def export_catalogue(engine_or_session, target: str | Path | BinaryIO) -> int:
    """Write the current catalogue (retired categories left out) to an .xlsx; returns the
    number of category rows. Departments are written by code; a second sheet lists the
    departments, units and levels the import accepts."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if isinstance(engine_or_session, Session):
        s = engine_or_session
        rows = export_rows(s)
        depts = list(s.scalars(select(Department).order_by(Department.code)))
    else:
        with read_session(engine_or_session) as s:
            rows = export_rows(s)
            depts = list(s.scalars(select(Department).order_by(Department.code)))
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    ws.append(EXPORT_COLUMNS)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center")
    code_col = EXPORT_COLUMNS.index(CODE) + 1
    for r in rows:
        ws.append(r)
        ws.cell(row=ws.max_row, column=code_col).number_format = "@"  # keep leading zeros
    widths = {KIND: 6, MAJOR: 14, MINOR: 14, CODE: 10, NAME: 18, DEPT: 10, LEVEL: 8, URGENT: 6, FILING: 40, CLOSING: 30}
    for i, col in enumerate(EXPORT_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(col, 11)
    ws.freeze_panes = "F2"
    notes = wb.create_sheet(NOTES_SHEET)
    notes.append(["项目 item", "可填写的值 accepted values"])
    notes.append(["类型 kind", "部件, 事件"])
    notes.append(["指挥层级 command level", "区级, 街道级"])
    notes.append(["紧急 urgent", "是, 否"])
    notes.append(["时限单位 unit", "分钟, 工作时, 工作日, 自然时"])
    notes.append(["大类 / 小类", "大类为空：本行是大类；小类为空：挂在大类下"])
    notes.append([])
    notes.append(["部门代码 department code", "部门名称 department name", "层级 level", "启用 active"])
    for d in depts:
        notes.append([d.code, d.name, LEVEL_LABELS.get(d.level, d.level), "是" if d.active else "否"])
    for cell in notes[1]:
        cell.font = bold
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 40
    from gridstation.store.cells import excel_safe_sheet

    for sheet in (ws, notes):
        excel_safe_sheet(sheet)  # a name or condition starting with "=" is text, not a formula
    wb.save(target)
    return len(rows)


def changes_table(diff: CatalogueDiff) -> Iterable[tuple[str, str, str, int | None, str, object, object]]:
    """The preview flattened: (action, code, name, row, field, old, new), one line per field."""
    for c in diff.changes:
        if not c.fields:
            yield c.action, c.code, c.name, c.row, "", None, None
        for f in c.fields:
            yield c.action, c.code, c.name, c.row, f.field, f.old, f.new
