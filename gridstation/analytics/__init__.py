"""Figures from the record: daily summaries kept with every action (``rollup``, tables in
``model``), the regions and periods a figure is asked for (``scope``), drill-down
(``drilldown``), comprehensive evaluation (``evaluation``) and early warning
(``early_warning``).

May import: ``store``, ``worktime`` (clocks), ``errors``. Nothing of ``cases``:
the workflow writes through ``rollup``, analytics reads what it wrote.
"""
