"""Sign-in does not tell which logins exist: an unknown login is refused after the same scrypt
work as a wrong password (timings: benchmarks/bench_signin.py)."""

from __future__ import annotations

import pytest

from gridstation.accounts import passwords, users
from tests.minicity import build_mini_city


def test_unknown_login_costs_one_password_check(engine, monkeypatch):
    build_mini_city(engine)
    checked: list[str] = []
    real = users.verify_password

    def counting(password, stored):
        checked.append(stored)
        return real(password, stored)

    monkeypatch.setattr(users, "verify_password", counting)
    with pytest.raises(users.AuthError) as unknown:
        users.authenticate(engine, "nobody", "pw")
    with pytest.raises(users.AuthError) as wrong:
        users.authenticate(engine, "sup1", "wrong")
    assert str(unknown.value) == str(wrong.value)  # one message for both
    assert len(checked) == 2
    assert checked[0] == passwords.dummy_hash() and checked[0].startswith(f"scrypt${passwords.N}$")
    assert users.authenticate(engine, "sup1", "pw").login == "sup1"
    assert not passwords.verify_password("", passwords.dummy_hash())
