"""Errors whose message is already one sentence for a person (no type name to add)."""


class PlainError(Exception):
    """Raised with a message that names what failed and why, ready to print as is."""
