"""The whole schema of the shared database, and bringing a database up to it.

Each capability declares its tables in its own model module (``store.model`` the base,
``geo.model`` the gazetteer and import batches, ``analytics.model`` the rollups); this module
gathers them into one metadata (Alembic compares against it) without the base model
importing its extensions. It sits above ``store``, ``geo`` and ``analytics``.
"""

from __future__ import annotations

from gridstation.analytics import model as _analytics_model  # noqa: F401  (registers its tables)
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
