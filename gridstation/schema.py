"""The whole schema of the shared database, and bringing a database up to it.

Each capability declares its tables in its own model module (``store.model`` the base,
``geo.model`` the gazetteer and import batches, ``analytics.model`` the rollups,
``cases.model`` the workflow rules); this module
gathers them into one metadata (Alembic compares against it) without the base model
importing its extensions. It sits above ``store``, ``geo`` and ``analytics``.
"""

from __future__ import annotations

from gridstation.analytics import model as _analytics_model  # noqa: F401  (registers its tables)
from gridstation.cases import model as _cases_model  # noqa: F401  (registers its tables)
from gridstation.geo import model as _geo_model  # noqa: F401  (registers its tables)
from gridstation.store import exchange_model as _exchange_model  # noqa: F401  (registers its tables)
from gridstation.store import db
from gridstation.store.model import Base

metadata = Base.metadata

#: The migration that added the rollup tables: a database that held cases before it gets
#: them filled from its event log, so drill-down and evaluation see its whole history at once.
ANALYTICS_REVISION = "0003"


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` (idempotent), filling what new tables need."""
    before, after = db.migrate(url, revision)
    if before is not None and before < ANALYTICS_REVISION <= (after or ""):
        from gridstation.analytics import rollup

        engine = db.make_engine(url)
        try:
            rollup.rebuild(engine)
        finally:
            engine.dispose()


def status(url: str) -> tuple[str, str | None, str | None]:
    """``(relation, database revision, program revision)``: relation is ``current``, ``empty``
    (no schema), ``older`` (the database is behind this program) or ``newer`` (the database was
    upgraded by a newer program: its revision is unknown here). Reads only."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db.alembic_config(url))
    head = script.get_current_head()
    engine = db.make_engine(url)
    try:
        current = db.current_revision(engine)
    finally:
        engine.dispose()
    if current == head:
        return "current", current, head
    if current is None:
        return "empty", None, head
    known = {rev.revision for rev in script.walk_revisions()}
    return ("older" if current in known else "newer"), current, head


def require_current(url: str) -> None:
    """Refuse (``SchemaMismatch``) unless the database's schema is exactly this program's. A normal
    launch against a shared database calls this instead of ``upgrade``: only
    ``gridstation-cli db upgrade`` migrates it."""
    from gridstation.errors import SchemaMismatch

    relation, current, head = status(url)
    if relation != "current":
        raise SchemaMismatch(relation, current, head)


def prepare_for_client(url: str) -> None:
    """What a client does with its database before signing in: an SQLite file is this
    workstation's own (never on a network share) and is migrated, first start creates it; a
    shared PostgreSQL is only checked (``require_current``)."""
    from sqlalchemy.engine import make_url

    if make_url(db.normalise_url(url)).get_backend_name() == "sqlite":
        upgrade(url)
    else:
        require_current(url)
