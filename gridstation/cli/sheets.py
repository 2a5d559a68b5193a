"""What every "import a sheet" command shares (``catalogue import``, ``org import``): read the
sheet into a preview, print it, stop when there is nothing to do or no ``--yes``, and apply
only as a named administrator (``--as LOGIN``)."""

from __future__ import annotations

from collections.abc import Callable

from gridstation.errors import GridStationError
from gridstation.store.db import make_engine


def preview_then_apply(args, preview: Callable, show: Callable, apply: Callable, *, same: str,
                       check: Callable | None = None) -> int:
    """``preview(engine, file) -> diff``; ``show(diff)`` prints it; ``same`` says the sheet changes
    nothing; ``check(diff)`` may refuse before anything is applied; ``apply(engine, login, diff)``."""
    engine = make_engine(args.db)
    try:
        diff = preview(engine, args.file)
        show(diff)
        if diff.is_empty:
            print(same)
            return 0
        if not args.yes:
            print("nothing applied: run again with --yes to apply these changes")
            return 0
        if not args.as_login:
            raise GridStationError("--as LOGIN (an administrator) is needed to apply an import")
        if check is not None:
            check(diff)
        return apply(engine, args.as_login, diff)
    finally:
        engine.dispose()


def add_import_arguments(parser) -> None:
    parser.add_argument("file")
    parser.add_argument("--as", dest="as_login", help="the administrator's login")
    parser.add_argument("--yes", action="store_true", help="apply the previewed changes")
