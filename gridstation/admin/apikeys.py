"""API keys of the data exchange (数据交换), made and revoked by the administrator.

The secret is shown once, when made; the database keeps its hash (``gridstation.accounts.apikeys``).

Two kinds:

* **application** (应用): an app, a mini-program or a partner system. Its reports enter as
  public reports (公众举报) taken by the exchange's own service account (``open311``, an
  intake operator that cannot sign in), so they are verified on site like any citizen report.
* **handheld** (城管通): one supervisor's key. Its reports are that supervisor's own reports
  (source supervisor, filed directly), subject to the supervisor's area like in the client.

Making and revoking a key writes ``config_change`` rows (the administration audit) and a
``change_log`` row (entity ``api_key``) so an open administration window refreshes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gridstation.accounts.apikeys import KINDS, PREFIX_LEN, hash_key, new_secret, service_account
from gridstation.admin.common import admin_tx, check_admin, read_session, text_field
from gridstation.errors import InvalidInput, NotFound
from gridstation.store.exchange_model import ApiKey
from gridstation.store.model import Position, User

DEFAULT_RATE = 600  # requests per minute per key


@dataclass(frozen=True)
class KeyRow:
    id: int
    name: str
    kind: str
    prefix: str
    user_login: str
    user_name: str
    rate_per_minute: int
    note: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def add_key(engine: Engine, actor, *, name: str, kind: str = "application", user_login: str | None = None,
            rate_per_minute: int = DEFAULT_RATE, note: str = "") -> tuple[int, str]:
    """Make a key; returns (id, secret). The secret is not stored and cannot be shown again."""
    name = text_field(name, "name", max_len=64)
    if kind not in KINDS:
        raise InvalidInput("kind", f"one of {', '.join(KINDS)}")
    if not 1 <= int(rate_per_minute) <= 100_000:
        raise InvalidInput("rate", "between 1 and 100000 requests a minute")
    note = text_field(note, "note", required=False, max_len=255)
    secret = new_secret()
    with admin_tx(engine, actor) as tx:
        if tx.s.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
            raise InvalidInput("name", f"a key named {name!r} exists already")
        if kind == "handheld":
            if not user_login:
                raise InvalidInput("user", "a handheld key belongs to a supervisor: give the login")
            u = tx.s.scalar(select(User).where(User.login == user_login))
            if u is None:
                raise NotFound("user", user_login)
            if u.position != Position.SUPERVISOR.value or not u.active:
                raise InvalidInput("user", f"{user_login} is not an active supervisor")
            user_id = u.id
        else:
            if user_login:
                raise InvalidInput("user", "an application key reports as the exchange service, not as a user")
            user_id = service_account(tx.s).id
        k = ApiKey(name=name, kind=kind, user_id=user_id, prefix=secret[:PREFIX_LEN], key_hash=hash_key(secret),
                   rate_per_minute=int(rate_per_minute), note=note, created_at=tx.now, created_by_id=tx.user_id)
        tx.s.add(k)
        tx.s.flush()
        label = f"{name} ({kind}{', ' + user_login if user_login else ''})"
        tx.audit("api_key", k.id, "created", None, f"{label} {k.prefix}… {rate_per_minute}/min")
        tx.changed("api_key", k.id, "add")
        return k.id, secret


def revoke_key(engine: Engine, actor, name_or_id: str | int) -> None:
    with admin_tx(engine, actor) as tx:
        k = _find(tx.s, name_or_id)
        if k.revoked_at is not None:
            return
        k.revoked_at = tx.now
        k.revoked_by_id = tx.user_id
        tx.audit("api_key", k.id, "revoked", None, f"{k.name} {k.prefix}…")
        tx.changed("api_key", k.id, "revoke")


def _find(s: Session, name_or_id: str | int) -> ApiKey:
    k = None
    if isinstance(name_or_id, int) or str(name_or_id).isdigit():
        k = s.get(ApiKey, int(name_or_id))
    if k is None:
        k = s.scalar(select(ApiKey).where(ApiKey.name == str(name_or_id)))
    if k is None:
        raise NotFound("api key", name_or_id)
    return k


def list_keys(engine: Engine, actor) -> list[KeyRow]:
    check_admin(engine, actor)
    with read_session(engine) as s:
        q = select(ApiKey, User.login, User.name).outerjoin(User, User.id == ApiKey.user_id).order_by(ApiKey.id)
        return [KeyRow(k.id, k.name, k.kind, k.prefix, login or "", uname or "", k.rate_per_minute, k.note,
                       k.created_at, k.revoked_at) for k, login, uname in s.execute(q)]
