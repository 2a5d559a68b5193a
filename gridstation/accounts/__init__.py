"""Who may sign in: user accounts (``users``) and password hashing (``passwords``).

May import: ``store``, ``errors``, ``cases.workflow`` (the ``Actor`` a signed-in user acts as).
"""
