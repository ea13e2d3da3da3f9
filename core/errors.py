"""Errors every app's services may raise, and both doors turn into an answer."""


class ConflictError(Exception):
    """The record changed since the user loaded it (optimistic locking): 409 on the API, a
    message on the page."""
