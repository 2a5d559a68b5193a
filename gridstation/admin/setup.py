"""Where a new center stands in its first setup (profile → levels → boundaries → grids →
catalogue → departments → users → calendar), read from the database itself, so the guided
first start (``gridstation.app.admin.setup_wizard``) resumes at the first step not done, on any
workstation, after any interruption. Only the calendar step, which changes nothing when the
defaults are right, leaves a mark of its own (setting ``setup``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from gridstation.admin.common import admin_tx
from gridstation.cases import rules
from gridstation.store.model import Category, Department, Region, RegionLevel, Setting, UnitGrid, User

STEPS = ("profile", "levels", "boundaries", "grids", "catalogue", "departments", "users", "calendar")
SETTING = "setup"


@dataclass
class SetupStatus:
    profile: str  # the name of the rules in force ("" when none)
    profile_chosen: bool  # the setup wizard applied a profile (or the center had regions already)
    levels: list[tuple[str, str, int]]  # (key, name, regions at that level)
    grids: int
    categories: int
    departments: int
    users: int  # accounts other than administrators
    calendar_checked: bool
    done: dict[str, bool] = field(default_factory=dict)

    def first_open(self) -> str | None:
        return next((k for k in STEPS if not self.done.get(k)), None)


def status(s: Session) -> SetupStatus:
    rs = rules.load(s)
    mark = s.get(Setting, SETTING)
    marks = mark.value if mark is not None and isinstance(mark.value, dict) else {}
    counts = dict(s.execute(select(Region.depth, func.count()).group_by(Region.depth)).all())
    levels = [(lv.key, lv.name, counts.get(lv.depth, 0))
              for lv in s.scalars(select(RegionLevel).order_by(RegionLevel.depth))]
    n = lambda model, *where: s.scalar(select(func.count()).select_from(model).where(*where)) or 0
    st = SetupStatus(
        profile=rs.name if rs else "",
        profile_chosen=bool(marks.get("profile")) or sum(counts.values()) > 0,
        levels=levels,
        grids=n(UnitGrid, UnitGrid.valid_to.is_(None)),
        categories=n(Category, Category.is_leaf, Category.retired.is_(False)),
        departments=n(Department, Department.active),
        users=n(User, User.position != "admin"),
        calendar_checked=bool(marks.get("calendar")),
    )
    st.done = {
        "profile": st.profile_chosen,
        "levels": len(levels) >= 2,
        "boundaries": bool(levels) and all(c > 0 for _k, _n, c in levels),
        "grids": st.grids > 0,
        "catalogue": st.categories > 0,
        "departments": st.departments > 0,
        "users": st.users > 0,
        "calendar": st.calendar_checked,
    }
    return st


def read_status(engine: Engine) -> SetupStatus:
    with Session(engine) as s:
        return status(s)


def mark(engine: Engine, actor, step: str) -> None:
    """Record that a step without data of its own was looked at (profile kept, calendar checked)."""
    with admin_tx(engine, actor) as tx:
        row = tx.s.get(Setting, SETTING)
        old = dict(row.value) if row is not None and isinstance(row.value, dict) else {}
        new = {**old, step: True}
        if row is None:
            tx.s.add(Setting(key=SETTING, value=new))
        else:
            row.value = new
        tx.audit("config", SETTING, step, old.get(step), True)
        tx.changed("config", None, SETTING)
