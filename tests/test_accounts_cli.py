"""Accounts, passwords and the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from gridstation.accounts.users import AuthError, add_user, authenticate, list_users, set_password
from gridstation.cli import main
from gridstation.store.db import session_factory
from gridstation.errors import Forbidden, InvalidInput, NotFound
from gridstation.store.model import ChangeLog, ConfigChange, User
from gridstation.accounts.passwords import hash_password, verify_password
from tests.minicity import build_mini_city


def test_password_hash_is_salted_and_verifies():
    a, b = hash_password("s3cret-pw"), hash_password("s3cret-pw")
    assert a != b and a.startswith("scrypt$16384$8$1$")
    assert verify_password("s3cret-pw", a) and verify_password("s3cret-pw", b)
    assert not verify_password("s3cret-pX", a)
    assert not verify_password("s3cret-pw", "plain-text")
    assert "s3cret" not in a


def test_sign_in_and_user_admin(engine):
    build_mini_city(engine)
    uid = add_user(engine, login="li", name="李四", position="dispatcher", password="abcdef", region_code="410105001")
    actor = authenticate(engine, "li", "abcdef")
    assert actor.id == uid and actor.position.value == "dispatcher" and actor.region_path.count("/") == 4
    with pytest.raises(AuthError) as wrong:
        authenticate(engine, "li", "abcdeX")
    with pytest.raises(AuthError) as unknown:
        authenticate(engine, "nobody", "abcdef")
    assert str(wrong.value) == str(unknown.value)  # no hint which logins exist
    with pytest.raises(Forbidden):
        authenticate(engine, "off", "pw")  # disabled
    set_password(engine, "li", "newpass1")
    assert authenticate(engine, "li", "newpass1").id == uid
    with session_factory(engine)() as s:
        audit = s.scalars(select(ConfigChange).where(ConfigChange.entity_id == "li")).all()
        assert [a.field for a in audit] == ["created", "password"]
        assert all("scrypt" not in (a.new_value or "") for a in audit)
        hashes = s.scalar(select(User.password_hash).where(User.login == "li"))
        assert "newpass1" not in hashes


@pytest.mark.parametrize(
    "kw, field",
    [
        (dict(login="", position="dispatcher", password="abcdef"), "login"),
        (dict(login="x", position="janitor", password="abcdef"), "position"),
        (dict(login="x", position="dispatcher", password="123"), "password"),
        (dict(login="disp", position="dispatcher", password="abcdef"), "login"),
        (dict(login="x", position="dept_handler", password="abcdef"), "department"),
    ],
)
def test_bad_user_input_changes_nothing(engine, kw, field):
    build_mini_city(engine)
    with session_factory(engine)() as s:
        before = (s.scalar(select(func.count()).select_from(User)), s.scalar(select(func.count()).select_from(ChangeLog)))
    with pytest.raises(InvalidInput) as e:
        add_user(engine, name="n", **kw)
    assert e.value.field == field
    with session_factory(engine)() as s:
        after = (s.scalar(select(func.count()).select_from(User)), s.scalar(select(func.count()).select_from(ChangeLog)))
    assert before == after


def test_unknown_region_is_not_found(engine):
    build_mini_city(engine)
    with pytest.raises(NotFound):
        add_user(engine, login="x", name="x", position="supervisor", password="abcdef", region_code="999")


def test_cli_users_and_db(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    from alembic.script import ScriptDirectory

    from gridstation.store.db import alembic_config

    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert main(["--db", url, "db", "upgrade"]) == 0
    assert f"revision {head}" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("pass1234\n"))
    assert main(["--db", url, "users", "add", "wang", "--name", "王五", "--position", "admin", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("pass1234\n"))
    assert main(["--db", url, "users", "add", "wang", "--position", "admin", "--password-stdin"]) == 2
    err = capsys.readouterr().err
    assert "wang exists already" in err
    assert main(["--db", url, "users", "list"]) == 0
    assert "王五" in capsys.readouterr().out
    monkeypatch.setenv("GRIDSTATION_DB", url)
    assert main(["db", "current"]) == 0
    assert capsys.readouterr().out.strip() == head


def test_cli_unreachable_database_is_a_clear_error(capsys):
    assert main(["--db", "postgresql://nobody@127.0.0.1:1/none", "users", "list"]) == 2
    err = capsys.readouterr().err
    assert "cannot use the database" in err and "Traceback" not in err


def test_opening_the_client_passes_the_database_and_the_standby(monkeypatch, tmp_path):
    """`gridstation [--db URL] [--read-db URL]` with no command opens the client (its fast parser)."""
    import gridstation.app.main as app_main
    from gridstation.cli import main

    seen = []
    monkeypatch.setattr(app_main, "run_client", lambda url, read_url=None: seen.append((url, read_url)) or 0)
    monkeypatch.delenv("GRIDSTATION_READ_DB", raising=False)
    url = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["--db", url, "--read-db", "postgresql://standby/gs"]) == 0
    monkeypatch.setenv("GRIDSTATION_READ_DB", "postgresql://env-standby/gs")
    assert main(["--db", url]) == 0
    assert seen == [(url, "postgresql://standby/gs"), (url, "postgresql://env-standby/gs")]
