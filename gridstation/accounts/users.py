"""User accounts: sign-in, adding users, changing passwords. Passwords are kept only as
salted scrypt hashes (gridstation.accounts.passwords)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gridstation.store.db import record_change, session_factory, session_scope, writer
from gridstation.errors import Forbidden, InvalidInput, NotFound
from gridstation.store.model import ConfigChange, Department, Position, Region, User
from gridstation.accounts.passwords import dummy_hash, hash_password, verify_password
from gridstation.cases import rules
from gridstation.cases.workflow import Actor

MIN_PASSWORD = 6


@dataclass(frozen=True)
class UserRow:
    id: int
    login: str
    name: str
    position: str
    region: str
    department: str
    active: bool


class AuthError(Forbidden):
    kind = "auth"

    def __init__(self) -> None:
        super().__init__("sign in", "unknown user or wrong password")


def authenticate(engine: Engine, login: str, password: str) -> Actor:
    """The actor for a login and password; one error for both unknown user and bad password,
    so the dialog never tells an attacker which logins exist."""
    with session_factory(engine)() as s:
        u = s.scalar(select(User).where(User.login == login.strip()))
        # An unknown login costs one scrypt too (against a dummy hash): the time of a refusal
        # does not tell which logins exist.
        ok = verify_password(password, u.password_hash if u is not None else dummy_hash())
        if u is None or not ok:
            raise AuthError()
        if not u.active:
            raise Forbidden("sign in", "this account is disabled; ask the administrator")
        path = s.scalar(select(Region.path).where(Region.id == u.region_id)) if u.region_id else None
        rs = rules.load(s) or rules.default_ruleset()
        return Actor(u.id, u.login, u.name, rules.as_position(u.position), u.region_id, path, u.department_id,
                     rs.role_of(u.position), rs.command_level_of(u.position))


def known_position(rs: rules.RuleSet, position) -> str:
    """The key of a position of the rules in force, or InvalidInput naming the choices."""
    key = str(getattr(position, "value", position) or "").strip()
    if key not in rs.positions:
        raise InvalidInput("position", f"one of {', '.join(rs.positions)}")
    return key


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise InvalidInput("password", f"at least {MIN_PASSWORD} characters")


def add_user(
    engine: Engine,
    *,
    login: str,
    name: str,
    position: str,
    password: str,
    region_code: str | None = None,
    department_code: str | None = None,
    by_user_id: int | None = None,
) -> int:
    login = (login or "").strip()
    if not login or len(login) > 64:
        raise InvalidInput("login", "1 to 64 characters")
    _check_password(password)
    now = datetime.now()
    with session_scope(session_factory(writer(engine))) as s:
        rs = rules.load(s) or rules.default_ruleset()
        pos = rules.as_position(known_position(rs, position))
        if s.scalar(select(User.id).where(User.login == login)) is not None:
            raise InvalidInput("login", f"{login} exists already")
        region_id = _lookup(s, Region, region_code, "region")
        dept_id = _lookup(s, Department, department_code, "department")
        if rs.role_of(pos.value) == Position.DEPT_HANDLER.value and dept_id is None:
            raise InvalidInput("department", "a department handler needs a department")
        u = User(
            login=login, name=name or login, position=pos.value, password_hash=hash_password(password),
            region_id=region_id, department_id=dept_id, active=True,
        )
        s.add(u)
        s.flush()
        s.add(ConfigChange(at=now, user_id=by_user_id, entity="user", entity_id=login, field="created",
                           old_value=None, new_value=pos.value))
        record_change(s, "user", u.id, "add", by_user_id, now)
        return u.id


def _lookup(s: Session, model, code: str | None, what: str) -> int | None:
    if not code:
        return None
    ident = s.scalar(select(model.id).where(model.code == code))
    if ident is None:
        raise NotFound(what, code)
    return ident


def set_password(engine: Engine, login: str, password: str, *, by_user_id: int | None = None) -> None:
    _check_password(password)
    now = datetime.now()
    with session_scope(session_factory(writer(engine))) as s:
        u = s.scalar(select(User).where(User.login == login))
        if u is None:
            raise NotFound("user", login)
        u.password_hash = hash_password(password)
        # The hash itself is never copied into the audit trail.
        s.add(ConfigChange(at=now, user_id=by_user_id, entity="user", entity_id=login, field="password",
                           old_value="***", new_value="***"))
        record_change(s, "user", u.id, "passwd", by_user_id, now)


def list_users(engine: Engine) -> list[UserRow]:
    with session_factory(engine)() as s:
        rows = s.execute(
            select(User, Region.name, Department.name)
            .outerjoin(Region, Region.id == User.region_id)
            .outerjoin(Department, Department.id == User.department_id)
            .order_by(User.position, User.login)
        ).all()
        return [
            UserRow(u.id, u.login, u.name, u.position, rname or "", dname or "", u.active)
            for u, rname, dname in rows
        ]
