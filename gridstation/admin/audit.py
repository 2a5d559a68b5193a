"""The audit trail of configuration changes (变更记录): who changed which value, when, from
what to what, filtered by entity, user and date. Only an administrator reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, or_, select

from gridstation.store.model import ConfigChange, User
from gridstation.admin.common import check_admin, read_session

MAX_ROWS = 5000


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user_id: int | None
    login: str
    user_name: str
    entity: str
    entity_id: str
    field: str
    old: str | None
    new: str | None


def query(
    engine: Engine,
    actor,
    *,
    entity: str | None = None,
    user_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    text: str = "",
    limit: int = MAX_ROWS,
) -> list[AuditRow]:
    """Changes newest first; ``since`` and ``until`` are days, both included."""
    check_admin(engine, actor)
    q = (select(ConfigChange, User.login, User.name).outerjoin(User, User.id == ConfigChange.user_id)
         .order_by(ConfigChange.at.desc(), ConfigChange.id.desc()).limit(max(1, min(limit, MAX_ROWS))))
    if entity:
        q = q.where(ConfigChange.entity == entity)
    if user_id is not None:
        q = q.where(ConfigChange.user_id == user_id)
    if since is not None:
        q = q.where(ConfigChange.at >= datetime.combine(since, datetime.min.time()))
    if until is not None:
        q = q.where(ConfigChange.at < datetime.combine(until + timedelta(days=1), datetime.min.time()))
    if text.strip():
        like = f"%{text.strip()}%"
        q = q.where(or_(ConfigChange.entity_id.like(like), ConfigChange.field.like(like),
                        ConfigChange.old_value.like(like), ConfigChange.new_value.like(like)))
    with read_session(engine) as s:
        return [AuditRow(c.id, c.at, c.user_id, login or "", name or "", c.entity, c.entity_id, c.field,
                         c.old_value, c.new_value) for c, login, name in s.execute(q)]


def entities(engine: Engine) -> list[str]:
    with read_session(engine) as s:
        return sorted(s.scalars(select(ConfigChange.entity).distinct()))


def authors(engine: Engine) -> list[tuple[int, str, str]]:
    """Users who changed something: (id, login, name)."""
    with read_session(engine) as s:
        ids = select(ConfigChange.user_id).where(ConfigChange.user_id.is_not(None)).distinct()
        return [(u.id, u.login, u.name) for u in s.scalars(select(User).where(User.id.in_(ids)).order_by(User.login))]
