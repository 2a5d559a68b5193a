"""Command-line administration of the catalogue (``gridstation catalogue …``):

    gridstation catalogue export FILE.xlsx
    gridstation catalogue import FILE.xlsx --as LOGIN [--yes]

``import`` prints the preview (added / changed field by field / moved / restored / retired) and
applies it only with ``--yes``, as the administrator ``--as LOGIN``; a malformed sheet is refused
with each problem's row and column, and nothing is changed. ``register(sub)`` adds the commands
to the main parser (``gridstation.cli.build_parser``).
"""

from __future__ import annotations

import sys

from gridstation.cli.sheets import add_import_arguments


def _value(v) -> str:
    if v is None or v == "":
        return "—"
    if isinstance(v, tuple):
        return f"{v[0]:g} {v[1]}"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v).replace("\n", " ")


def print_diff(diff, out=None) -> None:
    out = out or sys.stdout
    s = diff.summary()
    print(f"{diff.file_name}: {s['added']} added, {s['changed']} changed ({s['moved']} moved), "
          f"{s['restored']} restored, {s['retired']} retired, {s['unchanged']} unchanged", file=out)
    for c in diff.changes:
        where = f" (row {c.row})" if c.row else ""
        print(f"  {c.action:<8} {c.code} {c.name}{where}", file=out)
        for f in c.fields:
            if c.action == "retired":
                continue
            print(f"             {f.field}: {_value(f.old)} -> {_value(f.new)}", file=out)


def cmd_export(args) -> int:
    from gridstation.store.db import make_engine
    from gridstation.admin.catalogue_excel import export_catalogue

    engine = make_engine(args.db)
    try:
        n = export_catalogue(engine, args.file)
    finally:
        engine.dispose()
    print(f"{n} categories written to {args.file}")
    return 0


def cmd_import(args) -> int:
    from gridstation.admin.catalogue_excel import apply_import, preview_import
    from gridstation.cli.sheets import preview_then_apply

    def apply(engine, login, diff) -> int:
        r = apply_import(engine, login, diff)
        print(f"applied: {r.added} added, {r.changed} changed, {r.moved} moved, {r.restored} restored, {r.retired} retired")
        return 0

    return preview_then_apply(args, preview_import, print_diff, apply, same="the sheet matches the catalogue: nothing to do")


def register(sub) -> None:
    c = sub.add_parser("catalogue", help="the category catalogue to and from Excel").add_subparsers(
        dest="catalogue_command", required=True)
    ex = c.add_parser("export", help="write the catalogue to an .xlsx sheet")
    ex.add_argument("file")
    ex.set_defaults(func=cmd_export)
    im = c.add_parser("import", help="preview (and with --yes apply) a catalogue sheet")
    add_import_arguments(im)
    im.set_defaults(func=cmd_import)
