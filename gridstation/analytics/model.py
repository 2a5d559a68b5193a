"""Summary tables for drill-down, evaluation and early warning (统计汇总表).

Derived data only: every row can be rebuilt from ``cases`` and ``case_event`` by
``gridstation.analytics.rollup.rebuild``; the workflow keeps them current in each action's transaction
(``gridstation.analytics.rollup.on_event``). No foreign keys (0 stands for "none" in a key column, and
rebuilds must not fight with referential checks).

``rollup_case_day``
    One row per (report day, unit grid, filed category, department, source): what became of the
    cases reported that day (a *cohort*: a case's figures stay with the day it was reported,
    whenever they happen). ``category_id`` is the category the case was filed (立案) under, 0
    while it is not filed; ``department_id`` is the department the fact is attributed to (the
    one the event names), 0 for case-level facts before dispatch.
``rollup_grid_month``
    The same counters per (first day of the report month, unit grid): what a drill-down over
    whole months reads (a year of 5,000 grids is 60,000 rows).
``rollup_region_day`` / ``rollup_region_month``
    The same counters per (day or month, region of the grid): the grids' rows summed to the
    region each grid hangs under (a community, or whichever region holds grids directly). A
    drill-down of regions reads these: a year of 500 communities is 6,000 month rows, an edge
    day 500 rows (against 60,000 and ~5,500 for the grid tables). Written with the grid tables
    (live and by ``rebuild``); moving a grid to another region needs a ``rollup rebuild``.
``rollup_position_day``
    Per (day, user, position) counters for the position indicators (岗位考核).

Close-time histogram: columns ``h00`` … ``h31`` count closed cases by working minutes from
report to close (parked time excluded) in half-octave buckets: ``h00`` is [0, 1) minute,
``hNN`` (1 ≤ NN ≤ 30) is [2^((NN-1)/2), 2^(NN/2)) minutes, ``h31`` is 2^15 = 32,768 minutes
(78 working days) and more. Each bucket spans a factor √2, so a percentile read from it is
exact to within that factor (log-linear interpolation inside the bucket usually does far
better).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from gridstation.store.model import Base

N_BUCKETS = 32
HIST_COLUMNS = tuple(f"h{i:02d}" for i in range(N_BUCKETS))

# Counters of the case tables (cohort by report day), in a stable order.
CASE_COUNTERS = (
    "reported",  # cases reported (上报)
    "public_reports",  # of those, from the hotline or the public (热线/公众)
    "filed",  # cases filed (立案), self-handled cases approved included
    "voided",  # cases voided (作废)
    "voided_filed",  # cases voided after they had been filed
    "dispatched",  # cases dispatched at least once (counted at the first dispatch)
    "handled",  # cases fed back at least once (counted at the first feedback)
    "closed",  # cases closed (结案)
    "closed_on_time",  # closed, last handling round fed back by its deadline (按期结案)
    "dept_cases",  # (case, department) pairs the department is responsible for
    "fed_back",  # feedback events (处置反馈), one per handling round
    "fed_back_on_time",  # feedbacks by the round's deadline (extensions, parked time included)
    "reworks",  # 返工: failed re-checks and the shift leader's reworks
    "returns",  # approved 回退
    "extensions",  # approved 延期
    "parked",  # approved 挂账
    "parked_now",  # cases parked at this moment
    "urged",  # 督办 events
)
CASE_SUMS = ("close_minutes",)  # working minutes report → close, parked time excluded

POSITION_COUNTERS = (
    "reports",  # reports taken: a supervisor's own reports, an intake operator's received calls
    "valid_reports",  # of the reports made that day, filed (or self-handling approved)
    "invalid_reports",  # of the reports made that day, voided before filing
    "verify_done",  # 核实 done
    "verify_on_time",  # 核实 done by the case's filing deadline
    "recheck_done",  # 核查 done
    "recheck_on_time",  # 核查 done by the round's re-check deadline
    "verify_assigned",  # 核实 tasks dispatched (assign_verify)
    "verify_assigned_on_time",  # within the task-dispatch limit of the report
    "check_assigned",  # 核查 tasks dispatched (assign_check)
    "check_assigned_on_time",  # within the task-dispatch limit of the feedback
    "filed",  # 立案 by this shift leader
    "filed_on_time",  # by the case's filing deadline
    "filed_voided",  # of the cases filed that day, voided afterwards (inaccurate filing)
    "closed",  # 结案 by this shift leader (self-handling approvals included)
    "closed_on_time",  # by the case's closing deadline
    "dispatched",  # 派遣 by this dispatcher
    "dispatched_on_time",  # by the dispatch deadline
    "dispatch_returned",  # of the dispatches made that day, returned (回退) as mis-dispatched
)


def _counter() -> Mapped[int]:
    return mapped_column(Integer, default=0, server_default=text("0"))


def _case_columns(ns: dict) -> None:
    for name in CASE_COUNTERS:
        ns[name] = _counter()
        ns["__annotations__"][name] = Mapped[int]
    ns["close_minutes"] = mapped_column(Float, default=0.0, server_default=text("0"))
    ns["__annotations__"]["close_minutes"] = Mapped[float]
    for name in HIST_COLUMNS:
        ns[name] = _counter()
        ns["__annotations__"][name] = Mapped[int]


class RollupCaseDay(Base):
    """Cohort counters per (report day, grid, filed category, department, source)."""

    __tablename__ = "rollup_case_day"
    __annotations__ = {
        "day": Mapped[date],
        "grid_id": Mapped[int],
        "category_id": Mapped[int],
        "department_id": Mapped[int],
        "source": Mapped[str],
    }

    day = mapped_column(Date, primary_key=True)
    grid_id = mapped_column(Integer, primary_key=True)
    category_id = mapped_column(Integer, primary_key=True)
    department_id = mapped_column(Integer, primary_key=True)
    source = mapped_column(String(24), primary_key=True)
    _case_columns(locals())

    __table_args__ = (Index("ix_rollup_case_day_department_day", "department_id", "day"),)


class RollupGridMonth(Base):
    """The case counters per (first day of the report month, grid): the drill-down's fast path."""

    __tablename__ = "rollup_grid_month"
    __annotations__ = {"month": Mapped[date], "grid_id": Mapped[int]}

    month = mapped_column(Date, primary_key=True)
    grid_id = mapped_column(Integer, primary_key=True)
    _case_columns(locals())


class RollupRegionDay(Base):
    """The case counters per (report day, region holding the grid)."""

    __tablename__ = "rollup_region_day"
    __annotations__ = {"day": Mapped[date], "region_id": Mapped[int]}

    day = mapped_column(Date, primary_key=True)
    region_id = mapped_column(Integer, primary_key=True)
    _case_columns(locals())


class RollupRegionMonth(Base):
    """The case counters per (first day of the report month, region holding the grid)."""

    __tablename__ = "rollup_region_month"
    __annotations__ = {"month": Mapped[date], "region_id": Mapped[int]}

    month = mapped_column(Date, primary_key=True)
    region_id = mapped_column(Integer, primary_key=True)
    _case_columns(locals())


class RollupPositionDay(Base):
    """Position indicator counters per (day, user, position)."""

    __tablename__ = "rollup_position_day"
    __annotations__ = {"day": Mapped[date], "user_id": Mapped[int], "position": Mapped[str]}

    day = mapped_column(Date, primary_key=True)
    user_id = mapped_column(Integer, primary_key=True)
    position = mapped_column(String(24), primary_key=True)
    for _name in POSITION_COUNTERS:
        locals()[_name] = _counter()
        __annotations__[_name] = Mapped[int]
    del _name


__all__ = [
    "CASE_COUNTERS",
    "CASE_SUMS",
    "HIST_COLUMNS",
    "N_BUCKETS",
    "POSITION_COUNTERS",
    "RollupCaseDay",
    "RollupGridMonth",
    "RollupPositionDay",
    "RollupRegionDay",
    "RollupRegionMonth",
]
