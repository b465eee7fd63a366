"""The exceptions nn101 raises for the person running it: bad input, and a machine that cannot grade."""


class UsageError(ValueError):
    """Bad input (a path, an option, a secret file): the message says what to fix, in one line."""


class WorkerStartError(Exception):
    """The worker failed before any student code ran: the grader's problem, not the student's.

    Also raised when the sandbox is not as it must be (fail closed): then nobody is graded.
    """
