"""The case screens: queues (``queue_pane``, ``queue_model``), the case pane with its action
forms (``case_pane``, ``forms``) and the intake dialog (``intake``)."""
