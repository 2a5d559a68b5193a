"""Database passwords never go into QSettings (on Windows that is the registry, HKCU, in plain
text). A saved database profile keeps its URL without the password; the password goes to the
platform's credential store through ``keyring`` (Windows Credential Manager, the macOS keychain,
the Secret Service on a Linux desktop). Where no store is usable (a server without a desktop
session) the password is not saved at all: the user types it again, or keeps it where libpq
looks for it (``%APPDATA%\\postgresql\\pgpass.conf`` on Windows, ``~/.pgpass`` elsewhere).
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

SERVICE = "GridStation"


def split_password(url: str) -> tuple[str, str | None]:
    """``(the URL without its password, the password or None)``; what is not a URL at all is
    returned as it is."""
    from sqlalchemy.exc import ArgumentError

    try:
        u = make_url(url)
    except ArgumentError:
        return url, None
    password = u.password
    if password is None:
        return url, None
    # URL.set(password=None) would keep it: None there means "unchanged"
    return u._replace(password=None).render_as_string(hide_password=False), str(password)


def _key(url: str) -> str:
    """The credential's name: the database URL without password, e.g.
    ``postgresql+psycopg://zhang@dbserver:5432/gridstation``."""
    return split_password(url)[0]


def _backend():
    """The usable credential store, or None (keyring's "fail" backend, or no keyring at all)."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception as e:  # noqa: BLE001 - a broken keyring must not stop the client
        log.info("no credential store: %s", e)
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return backend


def store_available() -> bool:
    return _backend() is not None


def remember(url: str) -> tuple[str, bool]:
    """Take the password out of ``url``: ``(URL to save, whether the password was saved in the
    credential store)``. The returned URL never holds a password."""
    bare, password = split_password(url)
    if password is None:
        return bare, False
    backend = _backend()
    if backend is None:
        return bare, False
    try:
        backend.set_password(SERVICE, _key(url), password)
        return bare, True
    except Exception as e:  # noqa: BLE001 - a locked or refusing store: do not save it anywhere
        log.warning("could not save the database password in the credential store: %s", e)
        return bare, False


def resolve(url: str) -> str:
    """``url`` with the saved password put back (unchanged if it has one, or none is saved)."""
    u = make_url(url)
    if u.password is not None or u.get_backend_name() == "sqlite":
        return url
    backend = _backend()
    if backend is None:
        return url
    try:
        password = backend.get_password(SERVICE, _key(url))
    except Exception as e:  # noqa: BLE001
        log.warning("could not read the credential store: %s", e)
        return url
    if password is None:
        return url
    return u.set(password=password).render_as_string(hide_password=False)


def for_connection(url: str) -> str:
    """The URL to connect with: its own password, else ``GRIDSTATION_DB_PASSWORD`` (how the
    client hands it to a wall it starts, never on a command line), else the credential store's."""
    import os

    u = make_url(url)
    env = os.environ.get("GRIDSTATION_DB_PASSWORD")
    if u.password is None and env and u.get_backend_name() != "sqlite":
        return u.set(password=env).render_as_string(hide_password=False)
    return resolve(url)


def forget(url: str) -> None:
    backend = _backend()
    if backend is None:
        return
    try:
        backend.delete_password(SERVICE, _key(url))
    except Exception:  # noqa: BLE001 - nothing saved, or the store refuses: nothing to forget
        pass
