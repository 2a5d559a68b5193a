"""流程配置: the administrator edits the workflow rules (who may do what, from which states,
within which scope; who approves; who takes reports).

Every save goes through ``rules.validate`` (nothing that breaks the closed loop is stored),
replaces the rules in one transaction, writes one ``config_change`` row per changed setting
(entity ``rules``) and a ``rules`` change-feed row; every workflow reads the new revision on
its next action. A save that started from an older revision is refused (``ConfigConflict``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gridstation.admin.common import ConfigConflict, admin_tx
from gridstation.cases import rules
from gridstation.errors import InvalidInput
from gridstation.store.model import User

ENTITY = "rules"


def load(s: Session) -> rules.RuleSet:
    rs = rules.load(s)
    if rs is None:
        raise InvalidInput("rules", "this database holds no workflow rules: apply a profile first")
    return rs


def positions_in_use(s: Session) -> set[str]:
    return set(s.scalars(select(User.position).distinct()))


def check(s: Session, rs: rules.RuleSet) -> list[rules.Problem]:
    """What is wrong with ``rs`` against this database (the positions users hold)."""
    return rules.problems(rs, in_use=positions_in_use(s))


def save(engine: Engine, actor, rs: rules.RuleSet, *, expected_revision: int | None = None) -> list[rules.Difference]:
    """Put ``rs`` in force; the differences written to the audit (empty: nothing changed)."""
    with admin_tx(engine, actor) as tx:
        return put_in_force(tx, rs, expected_revision=expected_revision)


def put_in_force(tx, rs: rules.RuleSet, *, expected_revision: int | None = None, note: str = "") -> list[rules.Difference]:
    """``save`` inside an administration transaction (a profile's apply uses it too)."""
    old = rules.load(tx.s)
    if expected_revision is not None and old is not None and old.revision != expected_revision:
        raise ConfigConflict("the workflow rules", f"revision {old.revision}, you edited {expected_revision}")
    rules.validate(rs, in_use=positions_in_use(tx.s))
    changes = rules.diff(old, rs)
    if not changes:
        return []
    for d in changes:
        tx.audit(ENTITY, f"{d.entity}:{d.key}", d.field, d.old, d.new)
    if note:
        tx.audit(ENTITY, "profile", "applied", None, note)
    rev = rules.store(tx.s, rs, now=tx.now)
    tx.changed(ENTITY, rev, "update")
    return changes


def set_grant(
    engine: Engine, actor, action: str, position: str, states: Iterable[str] | None, scope: str = "region",
    *, expected_revision: int | None = None,
) -> list[rules.Difference]:
    """One cell of the matrix: ``position`` may take ``action`` from ``states`` (None: may not)."""
    with admin_tx(engine, actor) as tx:
        current = load(tx.s)
        return put_in_force(tx, rules.with_grant(current, action, position, states, scope),
                            expected_revision=expected_revision if expected_revision is not None else current.revision)
