"""The shared case database: SQLAlchemy 2 typed ORM, the same schema on SQLite and PostgreSQL.

Words follow ../shared/domain.md: a city is cut into unit grids (单元网格) that hang under a
region hierarchy of configurable depth; problems become cases (案件) that go around the closed
loop; every change writes an append-only case event and a ``change_log`` row in the same
transaction, which is what other workstations follow.

Timestamps are naive datetimes in the center's local time (China has no DST); working-time
arithmetic needs local wall-clock time anyway.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from gridstation.store import limits

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BIGINT autoincrement that SQLite accepts as its rowid alias.
BigId = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# --------------------------------------------------------------------------- enumerations
# Stored as plain strings (portable, readable in SQL, no PostgreSQL ENUM types to migrate).


class Position(str, enum.Enum):
    """岗位: what a user does in the center."""

    SUPERVISOR = "supervisor"  # 监督员
    INTAKE_OPERATOR = "intake_operator"  # 受理员
    SHIFT_LEADER = "shift_leader"  # 值班长
    DISPATCHER = "dispatcher"  # 派遣员 (district command center)
    STREET_DISPATCHER = "street_dispatcher"  # 街道分中心派遣员
    DEPT_HANDLER = "dept_handler"  # 专业部门处置人员
    LEADER = "leader"  # 领导
    ADMIN = "admin"  # 系统管理员
    WALL = "wall"  # 指挥大厅大屏: signs in to show, may not act (read-only)


class CaseSource(str, enum.Enum):
    """案件来源."""

    SUPERVISOR = "supervisor"  # 监督员上报
    HOTLINE = "hotline"  # 热线
    PUBLIC = "public"  # 公众举报
    CAMERA = "camera"  # 视频监控


class CaseState(str, enum.Enum):
    """Where a case is in the closed loop."""

    TO_VERIFY = "to_verify"  # 待核实
    TO_FILE = "to_file"  # 待立案
    TO_DISPATCH = "to_dispatch"  # 待派遣
    HANDLING = "handling"  # 处置中
    PARKED = "parked"  # 挂账
    TO_CHECK = "to_check"  # 待核查
    TO_CLOSE = "to_close"  # 待结案
    SELF_REVIEW = "self_review"  # 自处理待审核
    CLOSED = "closed"  # 已结案
    VOIDED = "voided"  # 已作废


OPEN_STATES = tuple(s for s in CaseState if s not in (CaseState.CLOSED, CaseState.VOIDED))


class Stage(str, enum.Enum):
    """The stages that carry a time limit (立案, 派遣, 处置, 核查, 结案)."""

    FILE = "file"
    DISPATCH = "dispatch"
    HANDLE = "handle"
    CHECK = "check"
    CLOSE = "close"


class CategoryKind(str, enum.Enum):
    COMPONENT = "component"  # 部件
    EVENT = "event"  # 事件


class CommandLevel(str, enum.Enum):
    """一级监督、两级指挥: which command center dispatches the case."""

    DISTRICT = "district"
    STREET = "street"


class ComponentState(str, enum.Enum):
    INTACT = "intact"  # 完好
    DAMAGED = "damaged"  # 破损
    LOST = "lost"  # 丢失
    ABANDONED = "abandoned"  # 废弃
    REMOVED = "removed"  # 移除


class RequestKind(str, enum.Enum):
    """Exception paths that wait for an approver."""

    RETURN = "return"  # 回退
    EXTENSION = "extension"  # 延期
    PARK = "park"  # 挂账
    VOID = "void"  # 作废


def _enum(e: type[enum.Enum], length: int = 24) -> String:
    return String(length)


def _max_chars(column: str, table: str) -> CheckConstraint:
    """A TEXT column's bound (``store.limits``) as a CHECK the database enforces too."""
    return CheckConstraint(f"length({column}) <= {limits.COLUMN_LIMITS[(table, column)]}", name=f"{column}_len")


# --------------------------------------------------------------------------- organisation


class RegionLevel(Base):
    """One level of the city's administrative shape (市 → 区 → 街道 → 社区 is the default)."""

    __tablename__ = "region_level"

    depth: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64), default="")


class Region(Base):
    """A node of the administrative hierarchy; unit grids hang under the deepest level."""

    __tablename__ = "region"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    depth: Mapped[int] = mapped_column(ForeignKey("region_level.depth"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    # Materialised path "/1/4/17/" so a scope (a region subtree) is one indexed prefix match.
    path: Mapped[str] = mapped_column(String(255), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The boundary (GeoJSON Polygon/MultiPolygon, WGS84) when imported from a boundary file;
    # None for a node typed in by hand (e.g. the city). Children tile it; grids lie inside it.
    geometry: Mapped[dict | None] = mapped_column(JSON)
    area_m2: Mapped[float | None] = mapped_column(Float)

    parent: Mapped[Region | None] = relationship(remote_side=[id])


class UnitGrid(Base):
    """单元网格: code of 15 digits (6 admin + 3 street + 3 community + 3 sequence) or 14."""

    __tablename__ = "unit_grid"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(15), index=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    # GeoJSON geometry (Polygon or MultiPolygon, WGS84 lon/lat).
    geometry: Mapped[dict] = mapped_column(JSON)
    area_m2: Mapped[float] = mapped_column(Float)
    center_lon: Mapped[float] = mapped_column(Float)
    center_lat: Mapped[float] = mapped_column(Float)
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    # A new version of the grid layer ends old grids instead of deleting them, so old cases
    # still point at the grid they were filed in.
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    region: Mapped[Region] = relationship()


class Department(Base):
    """专业部门 or a command center's own unit, at district or street level."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    level: Mapped[str] = mapped_column(_enum(CommandLevel))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    # For a street-level department: the street it serves.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    contact: Mapped[str] = mapped_column(String(128), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    position: Mapped[str] = mapped_column(_enum(Position))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Scope: a region subtree (None = the whole city) and, for handlers, a department.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    phone: Mapped[str] = mapped_column(String(32), default="")

    region: Mapped[Region | None] = relationship()
    department: Mapped[Department | None] = relationship()


# --------------------------------------------------------------------------- catalogue


class Category(Base):
    """A node of the 部件/事件 catalogue; leaves carry limits, department and command level."""

    __tablename__ = "category"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(_enum(CategoryKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str] = mapped_column(String(255), index=True)
    is_leaf: Mapped[bool] = mapped_column(Boolean, default=True)
    pinyin: Mapped[str] = mapped_column(String(64), default="")  # initials, for the picker
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    command_level: Mapped[str] = mapped_column(_enum(CommandLevel), default=CommandLevel.DISTRICT.value)
    # Time limit of each stage: amount and unit (gridstation.worktime.workcal.TimeUnit values).
    file_limit: Mapped[float | None] = mapped_column(Float)
    file_unit: Mapped[str | None] = mapped_column(String(16))
    dispatch_limit: Mapped[float | None] = mapped_column(Float)
    dispatch_unit: Mapped[str | None] = mapped_column(String(16))
    handle_limit: Mapped[float | None] = mapped_column(Float)
    handle_unit: Mapped[str | None] = mapped_column(String(16))
    check_limit: Mapped[float | None] = mapped_column(Float)
    check_unit: Mapped[str | None] = mapped_column(String(16))
    close_limit: Mapped[float | None] = mapped_column(Float)
    close_unit: Mapped[str | None] = mapped_column(String(16))
    filing_condition: Mapped[str] = mapped_column(Text, default="")  # 立案条件
    closing_condition: Mapped[str] = mapped_column(Text, default="")  # 结案条件
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    department: Mapped[Department | None] = relationship()

    __table_args__ = (_max_chars("filing_condition", "category"), _max_chars("closing_condition", "category"))

    def limit(self, stage: Stage | str) -> tuple[float | None, str | None]:
        s = Stage(stage).value
        return getattr(self, f"{s}_limit"), getattr(self, f"{s}_unit")


class Component(Base):
    """部件: a public facility with a 16-digit id (6 admin + 2 major + 2 minor + 6 sequence)."""

    __tablename__ = "component"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    name: Mapped[str] = mapped_column(String(128), default="")
    owner: Mapped[str] = mapped_column(String(128), default="")
    maintainer: Mapped[str] = mapped_column(String(128), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    state: Mapped[str] = mapped_column(_enum(ComponentState), default=ComponentState.INTACT.value)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("unit_grid.id"), index=True)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)


# --------------------------------------------------------------------------- cases


class Case(Base):
    """案件. ``version`` guards every write: a stale edit fails instead of overwriting."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    source: Mapped[str] = mapped_column(_enum(CaseSource))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    component_id: Mapped[int | None] = mapped_column(ForeignKey("component.id"))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str] = mapped_column(String(255), default="")
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("unit_grid.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    reporter_name: Mapped[str] = mapped_column(String(64), default="")
    reporter_phone: Mapped[str] = mapped_column(String(32), default="")
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    state: Mapped[str] = mapped_column(_enum(CaseState), index=True)
    command_level: Mapped[str | None] = mapped_column(_enum(CommandLevel))
    current_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    # Who is asked to verify / re-check on site (核实 / 核查 task).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    # When each stage happened (the last time, for stages a rework repeats).
    reported_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    filed_at: Mapped[datetime | None] = mapped_column(DateTime)
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    voided_at: Mapped[datetime | None] = mapped_column(DateTime)

    # Deadline of each stage, fixed when the stage starts from the limits in force then.
    file_deadline: Mapped[datetime | None] = mapped_column(DateTime)
    dispatch_deadline: Mapped[datetime | None] = mapped_column(DateTime)
    handle_deadline: Mapped[datetime | None] = mapped_column(DateTime)
    check_deadline: Mapped[datetime | None] = mapped_column(DateTime)
    close_deadline: Mapped[datetime | None] = mapped_column(DateTime)

    # The running stage's clock: what the traffic light is computed from.
    stage: Mapped[str | None] = mapped_column(String(16))
    stage_started_at: Mapped[datetime | None] = mapped_column(DateTime)
    stage_limit_minutes: Mapped[float | None] = mapped_column(Float)  # in the unit's kind of minutes
    stage_unit: Mapped[str | None] = mapped_column(String(16))
    extension_minutes: Mapped[float] = mapped_column(Float, default=0.0)  # approved 延期
    parked_minutes: Mapped[float] = mapped_column(Float, default=0.0)  # 挂账 time, not counted
    parked_at: Mapped[datetime | None] = mapped_column(DateTime)
    warn_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)  # light turns yellow
    due_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)  # light turns red

    urged: Mapped[bool] = mapped_column(Boolean, default=False)  # 督办 waiting for a reply
    urge_count: Mapped[int] = mapped_column(Integer, default=0)
    dispatch_count: Mapped[int] = mapped_column(Integer, default=0)
    return_count: Mapped[int] = mapped_column(Integer, default=0)
    rework_count: Mapped[int] = mapped_column(Integer, default=0)
    extension_count: Mapped[int] = mapped_column(Integer, default=0)
    park_count: Mapped[int] = mapped_column(Integer, default=0)
    # The open approval request, if any (no FK: case_request already points at cases).
    pending_request_id: Mapped[int | None] = mapped_column(BigInteger)

    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    __mapper_args__ = {"version_id_col": version}

    category: Mapped[Category | None] = relationship()
    grid: Mapped[UnitGrid | None] = relationship()
    current_department: Mapped[Department | None] = relationship(foreign_keys=[current_department_id])

    # (state, due_at) finds the overdue cases; grid_id in the index lets "overdue now per region"
    # be counted from the index alone (no visit to the case rows)
    __table_args__ = (Index("ix_cases_state_due_grid", "state", "due_at", "grid_id"), _max_chars("description", "cases"))


class CaseRequest(Base):
    """A request that waits for an approver: 回退, 延期, 挂账, 作废."""

    __tablename__ = "case_request"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(_enum(RequestKind))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[float | None] = mapped_column(Float)  # for an extension, working hours asked
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved: Mapped[bool | None] = mapped_column(Boolean)
    decision_note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (_max_chars("reason", "case_request"), _max_chars("decision_note", "case_request"))


class CaseEvent(Base):
    """The append-only history of a case (database triggers refuse UPDATE and DELETE)."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    position: Mapped[str | None] = mapped_column(String(24))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (_max_chars("note", "case_event"),)


class Attachment(Base):
    """A photo kept in the shared database, so every workstation sees it."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_event.id"))
    filename: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class CaseSubmission(Base):
    """A desk's submission (report or action) by its client-generated id: a retry after a lost
    reply finds the first result here instead of writing again. Written in the same
    transaction as the event it produced."""

    __tablename__ = "case_submission"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a UUID made by the client
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("case_event.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(DateTime)
    case_version: Mapped[int] = mapped_column(Integer)  # the case's version right after it


class ChangeLog(Base):
    """What changed, in commit order; every client follows it (the notification is only a wake-up)."""

    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(Integer)


# --------------------------------------------------------------------------- configuration


class CalendarOverride(Base):
    """Admin-editable day overrides: this year's 调休 notice, local closures."""

    __tablename__ = "calendar_override"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(128), default="")


class Setting(Base):
    """Center-wide settings as JSON values (working hours, evaluation weights, base map)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict | list | str | float | None] = mapped_column(JSON)


class Counter(Base):
    """Named counters (daily case numbers) incremented under a row lock."""

    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class ConfigChange(Base):
    """Who changed which configuration value, when, from what to what."""

    __tablename__ = "config_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)

