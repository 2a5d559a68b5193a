"""User accounts as the administrator keeps them: position, scope region, department,
enabled or disabled, and a password reset that hands out a temporary password once.

Passwords: the new temporary password is returned to the caller only (the screen shows it
once); the database keeps its scrypt hash and the audit trail records that a reset happened,
never the password. Accounts are disabled, never deleted (cases and events name them).
An administrator cannot disable or demote themself, and the center always keeps one active
administrator.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from gridstation.errors import InvalidInput, NotFound
from gridstation.accounts.users import known_position
from gridstation.cases import rules
from gridstation.store.model import Department, Position, Region, User
from gridstation.accounts.passwords import hash_password
from gridstation.admin.common import AdminForbidden, admin_tx, code_label, text_field

ENTITY = "user"
FIELDS = ("name", "position", "region_id", "department_id", "phone", "active")
# No 0/O, 1/l/I: the password is read off a screen and typed in by somebody else.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
TEMP_LENGTH = 10


@dataclass(frozen=True)
class UserInfo:
    id: int
    login: str
    name: str
    position: str
    region_id: int | None
    region: str
    department_id: int | None
    department: str
    phone: str
    active: bool

    def values(self) -> dict:
        return {"name": self.name, "position": self.position, "region_id": self.region_id,
                "department_id": self.department_id, "phone": self.phone, "active": self.active}


def temporary_password(length: int = TEMP_LENGTH) -> str:
    """A random password of unambiguous letters and digits (at least one of each)."""
    while True:
        pw = "".join(secrets.choice(ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw):
            return pw


def list_users(s: Session) -> list[UserInfo]:
    rows = s.execute(
        select(User, Region.code, Region.name, Department.code, Department.name)
        .outerjoin(Region, Region.id == User.region_id)
        .outerjoin(Department, Department.id == User.department_id)
        .order_by(User.login)
    ).all()
    return [
        UserInfo(u.id, u.login, u.name, u.position, u.region_id, f"{rc} {rn}" if rc else "", u.department_id,
                 f"{dc} {dn}" if dc else "", u.phone or "", bool(u.active))
        for u, rc, rn, dc, dn in rows
    ]


def _check(values: dict) -> dict:
    out = {}
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise InvalidInput(min(unknown), "not an editable field of a user")
    if "name" in values:
        out["name"] = text_field(values["name"], "name", max_len=64)
    if "position" in values:
        # checked against the positions of the rules in force, inside the transaction
        out["position"] = text_field(getattr(values["position"], "value", values["position"]), "position", max_len=24)
    for k in ("region_id", "department_id"):
        if k in values:
            out[k] = int(values[k]) if values[k] not in (None, "") else None
    if "phone" in values:
        out["phone"] = text_field(values["phone"], "phone", required=False, max_len=32)
    if "active" in values:
        out["active"] = bool(values["active"])
    return out


def _active_admins(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(User).where(User.position == Position.ADMIN.value,
                                                                   User.active.is_(True))) or 0


def _apply(tx, u: User, values: dict) -> list[str]:
    s = tx.s
    changed = []
    rs = rules.load(s) or rules.default_ruleset()
    if "position" in values:
        known_position(rs, values["position"])
    demoting = "position" in values and values["position"] != u.position and u.position == Position.ADMIN.value
    disabling = "active" in values and not values["active"] and u.active
    if (demoting or disabling) and u.id == tx.user_id:
        raise AdminForbidden("you cannot disable or demote your own account")
    if (demoting or disabling) and u.position == Position.ADMIN.value and _active_admins(s) <= 1:
        raise InvalidInput("position", "the center must keep one active administrator")
    for k in ("name", "position", "phone"):
        if k in values and values[k] != (getattr(u, k) or ("" if k == "phone" else None)):
            tx.audit(ENTITY, u.login, k, getattr(u, k), values[k])
            setattr(u, k, values[k])
            changed.append(k)
    if "region_id" in values and values["region_id"] != u.region_id:
        r = s.get(Region, values["region_id"]) if values["region_id"] else None
        if values["region_id"] and r is None:
            raise NotFound("region", values["region_id"])
        if r is not None and not r.active:
            raise InvalidInput("region", f"{r.name} is disabled")
        tx.audit(ENTITY, u.login, "region", code_label(s.get(Region, u.region_id)) if u.region_id else None, code_label(r))
        u.region_id = values["region_id"]
        changed.append("region_id")
    if "department_id" in values and values["department_id"] != u.department_id:
        d = s.get(Department, values["department_id"]) if values["department_id"] else None
        if values["department_id"] and d is None:
            raise NotFound("department", values["department_id"])
        if d is not None and not d.active:
            raise InvalidInput("department", f"{d.name} is disabled")
        tx.audit(ENTITY, u.login, "department",
                 code_label(s.get(Department, u.department_id)) if u.department_id else None, code_label(d))
        u.department_id = values["department_id"]
        changed.append("department_id")
    if "active" in values and values["active"] != bool(u.active):
        tx.audit(ENTITY, u.login, "active", bool(u.active), values["active"])
        u.active = values["active"]
        changed.append("active")
    if rs.role_of(u.position) == Position.DEPT_HANDLER.value and u.department_id is None:
        raise InvalidInput("department", "a department handler needs a department")
    return changed


def add_user(
    engine: Engine, actor, *, login: str, name: str, position: str, region_id: int | None = None,
    department_id: int | None = None, phone: str = "",
) -> tuple[int, str]:
    """A new account with a temporary password: returns (user id, the password, shown once)."""
    login = text_field(login, "login", max_len=64)
    if any(c.isspace() for c in login):
        raise InvalidInput("login", "no spaces")
    values = _check({"name": name or login, "position": position, "region_id": region_id,
                     "department_id": department_id, "phone": phone})
    password = temporary_password()
    digest = hash_password(password)
    with admin_tx(engine, actor) as tx:
        s = tx.s
        if s.scalar(select(User.id).where(User.login == login)) is not None:
            raise InvalidInput("login", f"{login} exists already")
        known_position(rules.load(s) or rules.default_ruleset(), values["position"])
        u = User(login=login, name=values["name"], position=values["position"], password_hash=digest, active=True, phone="")
        s.add(u)
        s.flush()
        tx.audit(ENTITY, login, "created", None, values["position"])
        _apply(tx, u, {k: v for k, v in values.items() if k not in ("name", "position")})
        tx.audit(ENTITY, login, "password", None, "*** (temporary)")
        tx.changed(ENTITY, u.id, "add")
        return u.id, password


def update_user(engine: Engine, actor, user_id: int, values: dict) -> list[str]:
    checked = _check(values)
    with admin_tx(engine, actor) as tx:
        u = tx.s.get(User, user_id)
        if u is None:
            raise NotFound("user", user_id)
        changed = _apply(tx, u, checked)
        if changed:
            tx.changed(ENTITY, u.id, "edit")
        return changed


def set_active(engine: Engine, actor, user_id: int, active: bool) -> list[str]:
    """Enable or disable an account (a disabled account cannot sign in or act)."""
    return update_user(engine, actor, user_id, {"active": active})


def reset_password(engine: Engine, actor, user_id: int) -> str:
    """A new temporary password for the account, returned once; the old one stops working."""
    password = temporary_password()
    digest = hash_password(password)
    with admin_tx(engine, actor) as tx:
        u = tx.s.get(User, user_id)
        if u is None:
            raise NotFound("user", user_id)
        u.password_hash = digest
        tx.audit(ENTITY, u.login, "password", "***", "*** (reset)")
        tx.changed(ENTITY, u.id, "passwd")
        return password
