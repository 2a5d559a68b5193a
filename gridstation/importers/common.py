"""What every importer shares: problems with their place in the file, the refusal, the report.

An import is one transaction. Every row or feature is checked first and each problem is
recorded with where it is (``feature 3 (code 410105001001001)``, ``row 17``), the field or
column, the value and the reason. With any problem the whole file is refused
(``ImportRejected``, nothing written) unless the caller asked for ``skip_bad``: then the bad
rows are skipped, listed in the report and in the ``import_batch`` row, and the rest is written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from gridstation.store.db import record_change
from gridstation.errors import GridStationError
from gridstation.geo.model import ImportBatch

MAX_LISTED = 200  # problems shown in a message; the report object keeps them all
MAX_STORED = 1000  # problems kept in import_batch.report


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one row or feature (or with the file as a whole)."""

    where: str  # "feature 3 (code 410105001001001)", "row 17", "file", "community 410105001001"
    field: str = ""  # attribute or column ("" when it is about the whole row)
    value: str = ""
    reason: str = ""

    def __str__(self) -> str:
        what = f" {self.field}" if self.field else ""
        val = f" = {self.value!r}" if self.value not in ("", None) else ""
        return f"{self.where}:{what}{val}: {self.reason}"

    def as_dict(self) -> dict:
        return {"where": self.where, "field": self.field, "value": self.value, "reason": self.reason}


class ImportRejected(GridStationError):
    """The file was refused; the database is unchanged."""

    kind = "import_rejected"

    def __init__(self, what: str, file_name: str, problems: list[Problem], hint: str = "") -> None:
        self.what, self.file_name, self.problems = what, file_name, list(problems)
        n = len(self.problems)
        head = f"{what} import of {file_name or 'the data'} refused, nothing was imported: {n} problem{'s' * (n != 1)}"
        lines = [f"  - {p}" for p in self.problems[:MAX_LISTED]]
        if n > MAX_LISTED:
            lines.append(f"  ... and {n - MAX_LISTED} more")
        tail = [hint] if hint else []
        super().__init__("\n".join([head, *lines, *tail]))


@dataclass
class ImportReport:
    """What an accepted import did."""

    kind: str
    file_name: str = ""
    read: int = 0  # rows or features in the file
    imported: int = 0  # rows written (created or changed)
    skipped: list[Problem] = field(default_factory=list)  # with skip_bad: what was left out, and why
    warnings: list[Problem] = field(default_factory=list)  # accepted, but worth a look
    details: dict = field(default_factory=dict)  # importer-specific counts
    batch_id: int | None = None
    seconds: float = 0.0

    @property
    def skipped_count(self) -> int:
        return len({p.where for p in self.skipped})

    def text(self) -> str:
        lines = [
            f"{self.kind}: {self.imported} imported of {self.read} read from {self.file_name or 'memory'}"
            + (f" (batch {self.batch_id})" if self.batch_id else "")
        ]
        if self.details:
            lines.append("  " + ", ".join(f"{k} {v}" for k, v in self.details.items()))
        if self.skipped:
            lines.append(f"  skipped {self.skipped_count}:")
            lines += [f"    - {p}" for p in self.skipped[:MAX_LISTED]]
            if len(self.skipped) > MAX_LISTED:
                lines.append(f"    ... and {len(self.skipped) - MAX_LISTED} more")
        if self.warnings:
            lines.append(f"  warnings {len(self.warnings)}:")
            lines += [f"    - {p}" for p in self.warnings[:MAX_LISTED]]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


def parse_mapping(text: str | dict | None) -> dict[str, str]:
    """``"code=WGBM,name=WGMC"`` → ``{"code": "WGBM", "name": "WGMC"}`` (a dict passes through)."""
    if not text:
        return {}
    if isinstance(text, dict):
        return dict(text)
    out: dict[str, str] = {}
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise GridStationError(f"--map: '{part}' is not KEY=FIELD (e.g. code=WGBM,name=WGMC)")
        k, v = part.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def pick_field(available: list[str], key: str, mapping: dict[str, str], aliases: dict[str, list[str]]) -> str | None:
    """The attribute/column that holds ``key``: the mapped one, else the first alias present
    (case-insensitive, ignoring spaces)."""
    if key in mapping:
        return mapping[key]
    norm = {a.strip().lower().replace(" ", ""): a for a in available}
    for alias in [key, *aliases.get(key, [])]:
        hit = norm.get(alias.lower().replace(" ", ""))
        if hit is not None:
            return hit
    return None


def check_mapping(available: list[str], mapping: dict[str, str], keys: list[str], file_name: str, what: str) -> None:
    """Refuse a mapping naming fields the file does not have, or keys we do not know."""
    problems = []
    for k, v in mapping.items():
        if k not in keys:
            problems.append(Problem("--map", k, v, f"unknown key; use one of {', '.join(keys)}"))
        elif v not in available:
            problems.append(
                Problem("--map", k, v, f"the file has no field {v!r}; it has {', '.join(available) or 'none'}")
            )
    if problems:
        raise ImportRejected(what, file_name, problems)


def cell(value) -> str:
    """A cell as stripped text ('' for None/NaN)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def write_batch(
    session: Session,
    kind: str,
    report: ImportReport,
    *,
    user_id: int | None,
    at: datetime | None = None,
    announce: bool = True,
) -> int:
    """The import_batch row and (``announce``) the change-feed row (entity "import", action the
    kind, entity_id the batch): call it last in the transaction, or call ``announce_batch``
    last yourself (PostgreSQL's change-feed lock is held from then to commit)."""
    at = at or datetime.now()
    rid = session.execute(
        insert(ImportBatch)
        .values(
            kind=kind,
            file_name=Path(report.file_name).name[:255] if report.file_name else "",
            at=at,
            rows=report.imported,
            rejected=report.skipped_count,
            user_id=user_id,
            report={
                "read": report.read,
                "details": report.details,
                "skipped": [p.as_dict() for p in report.skipped[:MAX_STORED]],
                "warnings": [p.as_dict() for p in report.warnings[:MAX_STORED]],
            },
        )
        .returning(ImportBatch.id)
    ).scalar_one()
    report.batch_id = rid
    if announce:
        record_change(session, "import", rid, kind, user_id, at)
    return rid


def announce_batch(session: Session, kind: str, batch_id: int, user_id: int | None) -> None:
    record_change(session, "import", batch_id, kind, user_id)


def run_in_transaction(db, fn):
    """Run ``fn(session)`` in one writer transaction on ``db`` (an Engine or a URL): commit
    if it returns, roll everything back if it raises."""
    from sqlalchemy import Engine

    from gridstation.store.db import make_engine, writer

    engine = db if isinstance(db, Engine) else make_engine(db)
    try:
        with Session(writer(engine)) as s, s.begin():
            return fn(s)
    finally:
        if not isinstance(db, Engine):
            engine.dispose()
