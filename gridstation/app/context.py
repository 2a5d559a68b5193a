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
    _sessions: sessionmaker | None = field(default=None, repr=False)

    def session(self) -> Session:
        """A new read session (one per background job; never shared across threads)."""
        if self._sessions is None:
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        return self._sessions()

    @property
    def calendar(self):
        return self.workflow.calendar

    def now(self) -> datetime:
        return self.clock()
