"""The one exception nn101 raises for bad input from the person running it."""


class UsageError(ValueError):
    """Bad input (a path, an option, a secret file): the message says what to fix, in one line."""
