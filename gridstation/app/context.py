"""What every pane of a signed-in client shares: the database, the workflow, the user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gridstation.cases.workflow import Actor, Workflow


@dataclass
class AppContext:
    url: str
    engine: Engine
    workflow: Workflow
    actor: Actor
    clock: Callable[[], datetime] = datetime.now
    read_only: bool = False
    #: where read-only work (analytics, the wall, the weekly review) reads: a PostgreSQL hot
    #: standby given as ``--read-db`` (None: the primary)
    read_url: str | None = None
    read_engine: Engine | None = None
    _sessions: sessionmaker | None = field(default=None, repr=False)

    def session(self) -> Session:
        """A new read session (one per background job; never shared across threads)."""
        if self._sessions is None:
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        return self._sessions()

    def for_reading(self) -> AppContext:
        """The context read-only windows use: the standby when one is configured, else this one."""
        if self.read_engine is None:
            return self
        return AppContext(url=self.read_url or self.url, engine=self.read_engine, workflow=self.workflow,
                          actor=self.actor, clock=self.clock, read_only=True)

    @property
    def calendar(self):
        return self.workflow.calendar

    def now(self) -> datetime:
        return self.clock()
