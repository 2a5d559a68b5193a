"""The shared database: engine and sessions (``db``), the base schema of regions, grids,
people, the catalogue and cases (``model``), center-wide settings (``settings``) and the
change feed every client listens to (``changes``).

The bottom layer of the core: it imports nothing of GridStation but ``errors`` and ``paths``.
"""
