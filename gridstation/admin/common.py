"""The transaction around every administration command, and the audit trail it writes.

``admin_tx(engine, actor)`` opens one writing transaction, re-reads the acting user inside it
(an account disabled or demoted a second ago is refused), and hands the command a ``Tx``:

* ``tx.audit(entity, entity_id, field, old, new)`` adds a ``config_change`` row (nothing when
  the value did not change);
* ``tx.changed(entity, entity_id, action)`` queues a ``change_log`` row. They are written last,
  just before the commit, because on PostgreSQL ``record_change`` takes the change-feed lock,
  which is then held only for the commit.

Entities of the change feed (what an open client reacts to): ``region``, ``department``,
``user``, ``category``, ``calendar`` (overrides and working hours) and ``config`` (evaluation
weights, base map, default map view).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from gridstation.store.db import record_change, session_factory, writer
from gridstation.errors import Forbidden, GridStationError, InvalidInput, Unavailable
from gridstation.store.model import ConfigChange, Position, User

__all__ = ["AdminForbidden", "ConfigConflict", "Tx", "admin_tx", "read_session", "show", "text_field"]


class AdminForbidden(Forbidden):
    """Somebody who is not an active administrator tried to change the configuration."""

    kind = "forbidden"

    def __init__(self, reason: str = "only the administrator (系统管理员) may change the configuration") -> None:
        self.action, self.reason = "administer", reason
        Exception.__init__(self, f"not allowed: {reason}")


class ConfigConflict(GridStationError):
    """The configuration changed after the administrator loaded it; nothing was applied."""

    kind = "config_conflict"

    def __init__(self, what: str, detail: str = "") -> None:
        self.what, self.detail = what, detail
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"{what} was changed by somebody else after you loaded it{extra}; nothing was applied: "
            "reload and decide again"
        )


def show(value) -> str | None:
    """A value as the audit trail keeps it: readable text (None stays None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if math.isfinite(value) else str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, sort_keys=isinstance(value, dict))
    return str(value)


def code_label(obj) -> str | None:
    """How the audit trail names a region, department, user or category: "code name"."""
    return f"{obj.code} {obj.name}" if obj is not None else None


def text_field(value, name: str, *, required: bool = True, max_len: int = 128) -> str:
    """A trimmed text value, checked for presence and length."""
    v = ("" if value is None else str(value)).strip()
    if required and not v:
        raise InvalidInput(name, "required")
    if len(v) > max_len:
        raise InvalidInput(name, f"at most {max_len} characters")
    return v


@dataclass
class Tx:
    """One administration transaction: the session, who acts, when, and what to record."""

    s: Session
    user_id: int
    login: str
    now: datetime
    _feed: list[tuple[str, int | None, str]] = field(default_factory=list)

    def audit(self, entity: str, entity_id, field_name: str, old, new) -> bool:
        """A ``config_change`` row if the value changed; True when one was written."""
        o, n = show(old), show(new)
        if o == n:
            return False
        self.s.add(ConfigChange(at=self.now, user_id=self.user_id, entity=entity, entity_id=str(entity_id)[:64],
                                field=field_name[:64], old_value=o, new_value=n))
        return True

    def changed(self, entity: str, entity_id: int | None, action: str) -> None:
        key = (entity, entity_id, action)
        if key not in self._feed:
            self._feed.append(key)


def _load_admin(s: Session, actor) -> User:
    ident = getattr(actor, "id", actor)
    if isinstance(ident, int):
        u = s.get(User, ident)
    else:
        u = s.scalar(select(User).where(User.login == str(ident)))
    if u is None or not u.active:
        raise AdminForbidden("this account does not exist or is disabled")
    if u.position != Position.ADMIN.value:
        raise AdminForbidden()
    return u


def check_admin(engine: Engine, actor) -> int:
    """The administrator's user id, or ``AdminForbidden`` (for read-only admin views)."""
    with session_factory(engine)() as s:
        return _load_admin(s, actor).id


@contextmanager
def admin_tx(engine: Engine, actor, *, clock: Callable[[], datetime] = datetime.now) -> Iterator[Tx]:
    """One administration command: commit everything or nothing."""
    factory = session_factory(writer(engine))
    try:
        with factory() as s, s.begin():
            u = _load_admin(s, actor)
            tx = Tx(s=s, user_id=u.id, login=u.login, now=clock().replace(microsecond=0))
            yield tx
            s.flush()
            for entity, entity_id, action in tx._feed:
                record_change(s, entity, entity_id, action, tx.user_id, tx.now)
    except OperationalError as e:
        raise Unavailable(str(e.orig).strip().splitlines()[0] if e.orig else str(e)) from e
    except DBAPIError as e:
        if e.connection_invalidated:
            raise Unavailable(str(e.orig).strip().splitlines()[0]) from e
        raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as s:
        yield s
