"""Time the weekly review PDF: ``python benchmarks/bench_weekly.py --db URL --week 2026-W47``.

Prints the time to compute the review (weekly_review), to render the charts and the PDF, the
page count and the peak RSS of the process. Target: under 5 s in all.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--week", default=None, help="ISO week (default: the last complete one)")
    ap.add_argument("--region", default=None)
    ap.add_argument("--now", default=None, help="YYYY-MM-DD HH:MM (default: now)")
    ap.add_argument("--out", default=None)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args(argv)

    from sqlalchemy.orm import Session

    from gridstation.store import db as dbmod
    from gridstation.cli.weekly import ensure_qt_application
    from gridstation.report.weekly import previous_iso_week

    now = datetime.fromisoformat(a.now) if a.now else None
    week = a.week or previous_iso_week((now or datetime.now()).date())
    out = Path(a.out or Path(tempfile.mkdtemp()) / "review.pdf")
    t0 = time.perf_counter()
    ensure_qt_application("en")
    from gridstation.app.report.weekly import a4_pdf_writer, load_weekly, paint_weekly, render_charts

    t_qt = time.perf_counter() - t0
    for i in range(a.repeat):
        t1 = time.perf_counter()
        eng = dbmod.make_engine(a.db)
        with Session(eng) as s:
            data, place = load_weekly(s, a.region, week, now=now)
        eng.dispose()
        t2 = time.perf_counter()
        charts = render_charts(data)
        t3 = time.perf_counter()
        w = a4_pdf_writer(out)
        pages = paint_weekly(w, data, place=place, charts=charts)
        del w
        t4 = time.perf_counter()
        print(f"run {i + 1}: data {t2 - t1:.2f} s, charts {t3 - t2:.2f} s, pdf {t4 - t3:.2f} s, "
              f"total {t4 - t1:.2f} s; {pages} pages, {out.stat().st_size / 1024:.0f} KiB -> {out}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mb = rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024
    print(f"Qt start-up {t_qt:.2f} s; peak RSS {rss_mb:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
