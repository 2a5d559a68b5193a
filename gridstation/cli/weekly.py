"""``gridstation report weekly``: the weekly review (周报) as an A4 PDF, without a display.

    gridstation report weekly [--week 2026-W47] [--region CODE] --out review.pdf [--lang zh_CN|en]
                              [--now "YYYY-MM-DD HH:MM"]

``--week`` defaults to the last complete ISO week; without ``--region`` the review covers the
whole city. Without a display (no ``DISPLAY``/``WAYLAND_DISPLAY`` on Linux) Qt runs offscreen.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

from gridstation.errors import GridStationError
from gridstation.report.weekly import previous_iso_week


def ensure_qt_application(lang: str | None = None):
    """The Qt application reports are painted with (the Qt layer owns it)."""
    from gridstation.app.report.headless import ensure_qt_application as ensure

    return ensure(lang)


def generate_weekly_pdf(url: str, week: str | None, out: str | Path, *, region: str | None = None,
                        lang: str | None = None, now: datetime | None = None):
    """Build the review for ``week`` and write it to ``out``; returns ``(WeeklyReview, pages)``."""
    from sqlalchemy.orm import Session

    from gridstation.store import db as dbmod

    _app = ensure_qt_application(lang)  # noqa: F841  (must live while painting)
    from gridstation.app.report.weekly import load_weekly, write_weekly_pdf

    week = week or previous_iso_week((now or datetime.now()).date())
    engine = dbmod.make_engine(url)
    try:
        with Session(engine) as s:
            try:
                data, place = load_weekly(s, region, week, now=now)
            except (ValueError, LookupError) as e:
                raise GridStationError(str(e)) from None
    finally:
        engine.dispose()
    pages = write_weekly_pdf(out, data, place=place)
    return data, pages


def cmd_report_weekly(args) -> int:
    now = None
    if args.now:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError:
            raise GridStationError(f"not a date-time (YYYY-MM-DD HH:MM): {args.now!r}") from None
    t0 = time.perf_counter()
    data, pages = generate_weekly_pdf(args.db, args.week, args.out, region=args.region, lang=args.lang, now=now)
    print(f"weekly review {data.week} ({data.scope.name}): {pages} pages written to {args.out} "
          f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    """Add ``report weekly`` to the gridstation parser."""
    rp = subparsers.add_parser("report", help="printable reports")
    rsub = rp.add_subparsers(dest="report_command", required=True)
    wk = rsub.add_parser("weekly", help="the weekly review (周报) as an A4 PDF")
    wk.add_argument("--week", help="ISO week, e.g. 2026-W47 (default: the last complete week)")
    wk.add_argument("--region", help="region code (default: the whole city)")
    wk.add_argument("--out", required=True, help="output PDF file")
    wk.add_argument("--lang", choices=["zh_CN", "en"], default=None, help="language of the labels (default: the system's)")
    wk.add_argument("--now", help="the moment the review is made, YYYY-MM-DD HH:MM (default: now)")
    wk.set_defaults(func=cmd_report_weekly)
