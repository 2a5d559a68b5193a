"""Signing in: the sign-in dialog with the database choice (``signin``)."""
