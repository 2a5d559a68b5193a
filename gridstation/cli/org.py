"""``gridstation org …``: departments and users to and from Excel (docs/org-excel.md).

    gridstation org export FILE.xlsx
    gridstation org import FILE.xlsx                      # preview only
    gridstation org import FILE.xlsx --as admin --yes --passwords-out new.csv
"""

from __future__ import annotations

import csv

from gridstation.cli.sheets import add_import_arguments, preview_then_apply
from gridstation.errors import GridStationError
from gridstation.store.db import make_engine


def cmd_export(args) -> int:
    from gridstation.admin.org_excel import export_org

    engine = make_engine(args.db)
    try:
        nd, nu = export_org(engine, args.file)
    finally:
        engine.dispose()
    print(f"exported {nd} departments and {nu} users to {args.file}")
    return 0


def cmd_import(args) -> int:
    from gridstation.admin.org_excel import apply_import, preview_import

    def check(diff) -> None:
        if diff.of("用户", "added") and not args.passwords_out:
            raise GridStationError("new accounts get temporary passwords: give --passwords-out FILE.csv to receive them")

    def apply(engine, login, diff) -> int:
        r = apply_import(engine, login, diff)
        if r.passwords:
            with open(args.passwords_out, "w", newline="", encoding="utf-8-sig") as f:
                w = csv.writer(f)
                w.writerow(["账号", "临时密码"])
                w.writerows(r.passwords)
        print(f"applied: {r.departments_added} departments added, {r.departments_changed} changed; "
              f"{r.users_added} users added, {r.users_changed} changed"
              + (f"; temporary passwords in {args.passwords_out}" if r.passwords else ""))
        return 0

    return preview_then_apply(args, preview_import, lambda diff: print("\n".join(diff.lines())), apply,
                              same="the workbook matches the center: nothing to do", check=check)


def register(sub) -> None:
    c = sub.add_parser("org", help="departments and users to and from Excel").add_subparsers(
        dest="org_command", required=True)
    ex = c.add_parser("export", help="write departments and users to an .xlsx workbook")
    ex.add_argument("file")
    ex.set_defaults(func=cmd_export)
    im = c.add_parser("import", help="preview (and with --yes apply) a workbook of departments and users")
    add_import_arguments(im)
    im.add_argument("--passwords-out", help="CSV file for the temporary passwords of new accounts")
    im.set_defaults(func=cmd_import)
