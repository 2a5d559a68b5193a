"""The ``gridstation`` command line.

``gridstation`` alone prepares the embedded demo city on first run and opens the client;
subcommands administer the database. Every command takes ``--db URL`` (default: the
``GRIDSTATION_DB`` environment variable, else an SQLite file in the user's data folder).
"""

from __future__ import annotations

import os

import argparse
import getpass
import logging
import sys
from collections.abc import Sequence

from gridstation import logs
from gridstation.errors import GridStationError

# SQLAlchemy, the schema and the store are imported where a command needs them: opening the
# client imports none of them before its first window is on screen.

DEMO_LOGINS = "shift1 (值班长), dispatch1 (派遣员), intake1 (受理员), sup001 (监督员), leader, admin, wall (大屏)"


def _engine(args):
    from gridstation.store import db as dbmod

    return dbmod.make_engine(args.db)


def _has_city(url: str) -> bool:
    from sqlalchemy import func, select
    from sqlalchemy.exc import OperationalError

    from gridstation.store import db as dbmod
    from gridstation.store.model import Region

    eng = dbmod.make_engine(url)
    try:
        with eng.connect() as c:
            return (c.execute(select(func.count()).select_from(Region)).scalar() or 0) > 0
    except OperationalError:
        return False
    finally:
        eng.dispose()


def cmd_open(args) -> int:
    """Open the client: its sign-in window comes first, at once; it looks at the database, and on
    a first start builds the demo city, behind a progress window. ``--no-gui`` does that
    preparation here, on the console, and stops."""
    url = args.db
    if not args.no_gui:
        from gridstation.app.main import run_client

        return run_client(url, read_url=args.read_db or os.environ.get("GRIDSTATION_READ_DB"))
    from sqlalchemy.engine import make_url

    from gridstation import schema

    if make_url(url).get_backend_name() == "sqlite":
        schema.upgrade(url)  # this workstation's own file
        if not _has_city(url):
            print("First run: building the embedded demo city (郑州市 demo, about half a minute)...", flush=True)
            _build_demo(url, seed=1, cases=100_000, months=6, replace=False)
    else:
        schema.require_current(url)  # a shared database is migrated only by 'db upgrade'
    print(f"Database: {make_url(url)!r}")
    print(f"Sign in with one of: {DEMO_LOGINS}; password: demo")
    return 0


def _build_demo(url: str, **kw) -> None:
    from gridstation.demo.city import build_demo

    def progress(msg: str) -> None:
        print(f"  {msg}", flush=True)

    summary = build_demo(url, progress=progress, **kw)
    print(f"Demo city built in {summary.seconds:.1f} s: {summary}")


def cmd_db_upgrade(args) -> int:
    from gridstation import schema
    from gridstation.store import db as dbmod

    schema.upgrade(args.db, args.revision)
    eng = _engine(args)
    print(f"Database at revision {dbmod.current_revision(eng)}: {eng.url!r}")
    eng.dispose()
    return 0


def cmd_db_current(args) -> int:
    from gridstation.store import db as dbmod

    eng = _engine(args)
    print(dbmod.current_revision(eng) or "(empty: run 'gridstation db upgrade')")
    eng.dispose()
    return 0


def cmd_demo(args) -> int:
    from gridstation import schema

    schema.upgrade(args.db)
    _build_demo(args.db, seed=args.seed, cases=args.cases, months=args.months, replace=args.replace)
    print(f"Sign in with one of: {DEMO_LOGINS}; password: demo")
    return 0


def cmd_simulate(args) -> int:
    from datetime import datetime

    from gridstation.demo.simulate import SimStats, Simulator

    sim = Simulator(_engine(args), seed=args.seed)
    print(f"Simulating at {args.rate} steps/s (Ctrl+C to stop)...", flush=True)
    stats = SimStats()
    shown = [0]

    def tick(stats):
        if stats.actions and stats.actions % 50 == 0 and stats.actions != shown[0]:
            shown[0] = stats.actions
            print(f"  {stats.actions} actions, {stats.reports} new reports, {stats.conflicts} conflicts", flush=True)

    def down(stats, error):
        detail = str(getattr(error, "orig", None) or error).strip().splitlines()
        print(f"{datetime.now():%H:%M:%S} database unavailable ({detail[0] if detail else type(error).__name__}); "
              "retrying...", flush=True)

    def back(stats, seconds):
        print(f"{datetime.now():%H:%M:%S} database back after {seconds:.1f} s "
              f"(outage {stats.outages}, {stats.errors} failed steps so far)", flush=True)

    def summary(word: str) -> str:
        return (f"{word}: {stats.steps} steps, {stats.actions} actions ({stats.by_action}), {stats.conflicts} conflicts, "
                f"{stats.refused} refused, {stats.outages} outages, {stats.errors} failed steps")

    try:
        sim.run(rate=args.rate, duration=args.duration, steps=args.steps, on_step=tick, on_down=down, on_back=back,
                stats=stats)
    except KeyboardInterrupt:
        print(summary("stopped"), flush=True)
        return 0
    print(summary("done"), flush=True)
    return 0


def _password(args, prompt: str) -> str:
    if not logs.has_console():
        # the windowed GridStation.exe has no standard input to read a password from
        raise GridStationError("this program has no console to read a password from: run the same command "
                               "with gridstation-cli")
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("Repeat: ") != first:
        raise GridStationError("the two passwords differ; nothing was changed")
    return first


def cmd_users_add(args) -> int:
    from gridstation.accounts.users import add_user

    uid = add_user(
        _engine(args), login=args.login, name=args.name or args.login, position=args.position,
        password=_password(args, f"Password for {args.login}: "), region_code=args.region,
        department_code=args.department,
    )
    print(f"added user {args.login} (id {uid})")
    return 0


def cmd_users_passwd(args) -> int:
    from gridstation.accounts.users import set_password

    set_password(_engine(args), args.login, _password(args, f"New password for {args.login}: "))
    print(f"password of {args.login} changed")
    return 0


def cmd_users_list(args) -> int:
    from gridstation.accounts.users import list_users

    rows = list_users(_engine(args))
    print(f"{'login':<16}{'position':<20}{'name':<12}{'region':<16}{'department':<20}active")
    for r in rows:
        print(f"{r.login:<16}{r.position:<20}{r.name:<12}{r.region:<16}{r.department:<20}{'yes' if r.active else 'no'}")
    return 0


def _common(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    import gridstation

    p.add_argument("--version", action="version", version=f"GridStation {gridstation.__version__}")
    p.add_argument("--db", default=None, help="database URL (default: $GRIDSTATION_DB or the embedded SQLite file)")
    p.add_argument("--no-gui", action="store_true", help="prepare the database but do not open the window")
    p.add_argument("--read-db", default=None, metavar="URL",
                   help="a PostgreSQL hot standby for read-only work: analytics, weekly review, the wall "
                        "(default: $GRIDSTATION_READ_DB, else the setting read_db_url; none: everything on --db)")
    return p


def _open_parser() -> argparse.ArgumentParser:
    """The command line without a command: open the client."""
    return _common(argparse.ArgumentParser(prog="gridstation", description="GridStation command-center client"))


def build_parser() -> argparse.ArgumentParser:
    from gridstation.store.model import Position

    p = _common(argparse.ArgumentParser(prog="gridstation", description="GridStation command-center client and tools"))
    sub = p.add_subparsers(dest="command")

    d = sub.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    up = d.add_parser("upgrade", help="create or migrate the schema")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=cmd_db_upgrade)
    d.add_parser("current", help="show the schema revision").set_defaults(func=cmd_db_current)

    demo = sub.add_parser("demo", help="build the demo city with its case history")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--cases", type=int, default=100_000)
    demo.add_argument("--months", type=int, default=6)
    demo.add_argument("--replace", action="store_true", help="wipe an existing city first")
    demo.set_defaults(func=cmd_demo)

    sim = sub.add_parser("simulate", help="keep reporting and moving cases, as other workstations would")
    sim.add_argument("--rate", type=float, default=1.0, help="steps per second")
    sim.add_argument("--duration", type=float, default=None, help="seconds (default: until Ctrl+C)")
    sim.add_argument("--steps", type=int, default=None)
    sim.add_argument("--seed", type=int, default=None)
    sim.set_defaults(func=cmd_simulate)

    u = sub.add_parser("users", help="user accounts").add_subparsers(dest="users_command", required=True)
    add = u.add_parser("add", help="add a user")
    add.add_argument("login")
    add.add_argument("--name")
    add.add_argument("--position", required=True,
                     help="a position of the rules in force (" + ", ".join(x.value for x in Position) + ", or a profile's own)")
    add.add_argument("--region", help="region code of the user's scope (default: the whole city)")
    add.add_argument("--department", help="department code (department handlers)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=cmd_users_add)
    pw = u.add_parser("passwd", help="set a user's password")
    pw.add_argument("login")
    pw.add_argument("--password-stdin", action="store_true")
    pw.set_defaults(func=cmd_users_passwd)
    u.add_parser("list", help="list users").set_defaults(func=cmd_users_list)

    from gridstation.cli.data import register as register_data

    register_data(sub)
    from gridstation.cli.catalogue import register as register_admin

    register_admin(sub)
    from gridstation.cli.evaluate import register as register_report

    register_report(sub)
    from gridstation.cli.weekly import register as register_weekly

    register_weekly(sub)
    from gridstation.cli.wall import register as register_wall

    register_wall(sub)
    from gridstation.cli.profile import register as register_profile

    register_profile(sub)
    from gridstation.cli.regions import register as register_regions

    register_regions(sub)
    from gridstation.cli.org import register as register_org

    register_org(sub)
    from gridstation.cli.serve import register as register_serve

    register_serve(sub)
    from gridstation.cli.apikeys import register as register_apikeys

    register_apikeys(sub)
    from gridstation.cli.hotline import register as register_hotline

    register_hotline(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    program = logs.program_for(argv)
    logs.setup(program, console_level=logging.INFO if program == "wall" else logging.WARNING)
    # opening the client needs only --db and --no-gui: the full parser imports every command's
    # module (reports, analytics, shapely, ...), time the first window should not wait for
    args = (_open_parser() if program == "client" else build_parser()).parse_args(argv)
    if program == "client" and not args.no_gui:
        # the window first: it reads the database URL itself (with its password from the
        # credential store) once it is on screen
        from gridstation.app.main import run_client

        return run_client(args.db, read_url=args.read_db or os.environ.get("GRIDSTATION_READ_DB"))
    from gridstation.accounts.credentials import for_connection
    from gridstation.store import db as dbmod

    args.db = for_connection(dbmod.normalise_url(args.db or dbmod.default_db_url()))
    func = getattr(args, "func", cmd_open)
    try:
        code = func(args)
        if sys.stdout is not None:
            sys.stdout.flush()  # here, not at exit: a reader that closed early is no error
        return code
    except BrokenPipeError:  # "gridstation-cli users list | head": the reader has all it wants
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except GridStationError as e:
        print(f"gridstation: {e}", file=sys.stderr)
        return 2
    except Exception as e:
        from sqlalchemy.exc import OperationalError

        if not isinstance(e, OperationalError):
            raise
        first = str(e.orig).strip().splitlines()[0] if e.orig else str(e)
        print(f"gridstation: cannot use the database {dbmod.make_engine(args.db).url!r}: {first}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
