"""How long each free-text field may be, in characters, in the core and in the database.

One table for everyone: the workflow and the importers refuse longer text with the field (and
the row) named, the forms show a counter against the same number, and the database refuses it
too (PostgreSQL: ``VARCHAR(n)`` plus CHECK constraints on the ``TEXT`` columns; SQLite, which
enforces neither, gets triggers from migration 0004). Nothing is ever cut short silently.
"""

from __future__ import annotations

from gridstation.errors import InvalidInput

DESCRIPTION = 2000  # 问题描述: a few paragraphs; real ones are rarely above 300
NOTE = 2000  # notes, reasons, opinions and replies of workflow steps
ADDRESS = 255
PERSON_NAME = 64
PHONE = 32
NAME = 128  # names of regions, grids, departments, categories, components, places
CONDITION = 2000  # 立案条件 / 结案条件 of a category

#: (table, column) → the most characters the database accepts. Migration 0004 keeps a frozen
#: copy of this table; change both together (with a new migration).
COLUMN_LIMITS: dict[tuple[str, str], int] = {
    ("cases", "description"): DESCRIPTION,
    ("cases", "address"): ADDRESS,
    ("cases", "reporter_name"): PERSON_NAME,
    ("cases", "reporter_phone"): PHONE,
    ("case_event", "note"): NOTE,
    ("case_request", "reason"): NOTE,
    ("case_request", "decision_note"): NOTE,
    ("region", "name"): NAME,
    ("unit_grid", "name"): NAME,
    ("department", "name"): NAME,
    ("department", "contact"): NAME,
    ("app_user", "name"): PERSON_NAME,
    ("app_user", "phone"): PHONE,
    ("category", "name"): NAME,
    ("category", "filing_condition"): CONDITION,
    ("category", "closing_condition"): CONDITION,
    ("component", "name"): NAME,
    ("component", "owner"): NAME,
    ("component", "maintainer"): NAME,
    ("place", "name"): NAME,
    ("place", "address"): ADDRESS,
    ("calendar_override", "note"): NAME,
}


def too_long(value: str | None, limit: int) -> str | None:
    """None if ``value`` fits, else the reason to show ("2,345 characters, at most 2,000")."""
    n = len(value or "")
    if n <= limit:
        return None
    return f"{n:,} characters, at most {limit:,}"


def bounded(value: str | None, field: str, limit: int) -> str:
    """``value`` stripped, or ``InvalidInput`` naming the field if it is longer than ``limit``."""
    v = (value or "").strip()
    why = too_long(v, limit)
    if why:
        raise InvalidInput(field, why)
    return v
