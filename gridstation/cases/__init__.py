"""The closed loop of a case: the workflow of actions and approvals (``workflow``) and the
queues each position works from (``queues``).

May import: ``store``, ``worktime``, ``errors``, and ``analytics.rollup`` (every action
updates the summaries in its own transaction).
"""
