"""Base data and case-history imports (grids, components, gazetteer, cases).

Each importer has a file-level function taking a database (Engine or URL) and a path, run in
one transaction, and an in-memory function taking a session and features/rows (for the demo
city and tests): ``import_grid_features``, ``import_component_rows``, ``import_place_rows``,
``import_case_rows``. A file with problems raises ``ImportRejected`` listing every problem and
writes nothing, unless ``skip_bad`` is given.
"""

from gridstation.importers.common import ImportRejected, ImportReport, Problem, parse_mapping

__all__ = ["ImportRejected", "ImportReport", "Problem", "parse_mapping"]
