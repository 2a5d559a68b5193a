"""Spreadsheet cells that a spreadsheet will not run (OWASP "CSV injection").

A description typed at a desk or imported from an old system may start with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return; Excel and WPS take such a cell for a formula
(``=HYPERLINK("http://…", "点击")`` opens a link, DDE formulas worse). Every CSV and Excel
export goes through here:

- **Excel (.xlsx):** the cell is written with the string data type (and Excel's quote-prefix
  style, what Excel itself does for a typed ``'=…``). Excel shows exactly the text
  (``=HYPERLINK(…)`` as letters) and never evaluates it, and the value is unchanged, so a
  re-import reads what was typed. This is the better fix where the format has types.
- **CSV:** there are no types, so OWASP's advice applies: such a text gets a leading single
  quote (``'=HYPERLINK(…)``), which spreadsheets show as text. The case-history importer
  removes exactly that one quote again (``unquote``), so an export re-imports as it was.

Numbers stay numbers: ints and floats are never touched, and a text that is a plain number
(``-12.5``, ``+86``) is left as it is; it cannot run anything.

This module sits in the store layer only because every exporter (exchange, admin, cli) can
import it there.
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def is_dangerous(value) -> bool:
    """True for a text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value)


def csv_safe(value):
    """The value as a CSV export writes it: a dangerous text with a leading single quote."""
    return "'" + value if is_dangerous(value) else value


def unquote(value: str) -> str:
    """Undo ``csv_safe`` on a cell read back from one of our CSV exports."""
    if len(value) > 1 and value[0] == "'" and is_dangerous(value[1:]):
        return value[1:]
    return value


def excel_safe_sheet(ws) -> int:
    """Mark every dangerous text cell of an openpyxl worksheet as a string (not a formula);
    returns how many. Call it after filling the sheet, before saving."""
    n = 0
    for row in ws.iter_rows():
        for c in row:
            if is_dangerous(c.value):
                c.data_type = "s"
                c.quotePrefix = True  # Excel's own "text that starts with =": survives an edit too
                n += 1
    return n


__all__ = ["TRIGGERS", "csv_safe", "excel_safe_sheet", "is_dangerous", "unquote"]
