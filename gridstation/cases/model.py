"""The workflow's rules as rows: positions, actions, who may act in which state, approvals.

One source of truth for the client (``gridstation.cases.rules`` loads it, the workflow enforces
it) and for database-side enforcement, which reads the same rows in SQL, e.g. "may position P
take action A on a case in state S, and within which scope":

    SELECT scope FROM wf_rule WHERE action = :a AND position = :p AND state = :s

States and what each action does to a case are code (``gridstation.cases.workflow``); which
position may take it, from which states, within which scope, who approves which request and
who may report from which source are data, so a center's shape needs no code change.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gridstation.store.model import Base


class WorkflowProfile(Base):
    """The rules in force as a whole: which profile they came from and a revision that every
    change bumps (a workflow compares it to its cached copy before each action)."""

    __tablename__ = "wf_profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    name: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(128), default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # 核查后结案: a dispatched case may only be closed after a supervisor re-checked it on site.
    require_recheck: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)


class WorkflowPosition(Base):
    """岗位: a position users hold (``app_user.position`` is its key)."""

    __tablename__ = "wf_position"

    key: Mapped[str] = mapped_column(String(24), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))  # Chinese, as users call it
    name_en: Mapped[str] = mapped_column(String(64), default="")
    # The built-in kind it behaves like where code needs one (queues, evaluation): a
    # ``gridstation.store.model.Position`` value.
    role: Mapped[str] = mapped_column(String(24))
    # Which center it belongs to: supervision, command, department, leadership, system.
    center: Mapped[str] = mapped_column(String(24), default="")
    # For the "command" scope: the command level whose cases it dispatches (district, street).
    command_level: Mapped[str | None] = mapped_column(String(24))
    # The region level (region_level.key) its users usually sit at; a hint for setup.
    level: Mapped[str | None] = mapped_column(String(32))
    # 自处理: may report a problem as already fixed on the spot (reviewed later).
    self_handle: Mapped[bool] = mapped_column(Boolean, default=False)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class WorkflowAction(Base):
    """An action of the closed loop (what it does is code; its name and blocking are data)."""

    __tablename__ = "wf_action"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64), default="")
    # One approval at a time: while a request waits, this action waits too.
    blocked_by_request: Mapped[bool] = mapped_column(Boolean, default=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class WorkflowRule(Base):
    """Position P may take action A on a case in state S within a scope (region, command,
    department, none). One row per state, so a SQL check is a single indexed lookup."""

    __tablename__ = "wf_rule"
    __table_args__ = (UniqueConstraint("action", "position", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(ForeignKey("wf_action.key"))
    position: Mapped[str] = mapped_column(ForeignKey("wf_position.key"))
    state: Mapped[str] = mapped_column(String(24))
    scope: Mapped[str] = mapped_column(String(16))


class WorkflowApprover(Base):
    """Who decides a request of a kind (回退, 延期, 挂账, 作废), within which scope."""

    __tablename__ = "wf_approver"

    request_kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    position: Mapped[str] = mapped_column(ForeignKey("wf_position.key"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))


class WorkflowReportSource(Base):
    """Which position takes reports from which source (监督员上报, 热线, 公众举报, 视频监控)."""

    __tablename__ = "wf_report_source"

    position: Mapped[str] = mapped_column(ForeignKey("wf_position.key"), primary_key=True)
    source: Mapped[str] = mapped_column(String(24), primary_key=True)
