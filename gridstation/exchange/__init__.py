"""Data going out of and coming into the center (数据交换): exports to GeoJSON, CSV and Excel
(``exporters``); the Open311 GeoReport v2 service and the handheld page (``open311`` the
operations, ``service`` the ASGI app, ``keyring`` the API keys' checks); the 12345 hotline
bridge (``hotline``).

May import: ``store``, ``geo``, ``importers`` (labels shared with the history importer),
``cases`` (reports enter through the workflow), ``accounts``.
"""
