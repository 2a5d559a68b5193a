"""Data going out of and coming into the center: exports to GeoJSON, CSV and Excel
(``exporters``).

May import: ``store``, ``geo``, ``importers`` (labels shared with the history importer).
"""
