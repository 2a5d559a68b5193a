"""``gridstation apikeys add|list|revoke``: API keys of the data exchange (administrator only)."""

from __future__ import annotations

import getpass
import os


def _admin(args):
    """The administrator acting: --admin LOGIN, checked with the password from
    GRIDSTATION_ADMIN_PASSWORD or a prompt (like signing in to the client)."""
    from gridstation.accounts.users import authenticate
    from gridstation.store.db import make_engine

    engine = make_engine(args.db)
    password = os.environ.get("GRIDSTATION_ADMIN_PASSWORD")
    if password is None:
        password = getpass.getpass(f"Password of {args.admin}: ")
    return engine, authenticate(engine, args.admin, password)


def cmd_add(args) -> int:
    from gridstation.admin.apikeys import add_key

    engine, actor = _admin(args)
    kid, secret = add_key(engine, actor, name=args.name, kind=args.kind, user_login=args.user,
                          rate_per_minute=args.rate, note=args.note or "")
    print(f"key {args.name} (id {kid}, {args.kind}) made; give this secret to its holder, it is not shown again:")
    print(secret)
    return 0


def cmd_list(args) -> int:
    from gridstation.admin.apikeys import list_keys

    engine, actor = _admin(args)
    rows = list_keys(engine, actor)
    print(f"{'id':<5}{'name':<24}{'kind':<13}{'prefix':<13}{'user':<12}{'rate/min':<10}{'created':<21}state")
    for r in rows:
        state = "active" if r.active else f"revoked {r.revoked_at:%Y-%m-%d %H:%M}"
        print(f"{r.id:<5}{r.name:<24}{r.kind:<13}{r.prefix + '…':<13}{r.user_login:<12}{r.rate_per_minute:<10}"
              f"{r.created_at:%Y-%m-%d %H:%M:%S}  {state}")
    return 0


def cmd_revoke(args) -> int:
    from gridstation.admin.apikeys import revoke_key

    engine, actor = _admin(args)
    revoke_key(engine, actor, args.key)
    print(f"key {args.key} revoked (the service refuses it within 5 seconds)")
    return 0


def register(sub) -> None:
    k = sub.add_parser("apikeys", help="API keys of the data exchange service (administrator)").add_subparsers(
        dest="apikeys_command", required=True)

    def common(p):
        p.add_argument("--admin", default="admin", help="the administrator's login (password: "
                       "GRIDSTATION_ADMIN_PASSWORD or a prompt)")

    add = k.add_parser("add", help="make a key (the secret is printed once)")
    add.add_argument("name", help="a name for the key: the application, or the handheld device")
    add.add_argument("--kind", choices=["application", "handheld"], default="application")
    add.add_argument("--user", help="handheld keys: the supervisor's login (reports are made as this supervisor)")
    add.add_argument("--rate", type=int, default=600, help="requests a minute (per service worker)")
    add.add_argument("--note")
    common(add)
    add.set_defaults(func=cmd_add)
    ls = k.add_parser("list", help="list keys")
    common(ls)
    ls.set_defaults(func=cmd_list)
    rv = k.add_parser("revoke", help="revoke a key (by name or id)")
    rv.add_argument("key")
    common(rv)
    rv.set_defaults(func=cmd_revoke)
