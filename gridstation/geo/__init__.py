"""Places on the map: geometry helpers (``geometry``), the spatial index that puts a point in
exactly one grid (``spatial``), the gazetteer and geocoder (``model``, ``geocode``), and the
cases and grid figures the map draws (``mapdata``).

May import: ``store`` and ``errors``.
"""
