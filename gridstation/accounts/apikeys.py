"""API keys of the data exchange and the account application keys report through.

A key is ``gs_`` + 43 URL-safe characters (32 random bytes). The database keeps only its
SHA-256 (``api_key.key_hash``; a fast hash is enough for 256 random bits and costs microseconds
per request) and its first characters, shown in lists. Administration of keys is
``gridstation.admin.apikeys``; checking them in the service is ``gridstation.exchange.keyring``.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridstation.store.model import Position, User

KINDS = ("application", "handheld")
SERVICE_LOGIN = "open311"  # the account that takes reports made with application keys
SERVICE_NAME = "数据交换服务"
PREFIX_LEN = 10


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return "gs_" + secrets.token_urlsafe(32)


def service_account(s: Session) -> User:
    """The intake-operator account that application keys and the 12345 bridge report through
    (made on first use; its password hash matches no password, so nobody signs in with it)."""
    u = s.scalar(select(User).where(User.login == SERVICE_LOGIN))
    if u is None:
        u = User(login=SERVICE_LOGIN, name=SERVICE_NAME, position=Position.INTAKE_OPERATOR.value,
                 password_hash="!disabled", active=True)
        s.add(u)
        s.flush()
    return u
