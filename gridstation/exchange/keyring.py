"""Checking API keys in the service: who a key speaks for, and its rate limit."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from gridstation.accounts.apikeys import hash_key
from gridstation.store.exchange_model import ApiKey
from gridstation.store.model import User


@dataclass(frozen=True)
class KeyIdentity:
    """Who a valid key speaks for: the key and the user whose reports it makes."""

    key_id: int
    name: str
    kind: str
    user_id: int  # the supervisor (handheld) or the exchange's service account (application)
    rate_per_minute: int


class KeyRing:
    """Checks keys for the service: a small cache in front of the table (a revoked key stops
    working within ``ttl`` seconds in every worker) and a per-key rate limit.

    The rate limit is a token bucket per key and per worker process: with N workers a key
    gets at most N × its rate (documented in docs/open311.md)."""

    def __init__(self, engine: Engine, *, ttl: float = 5.0, clock=time.monotonic) -> None:
        self.engine = engine
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[str, tuple[float, KeyIdentity | None]] = {}
        self._buckets: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def identify(self, secret: str | None) -> KeyIdentity | None:
        """The identity of a valid, unrevoked key whose user is active; None otherwise."""
        if not secret or len(secret) > 200:
            return None
        h = hash_key(secret)
        now = self.clock()
        with self._lock:
            hit = self._cache.get(h)
            if hit is not None and now - hit[0] < self.ttl:
                return hit[1]
        ident = self._load(h)
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[h] = (now, ident)
        return ident

    def _load(self, h: str) -> KeyIdentity | None:
        with sessionmaker(self.engine)() as s:
            row = s.execute(select(ApiKey, User.active).join(User, User.id == ApiKey.user_id)
                            .where(ApiKey.key_hash == h)).first()
            if row is None:
                return None
            k, user_active = row
            if k.revoked_at is not None or not user_active:
                return None
            return KeyIdentity(k.id, k.name, k.kind, k.user_id, k.rate_per_minute)

    def allow(self, ident: KeyIdentity) -> bool:
        """Take one token from the key's bucket (capacity: one minute's worth)."""
        now = self.clock()
        rate = ident.rate_per_minute / 60.0
        cap = float(ident.rate_per_minute)
        with self._lock:
            tokens, last = self._buckets.get(ident.key_id, (cap, now))
            tokens = min(cap, tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[ident.key_id] = (tokens, now)
                return False
            self._buckets[ident.key_id] = (tokens - 1.0, now)
            return True
