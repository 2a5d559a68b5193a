"""The running stage's clock of a case: its limit, deadline, warning time and traffic light.

A stage's limit comes from the case's category when the stage starts (a later change of the
catalogue never moves a running case's deadline). Parked (挂账) time does not count and an
approved extension (延期) adds to the limit, so both push the deadline out by working time.
Storing ``warn_at`` (yellow from here) and ``due_at`` (red from here) lets the database select
a queue by light without computing anything per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from gridstation.store.model import CaseState, Stage
from gridstation.worktime.workcal import GREEN, RED, YELLOW, TimeUnit, WorkCalendar, traffic_light

# Which stage's clock runs in each state.
STAGE_OF_STATE: dict[str, Stage | None] = {
    CaseState.TO_VERIFY.value: Stage.FILE,
    CaseState.TO_FILE.value: Stage.FILE,
    CaseState.SELF_REVIEW.value: Stage.CLOSE,
    CaseState.TO_DISPATCH.value: Stage.DISPATCH,
    CaseState.HANDLING.value: Stage.HANDLE,
    CaseState.PARKED.value: Stage.HANDLE,
    CaseState.TO_CHECK.value: Stage.CHECK,
    CaseState.TO_CLOSE.value: Stage.CLOSE,
    CaseState.CLOSED.value: None,
    CaseState.VOIDED.value: None,
}

# When a category sets no limit for a stage: the common city defaults (立案/派遣 30 min,
# 核查 1 working hour, 结案 30 min, 处置 1 working day).
DEFAULT_LIMITS: dict[Stage, tuple[float, TimeUnit]] = {
    Stage.FILE: (30, TimeUnit.MINUTE),
    Stage.DISPATCH: (30, TimeUnit.MINUTE),
    Stage.HANDLE: (1, TimeUnit.WORK_DAY),
    Stage.CHECK: (1, TimeUnit.WORK_HOUR),
    Stage.CLOSE: (30, TimeUnit.MINUTE),
}

YELLOW_AT = 0.8  # ../shared/domain.md §3: green while elapsed <= 80 % of the limit


@dataclass(frozen=True)
class StageClock:
    stage: Stage
    started_at: datetime
    limit_minutes: float  # in the unit's kind of minutes (working, or natural for NATURAL_HOUR)
    unit: TimeUnit
    extension_minutes: float
    parked_minutes: float
    warn_at: datetime
    due_at: datetime


def limit_of(category, stage: Stage) -> tuple[float, TimeUnit]:
    """The category's limit for a stage, or the center default when it sets none."""
    if category is not None:
        amount, unit = category.limit(stage)
        if amount is not None and unit:
            return float(amount), TimeUnit(unit)
    return DEFAULT_LIMITS[stage]


def start_clock(
    calendar: WorkCalendar,
    stage: Stage,
    category,
    started_at: datetime,
    *,
    extension_minutes: float = 0.0,
    parked_minutes: float = 0.0,
) -> StageClock:
    amount, unit = limit_of(category, stage)
    return rebuild_clock(
        calendar,
        stage,
        started_at,
        calendar.limit_minutes(amount, unit),
        unit,
        extension_minutes=extension_minutes,
        parked_minutes=parked_minutes,
    )


def rebuild_clock(
    calendar: WorkCalendar,
    stage: Stage,
    started_at: datetime,
    limit_minutes: float,
    unit: TimeUnit,
    *,
    extension_minutes: float = 0.0,
    parked_minutes: float = 0.0,
) -> StageClock:
    """Deadlines from a clock's parts: after an extension or a resume from parking."""
    total = limit_minutes + extension_minutes
    shift = parked_minutes

    def at(minutes: float) -> datetime:
        if unit is TimeUnit.NATURAL_HOUR:
            return started_at + timedelta(minutes=minutes)
        return calendar.add_working_minutes(started_at, minutes)

    return StageClock(
        stage=stage,
        started_at=started_at,
        limit_minutes=limit_minutes,
        unit=unit,
        extension_minutes=extension_minutes,
        parked_minutes=parked_minutes,
        warn_at=at(YELLOW_AT * total + shift),
        due_at=at(total + shift),
    )


def elapsed_minutes(calendar: WorkCalendar, case, now: datetime) -> float:
    """Counted time of the running stage: parked time (and the current parking) excluded."""
    unit = TimeUnit(case.stage_unit)
    until = case.parked_at if case.state == CaseState.PARKED.value and case.parked_at else now
    return max(0.0, calendar.elapsed(case.stage_started_at, until, unit) - (case.parked_minutes or 0.0))


def light(calendar: WorkCalendar, case, now: datetime) -> str | None:
    """The traffic light of an open case's running stage; None when no clock runs."""
    if not case.stage or case.stage_started_at is None or case.stage_limit_minutes is None:
        return None
    limit = case.stage_limit_minutes + (case.extension_minutes or 0.0)
    return traffic_light(elapsed_minutes(calendar, case, now), limit)


def remaining_minutes(calendar: WorkCalendar, case, now: datetime) -> float | None:
    """Time left (negative when overdue) in the stage unit's kind of minutes."""
    if not case.stage or case.stage_started_at is None or case.stage_limit_minutes is None:
        return None
    limit = case.stage_limit_minutes + (case.extension_minutes or 0.0)
    return limit - elapsed_minutes(calendar, case, now)


def apply_clock(case, clock: StageClock | None) -> None:
    """Write a clock onto a case row (or clear it when the case leaves the loop)."""
    if clock is None:
        case.stage = None
        case.stage_started_at = None
        case.stage_limit_minutes = None
        case.stage_unit = None
        case.warn_at = None
        case.due_at = None
        return
    case.stage = clock.stage.value
    case.stage_started_at = clock.started_at
    case.stage_limit_minutes = clock.limit_minutes
    case.stage_unit = clock.unit.value
    case.extension_minutes = clock.extension_minutes
    case.parked_minutes = clock.parked_minutes
    case.warn_at = clock.warn_at
    case.due_at = clock.due_at
    setattr(case, f"{clock.stage.value}_deadline", clock.due_at)


__all__ = [
    "GREEN",
    "YELLOW",
    "RED",
    "STAGE_OF_STATE",
    "DEFAULT_LIMITS",
    "StageClock",
    "limit_of",
    "start_clock",
    "rebuild_clock",
    "elapsed_minutes",
    "light",
    "remaining_minutes",
    "apply_clock",
]
