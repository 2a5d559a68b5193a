"""Typed errors of the core: each says what happened and what to do, and carries its facts.

The Qt layer shows ``str(error)`` (English, for logs and the command line) or builds a
translated message from ``kind`` and the attributes.
"""

from __future__ import annotations

from datetime import datetime


class GridStationError(Exception):
    kind = "error"


class WorkflowError(GridStationError):
    """An action on a case was refused; nothing was written."""


class NotFound(WorkflowError):
    kind = "not_found"

    def __init__(self, what: str, ident) -> None:
        self.what, self.ident = what, ident
        super().__init__(f"{what} {ident!r} does not exist (it may have been removed); refresh and try again")


class Forbidden(WorkflowError):
    kind = "forbidden"

    def __init__(self, action: str, reason: str) -> None:
        self.action, self.reason = action, reason
        super().__init__(f"you may not {action.replace('_', ' ')} this case: {reason}")


class InvalidState(WorkflowError):
    kind = "invalid_state"

    def __init__(self, action: str, state: str, number: str = "") -> None:
        self.action, self.state, self.number = action, state, number
        super().__init__(
            f"case {number} is {state.replace('_', ' ')}; '{action.replace('_', ' ')}' is not possible now"
        )


class InvalidInput(WorkflowError):
    kind = "invalid_input"

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}")


class Conflict(WorkflowError):
    """Somebody else changed the case after you loaded it; your change was not applied."""

    kind = "conflict"

    def __init__(
        self, number: str, by: str | None, at: datetime | None, state: str | None = None, *, mine: bool = False
    ) -> None:
        self.number, self.by, self.at, self.state, self.mine = number, by, at, state, mine
        when = at.strftime("%Y-%m-%d %H:%M:%S") if at else "just now"
        # ``mine``: the newer change is the user's own (another window, or an earlier step).
        who = "you (in another window or an earlier step)" if mine else (by or "another user")
        super().__init__(
            f"case {number} was changed by {who} at {when} after you opened it; "
            "your change was not applied: reload the case and decide again"
        )


class Unavailable(GridStationError):
    """The database cannot be reached: nothing was written, or (``saved_unknown``) the reply
    to a submission was lost and the retries could not reach the database to find out."""

    kind = "unavailable"

    def __init__(self, detail: str, *, saved_unknown: bool = False) -> None:
        self.detail, self.saved_unknown = detail, saved_unknown
        if saved_unknown:
            # The connection broke after the server had the request and could not be asked again.
            super().__init__(
                f"the connection broke while saving ({detail}) and the database could not be asked whether it "
                "was saved: try again when the connection is back; the same submission is never saved twice"
            )
        else:
            super().__init__(
                f"the database cannot be reached ({detail}); nothing was saved: try again when the connection is back"
            )


class SchemaMismatch(GridStationError):
    """This program and the database were made for different schema revisions. A normal launch
    never migrates a shared database: an administrator runs ``gridstation-cli db upgrade`` (or
    installs the newer GridStation). Nothing was written."""

    kind = "schema"

    def __init__(self, relation: str, database: str | None, program: str | None) -> None:
        self.relation, self.database, self.program = relation, database, program
        if relation == "empty":
            what = "the database has no GridStation schema yet"
            todo = "an administrator runs 'gridstation-cli db upgrade' once"
        elif relation == "older":
            what = f"the database's schema (revision {database}) is older than this program's ({program})"
            todo = "an administrator runs 'gridstation-cli db upgrade' once every workstation is updated"
        else:
            what = (f"the database's schema (revision {database}) is newer than this program knows "
                    f"(its newest is {program})")
            todo = "install the GridStation version the database was upgraded with"
        super().__init__(f"{what}; this client will not write to it: {todo}")
