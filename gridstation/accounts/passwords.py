"""Password hashing: scrypt from the standard library, salted, with parameters in the hash.

Format ``scrypt$n$r$p$salt_b64$hash_b64``, so the cost can be raised later and old hashes
still verify.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

N, R, P, DKLEN = 2**14, 8, 1, 32


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    if not password:
        raise ValueError("empty password")
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=DKLEN)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${n}${r}${p}${b64(salt)}${b64(digest)}"


_DUMMY: str | None = None


def dummy_hash() -> str:
    """A hash of a random password with the current parameters, made once per process:
    checking a password against it costs what checking a real account costs."""
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = hash_password(base64.b64encode(os.urandom(18)).decode("ascii"))
    return _DUMMY


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)
