"""Evaluation weights and grade bands (考核权重), kept by ``gridstation.analytics.evaluation`` in the
``setting`` table; this module adds the administrator check and the change feed. The checks
themselves (weights of an object sum to 100, grade bands strictly descending down to 0, …)
are ``evaluation.validate_settings``."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from gridstation.analytics import evaluation
from gridstation.errors import InvalidInput
from gridstation.admin.common import admin_tx

ENTITY = "config"


def load(s: Session) -> dict:
    """The center's settings with the defaults filled in."""
    return evaluation.load_settings(s)


def defaults() -> dict:
    return evaluation.validate_settings({})


def validate(value: dict) -> dict:
    try:
        return evaluation.validate_settings(value)
    except ValueError as e:
        raise InvalidInput("evaluation", str(e)) from None


def save(engine: Engine, actor, value: dict) -> dict:
    """Validate and store; the audit row is written by ``evaluation.save_settings``."""
    validate(value)
    with admin_tx(engine, actor) as tx:
        if evaluation.load_settings(tx.s) == evaluation.validate_settings(value):
            return evaluation.validate_settings(value)
        try:
            checked = evaluation.save_settings(tx.s, value, user_id=tx.user_id)
        except ValueError as e:
            raise InvalidInput("evaluation", str(e)) from None
        tx.changed(ENTITY, None, "evaluation")
        return checked
