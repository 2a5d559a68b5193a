"""The 部件/事件 category catalogue (案件类别) as a tree: add, rename, move, retire, and per
category the time limit and unit of each stage (立案, 派遣, 处置, 核查, 结案), the responsible
department, the command level and the filing and closing conditions.

Rules the whole module keeps (and ``catalogue_excel`` applies through ``repath``):

* The roots (depth 0) are the kinds, 部件 and 事件; a category's ``kind`` is its root's.
* A category is a leaf (``is_leaf``) when nothing hangs under it, retired children included:
  retiring every minor class of a major class does not turn the major class into a pickable
  category. Only current leaves appear in the pickers (``forms.load_categories``).
* Retiring (停用) never deletes: cases keep pointing at their category; a retired category
  vanishes from the pickers, and retiring a branch retires everything under it.
* Time limits: a case snapshots a stage's limit when the stage starts (``timelimits``), so
  a changed limit applies to every stage that starts after the change and never moves the
  deadline of a running stage.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from gridstation.errors import InvalidInput, NotFound
from gridstation.store.model import OPEN_STATES, Case, Category, CategoryKind, CommandLevel, Department, Stage
from gridstation.worktime.workcal import TimeUnit
from gridstation.admin.common import ConfigConflict, Tx, admin_tx, code_label, text_field

STAGES: tuple[Stage, ...] = (Stage.FILE, Stage.DISPATCH, Stage.HANDLE, Stage.CHECK, Stage.CLOSE)
UNITS: tuple[str, ...] = tuple(u.value for u in TimeUnit)
MAX_AMOUNT = 100_000  # a sanity bound: 100,000 of any unit is a typing mistake
MAX_CONDITION = 2000

#: Fields an administrator edits on a category (``update_category``).
LIMIT_FIELDS = tuple(f"{s.value}_{p}" for s in STAGES for p in ("limit", "unit"))
EDITABLE = ("name", "department_id", "command_level", "urgent", "filing_condition", "closing_condition", *LIMIT_FIELDS)

ENTITY = "category"


@dataclass(frozen=True)
class CategoryNode:
    """One category as the admin screens show it (plain data)."""

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    depth: int
    is_leaf: bool
    retired: bool
    urgent: bool
    department_id: int | None
    department: str  # "code name" of the responsible department, "" if none
    command_level: str
    limits: dict[str, tuple[float | None, str | None]]  # stage value → (amount, unit)
    filing_condition: str
    closing_condition: str
    open_cases: int = 0

    def values(self) -> dict:
        """The editable fields, as ``update_category`` takes them."""
        out = {
            "name": self.name, "department_id": self.department_id, "command_level": self.command_level,
            "urgent": self.urgent, "filing_condition": self.filing_condition,
            "closing_condition": self.closing_condition,
        }
        for st, (amount, unit) in self.limits.items():
            out[f"{st}_limit"], out[f"{st}_unit"] = amount, unit
        return out


def dept_label(d: Department | None) -> str:
    return f"{d.code} {d.name}" if d is not None else ""


# --------------------------------------------------------------------------- reading


def tree(s: Session, *, include_retired: bool = True) -> list[CategoryNode]:
    """Every category in tree order (pre-order, children by code), with open case counts."""
    cats = list(s.scalars(select(Category)))
    depts = {d.id: d for d in s.scalars(select(Department))}
    open_counts = dict(
        s.execute(
            select(Case.category_id, func.count()).where(Case.state.in_([st.value for st in OPEN_STATES]))
            .group_by(Case.category_id)
        ).all()
    )
    children: dict[int | None, list[Category]] = {}
    for c in cats:
        children.setdefault(c.parent_id, []).append(c)
    for lst in children.values():
        lst.sort(key=lambda c: c.code)
    out: list[CategoryNode] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        c = stack.pop()
        if c.retired and not include_retired:
            continue
        out.append(node_of(c, depts, open_counts.get(c.id, 0)))
        stack.extend(reversed(children.get(c.id, [])))
    return out


def node_of(c: Category, depts: dict[int, Department], open_cases: int = 0) -> CategoryNode:
    return CategoryNode(
        id=c.id, code=c.code, name=c.name, kind=c.kind, parent_id=c.parent_id, depth=c.depth,
        is_leaf=bool(c.is_leaf), retired=bool(c.retired), urgent=bool(c.urgent), department_id=c.department_id,
        department=dept_label(depts.get(c.department_id)) if c.department_id else "",
        command_level=c.command_level or CommandLevel.DISTRICT.value,
        limits={st.value: c.limit(st) for st in STAGES},
        filing_condition=c.filing_condition or "", closing_condition=c.closing_condition or "",
        open_cases=int(open_cases or 0),
    )


def fingerprint(s: Session) -> str:
    """A checksum of the whole catalogue and the departments it names (an import's preview is
    applied only if neither changed since)."""
    h = hashlib.sha256()
    cols = [c for c in Category.__table__.columns]
    for row in s.execute(select(*cols).order_by(Category.id)):
        h.update(repr(tuple(row)).encode())
    for row in s.execute(select(Department.id, Department.code, Department.name, Department.active).order_by(Department.id)):
        h.update(repr(tuple(row)).encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- checking


def check_limit(amount, unit, stage: str) -> tuple[float | None, str | None]:
    """A stage's (amount, unit): both empty (the center default applies) or a positive amount
    in a known unit."""
    if amount in ("", None) and unit in ("", None):
        return None, None
    if amount in ("", None):
        raise InvalidInput(f"{stage}_limit", "a limit is needed with a unit")
    if unit in ("", None):
        raise InvalidInput(f"{stage}_unit", "a unit is needed with a limit")
    try:
        a = float(amount)
    except (TypeError, ValueError):
        raise InvalidInput(f"{stage}_limit", f"not a number: {amount!r}") from None
    if not math.isfinite(a) or a <= 0:
        raise InvalidInput(f"{stage}_limit", "must be a positive number")
    if a > MAX_AMOUNT:
        raise InvalidInput(f"{stage}_limit", f"at most {MAX_AMOUNT}")
    if unit not in UNITS:
        raise InvalidInput(f"{stage}_unit", f"one of {', '.join(UNITS)}")
    return a, str(unit)


def check_values(values: dict) -> dict:
    """Normalise and check editable fields (only those given)."""
    out: dict = {}
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidInput(min(unknown), "not an editable field of a category")
    if "name" in values:
        out["name"] = text_field(values["name"], "name", max_len=128)
    if "department_id" in values:
        d = values["department_id"]
        out["department_id"] = int(d) if d not in (None, "") else None
    if "command_level" in values:
        lvl = values["command_level"] or CommandLevel.DISTRICT.value
        if lvl not in {x.value for x in CommandLevel}:
            raise InvalidInput("command_level", "district or street")
        out["command_level"] = lvl
    if "urgent" in values:
        out["urgent"] = bool(values["urgent"])
    for key in ("filing_condition", "closing_condition"):
        if key in values:
            out[key] = text_field(values[key], key, required=False, max_len=MAX_CONDITION)
    for st in STAGES:
        lk, uk = f"{st.value}_limit", f"{st.value}_unit"
        if lk in values or uk in values:
            if lk not in values or uk not in values:
                raise InvalidInput(lk, "give the limit and its unit together")
            out[lk], out[uk] = check_limit(values[lk], values[uk], st.value)
    return out


def pinyin_initials(name: str) -> str:
    """Pinyin initials for the picker (``暴露垃圾`` → ``bllj``); empty without pypinyin."""
    try:
        from pypinyin import Style, lazy_pinyin
    except ImportError:
        return ""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()[:64]


# --------------------------------------------------------------------------- tree upkeep


def repath(s: Session) -> None:
    """Depth, materialised path, kind (the root's) and ``is_leaf`` of every category, from the
    parent links (after a move, an add or an import; a few thousand rows at most)."""
    s.flush()
    cats = {c.id: c for c in s.scalars(select(Category))}
    children: dict[int | None, list[Category]] = {}
    for c in cats.values():
        children.setdefault(c.parent_id, []).append(c)
    seen: set[int] = set()
    stack = [(c, "/", 0, c.kind) for c in children.get(None, [])]
    while stack:
        c, prefix, depth, kind = stack.pop()
        seen.add(c.id)
        path = f"{prefix}{c.id}/"
        kids = children.get(c.id, [])
        if c.path != path:
            c.path = path
        if c.depth != depth:
            c.depth = depth
        if c.kind != kind:
            c.kind = kind
        leaf = not kids
        if bool(c.is_leaf) != leaf:
            c.is_leaf = leaf
        stack.extend((k, path, depth + 1, kind) for k in kids)
    if len(seen) != len(cats):  # pragma: no cover - moves refuse cycles before they happen
        raise InvalidInput("parent", "the catalogue would contain a cycle")


def _get(s: Session, category_id: int) -> Category:
    c = s.get(Category, category_id)
    if c is None:
        raise NotFound("category", category_id)
    return c


def limit_text(amount, unit) -> str | None:
    if amount is None or not unit:
        return None
    return f"{amount:g} {unit}"


def _department(s: Session, dept_id: int | None) -> Department | None:
    if dept_id is None:
        return None
    d = s.get(Department, dept_id)
    if d is None:
        raise NotFound("department", dept_id)
    return d


def current_value(c: Category, key: str):
    """A category's field as the catalogue compares it ("" and None alike for text, limits as
    (amount, unit) or None)."""
    if key in ("filing_condition", "closing_condition"):
        return getattr(c, key) or ""
    if key == "urgent":
        return bool(c.urgent)
    if key == "command_level":
        return c.command_level or CommandLevel.DISTRICT.value
    if key.endswith("_limit"):
        stage = key[: -len("_limit")]
        amount, unit = getattr(c, key), getattr(c, f"{stage}_unit")
        return (float(amount), unit) if amount is not None and unit else None
    return getattr(c, key)


def pending_changes(c: Category | None, values: dict) -> list[tuple[str, object, object]]:
    """(field, old, new) for each checked value that differs from the category (all of them
    for a new category). Limits are compared as (amount, unit) under the key ``<stage>_limit``."""
    out = []
    keys = [k for k in EDITABLE if k in values and not k.endswith("_unit")]
    for key in keys:
        if key.endswith("_limit"):
            stage = key[: -len("_limit")]
            new = (float(values[key]), values[f"{stage}_unit"]) if values[key] is not None else None
        else:
            new = values[key]
        old = current_value(c, key) if c is not None else None
        if c is None and new in (None, "", False) and key != "name":
            continue
        if old != new:
            out.append((key, old, new))
    return out


def apply_values(tx: Tx, c: Category, values: dict) -> list[str]:
    """Write checked values onto a category with one audit row per changed field; returns the
    names of the fields that changed."""
    s = tx.s
    changed: list[str] = []
    for key, old, new in pending_changes(c, values):
        if key == "name":
            tx.audit(ENTITY, c.code, "name", old, new)
            c.name = new
            c.pinyin = pinyin_initials(new) or c.pinyin
        elif key == "department_id":
            d = _department(s, new)
            if d is not None and not d.active:
                raise InvalidInput("department", f"{d.name} is disabled")
            tx.audit(ENTITY, c.code, "department", _label_dept(s, old), dept_label(d) or None)
            c.department_id = new
        elif key.endswith("_limit"):
            stage = key[: -len("_limit")]
            tx.audit(ENTITY, c.code, key, limit_text(*(old or (None, None))), limit_text(*(new or (None, None))))
            setattr(c, key, new[0] if new else None)
            setattr(c, f"{stage}_unit", new[1] if new else None)
        else:
            tx.audit(ENTITY, c.code, key, old, new)
            setattr(c, key, new)
        changed.append(key)
    return changed


def _label_dept(s: Session, dept_id: int | None) -> str | None:
    if dept_id is None:
        return None
    d = s.get(Department, dept_id)
    return dept_label(d) if d else str(dept_id)


# --------------------------------------------------------------------------- commands


def add_category(
    engine: Engine,
    actor,
    *,
    parent_id: int | None,
    code: str,
    name: str,
    kind: str | None = None,
    **values,
) -> int:
    """A new category under ``parent_id`` (``None``: a new root, which needs ``kind``)."""
    code = text_field(code, "code", max_len=32)
    checked = check_values({"name": name, **values})
    with admin_tx(engine, actor) as tx:
        s = tx.s
        if s.scalar(select(Category.id).where(Category.code == code)) is not None:
            raise InvalidInput("code", f"{code} exists already")
        if parent_id is None:
            try:
                kind = CategoryKind(kind).value
            except ValueError:
                raise InvalidInput("kind", "component or event") from None
            parent = None
        else:
            parent = _get(s, parent_id)
            if parent.retired:
                raise InvalidInput("parent", f"{parent.name} is retired")
            kind = parent.kind
        c = Category(code=code, name=checked["name"], kind=kind, parent_id=parent_id,
                     depth=(parent.depth + 1) if parent else 0, path="", is_leaf=True,
                     pinyin=pinyin_initials(checked["name"]), command_level=CommandLevel.DISTRICT.value,
                     filing_condition="", closing_condition="", urgent=False, retired=False)
        s.add(c)
        s.flush()
        tx.audit(ENTITY, code, "created", None, f"{checked['name']} (under {parent.code if parent else kind})")
        apply_values(tx, c, {k: v for k, v in checked.items() if k != "name"})
        repath(s)
        tx.changed(ENTITY, c.id, "add")
        return c.id


def update_category(engine: Engine, actor, category_id: int, values: dict, *, expected: dict | None = None) -> list[str]:
    """Change editable fields of a category; ``expected`` holds the values the administrator
    saw (a field somebody else changed meanwhile is refused with ``ConfigConflict``).

    Returns the fields that changed. A changed limit applies to stages starting from now on."""
    checked = check_values(values)
    with admin_tx(engine, actor) as tx:
        c = _get(tx.s, category_id)
        if expected:
            for k in checked:
                if k in expected and _norm(getattr(c, k)) != _norm(expected[k]):
                    raise ConfigConflict(f"category {c.code}", k)
        changed = apply_values(tx, c, checked)
        if changed:
            tx.changed(ENTITY, c.id, "edit")
        return changed


def _norm(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if v == "":
        return None
    return v


def move_category(engine: Engine, actor, category_id: int, new_parent_id: int) -> None:
    """Hang a category (with everything under it) under another parent; it takes the new
    parent's kind. The roots stay where they are."""
    with admin_tx(engine, actor) as tx:
        s = tx.s
        c = _get(s, category_id)
        if c.parent_id is None:
            raise InvalidInput("parent", "a root of the catalogue cannot move")
        target = _get(s, new_parent_id)
        if target.retired:
            raise InvalidInput("parent", f"{target.name} is retired")
        if target.id == c.id or target.path.startswith(c.path):
            raise InvalidInput("parent", "a category cannot move under itself")
        if target.id == c.parent_id:
            return
        old_parent = s.get(Category, c.parent_id)
        tx.audit(ENTITY, c.code, "parent", code_label(old_parent), code_label(target))
        if target.kind != c.kind:
            tx.audit(ENTITY, c.code, "kind", c.kind, target.kind)
        c.parent_id = target.id
        repath(s)
        tx.changed(ENTITY, c.id, "move")


def retire_category(engine: Engine, actor, category_id: int) -> list[str]:
    """停用: the category and everything under it vanish from the pickers; cases keep them."""
    with admin_tx(engine, actor) as tx:
        s = tx.s
        c = _get(s, category_id)
        if c.parent_id is None:
            raise InvalidInput("category", "a root of the catalogue cannot be retired")
        codes = []
        for sub in s.scalars(select(Category).where(Category.path.startswith(c.path)).order_by(Category.path)):
            if not sub.retired:
                tx.audit(ENTITY, sub.code, "retired", False, True)
                sub.retired = True
                codes.append(sub.code)
        if codes:
            tx.changed(ENTITY, c.id, "retire")
        return codes


def restore_category(engine: Engine, actor, category_id: int) -> None:
    """Bring a retired category back (its parent must be current; its children stay as
    they are)."""
    with admin_tx(engine, actor) as tx:
        s = tx.s
        c = _get(s, category_id)
        if not c.retired:
            return
        parent = s.get(Category, c.parent_id) if c.parent_id else None
        if parent is not None and parent.retired:
            raise InvalidInput("parent", f"restore {parent.name} first")
        tx.audit(ENTITY, c.code, "retired", True, False)
        c.retired = False
        tx.changed(ENTITY, c.id, "restore")


@dataclass
class LimitImpact:
    """What a limit change means for cases: how many run a stage of this category now (they
    keep their deadlines)."""

    open_cases: int
    running: dict[str, int] = field(default_factory=dict)  # stage → cases whose clock runs it


def limit_impact(s: Session, category_id: int) -> LimitImpact:
    rows = s.execute(
        select(Case.stage, func.count()).where(Case.category_id == category_id,
                                               Case.state.in_([st.value for st in OPEN_STATES]))
        .group_by(Case.stage)
    ).all()
    running = {st or "": n for st, n in rows}
    return LimitImpact(sum(running.values()), running)


__all__ = [
    "EDITABLE", "LIMIT_FIELDS", "STAGES", "UNITS", "CategoryNode", "LimitImpact", "add_category",
    "check_limit", "check_values", "fingerprint", "limit_impact", "move_category", "repath",
    "restore_category", "retire_category", "tree", "update_category",
]
