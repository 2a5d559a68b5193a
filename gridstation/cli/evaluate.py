"""Command-line reports: ``gridstation evaluate`` and ``gridstation rollup``.

    gridstation evaluate --object regions|departments|positions --from DATE --to DATE
                         [--level LEVEL] --format csv|xlsx [--out FILE]
    gridstation rollup rebuild [--since DATE]

``evaluate`` prints the evaluation table as CSV on standard output (or writes it to ``--out``);
``--format xlsx`` needs ``--out``. The period is ``[from, to)``. ``--level`` is the region level
for regions (a ``region_level`` key such as community/street/district, or ``grid``; default
street) and, for positions, optionally one position (supervisor, intake_operator,
shift_leader, dispatcher).
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from gridstation import logs
from gridstation.errors import GridStationError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise GridStationError(f"not a date (YYYY-MM-DD): {text!r}") from None


def cmd_evaluate(args) -> int:
    from gridstation.store import db as dbmod
    from gridstation.analytics.drilldown import Period
    from gridstation.analytics.evaluation import evaluate

    start, end = _date(args.date_from), _date(args.date_to)
    if end <= start:
        raise GridStationError("--to must be after --from (the period is [from, to))")
    if args.format == "xlsx" and not args.out:
        raise GridStationError("--format xlsx needs --out FILE")
    if not args.out and not logs.has_console(sys.stdout):
        raise GridStationError("this program has no console to print the table on: give --out FILE, "
                               "or run the same command with gridstation-cli")
    engine = dbmod.make_engine(args.db)
    try:
        with Session(engine) as s:
            try:
                result = evaluate(s, args.object, Period(start, end), level=args.level)
            except ValueError as e:
                raise GridStationError(str(e)) from None
            headers, rows = result.table()
    finally:
        engine.dispose()
    if args.format == "csv":
        from gridstation.store.cells import csv_safe

        safe = [[csv_safe(v) for v in r] for r in [headers, *rows]]  # names that start with "=" stay text
        if args.out:
            with open(args.out, "w", encoding="utf-8-sig", newline="") as f:
                csv.writer(f).writerows(safe)
        else:
            csv.writer(sys.stdout).writerows(safe)
    else:
        write_xlsx(Path(args.out), headers, rows, sheet=f"{args.object} {start}..{end}")
    if args.out:
        print(f"{len(rows)} rows written to {args.out}", file=sys.stderr)
    return 0


def write_xlsx(path: Path, headers: list[str], rows: list[list], *, sheet: str = "评价") -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "".join(ch for ch in sheet if ch not in "[]:*?/\\")[:31] or "评价"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    from gridstation.store.cells import excel_safe_sheet

    excel_safe_sheet(ws)  # a region or department name starting with "=" is text, not a formula
    ws.freeze_panes = "D2"
    for i, h in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(10, min(28, len(h) + 4))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def cmd_rollup_rebuild(args) -> int:
    from gridstation.store import db as dbmod
    from gridstation.analytics.rollup import rebuild

    engine = dbmod.make_engine(args.db)
    try:
        st = rebuild(engine, _date(args.since) if args.since else None, progress=lambda m: print(f"  {m}", flush=True))
    finally:
        engine.dispose()
    print(f"rollups rebuilt: {st.cases:,} cases, {st.events:,} events -> {st.case_rows:,} day rows, "
          f"{st.month_rows:,} month rows, {st.position_rows:,} position rows in {st.seconds:.1f} s")
    return 0


def register(subparsers) -> None:
    """Add ``evaluate`` and ``rollup`` to the gridstation parser."""
    ev = subparsers.add_parser("evaluate", help="comprehensive evaluation (综合评价) of regions, departments or positions")
    ev.add_argument("--object", required=True, choices=["regions", "departments", "positions"])
    ev.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
    ev.add_argument("--to", dest="date_to", required=True, help="day after the last, YYYY-MM-DD")
    ev.add_argument("--level", help="regions: community|street|district|grid (default street); positions: one position")
    ev.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    ev.add_argument("--out", help="output file (csv: default standard output)")
    ev.set_defaults(func=cmd_evaluate)

    ru = subparsers.add_parser("rollup", help="the summaries behind drill-down and evaluation")
    rsub = ru.add_subparsers(dest="rollup_command", required=True)
    rb = rsub.add_parser("rebuild", help="recompute them from the case events")
    rb.add_argument("--since", help="only from this date's month on, YYYY-MM-DD")
    rb.set_defaults(func=cmd_rollup_rebuild)
